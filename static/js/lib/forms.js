/* What the phone forms share: notices, errors by field name (the server's error.fields use the
 * same names), busy buttons, radio groups, typed numbers, inputs the GPS may fill in. Works on
 * the nodes it is given and touches no global DOM, so node tests it with small stand-ins
 * (tests/js/forms.test.mjs).
 * Plain ES2017 (no ?. or ??).
 */

function each(list, fn) {
  Array.prototype.forEach.call(list, fn);
}

/* Show text in a node (hidden when empty); kind "ok" | "error" | "info" | "" sets its notice style. */
export function show(node, text, kind) {
  node.textContent = text || "";
  if (kind !== undefined) node.className = "notice" + (kind ? " notice-" + kind : "");
  node.hidden = !text;
}

/* Empty every [data-error-for] of the form, unmark the fields, empty the list of other errors. */
export function clearErrors(form, other) {
  each(form.querySelectorAll("[data-error-for]"), function (node) {
    node.textContent = "";
    node.hidden = true;
  });
  each(form.querySelectorAll(".has-error"), function (node) {
    node.classList.remove("has-error");
  });
  if (other) {
    other.textContent = "";
    other.hidden = true;
  }
}

/* Show errors {name: message} at the form's visible [data-error-for="name"] nodes, marking their
 * holder (options.holders, a selector) with .has-error; a name with no visible place goes to the
 * list options.other as "name: message". Scrolls to the first (its holder when
 * options.scrollToHolder). Returns the names shown in place. */
export function showErrors(form, fields, options) {
  options = options || {};
  const holders = options.holders || ".field, .group";
  const other = options.other || null;
  const document = form.ownerDocument;
  clearErrors(form, other);
  let first = null;
  const placed = [];
  Object.keys(fields).forEach(function (name) {
    let shown = false;
    each(form.querySelectorAll('[data-error-for="' + name + '"]'), function (node) {
      // A place inside a hidden part of the form (another kind's fields) does not count; the
      // place itself is hidden until now, so only its ancestors are asked.
      const parent = node.parentElement;
      if (parent && parent.closest("[hidden]")) return;
      node.textContent = fields[name];
      node.hidden = false;
      const holder = node.closest(holders);
      if (holder) holder.classList.add("has-error");
      if (!first) first = options.scrollToHolder && holder ? holder : node;
      shown = true;
    });
    if (shown) {
      placed.push(name);
    } else if (other) {
      const item = document.createElement("li");
      item.textContent = name + ": " + fields[name];
      other.appendChild(item);
      other.hidden = false;
      if (!first) first = other;
    }
  });
  if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
  return placed;
}

/* Disable the button while work() runs (a second tap does not save twice); resolves with its result. */
export function busy(button, work) {
  button.disabled = true;
  let done;
  try {
    done = Promise.resolve(work());
  } catch (error) {
    done = Promise.reject(error);
  }
  return done.then(function (result) {
    button.disabled = false;
    return result;
  }, function (error) {
    button.disabled = false;
    throw error;
  });
}

export function radioValue(form, name) {
  const checked = form.querySelector('input[name="' + name + '"]:checked');
  return checked ? checked.value : "";
}

export function setRadio(form, name, value) {
  each(form.querySelectorAll('input[name="' + name + '"]'), function (input) {
    input.checked = input.value === value;
  });
}

/* A typed number: null when empty, NaN when not a number (full-width digits folded). */
export function numberOrNull(raw) {
  if (raw === undefined || raw === null) return null;
  let text = String(raw).trim();
  if (text === "") return null;
  if (text.normalize) text = text.normalize("NFKC");
  const value = Number(text);
  return isFinite(value) ? value : NaN;
}

// --- an input the GPS may fill in (a stake), until the crew types into it --------------------
// data-typed="yes": the crew typed it (the GPS leaves it alone); data-from-gps="yes": the value
// came from the GPS (a change of road takes it away again).

export function typed(input) {
  return input.getAttribute("data-typed") === "yes";
}

/* Mark the input typed (or not, once emptied) on every keystroke; then call after(input). */
export function watchTyping(input, after) {
  input.addEventListener("input", function () {
    input.setAttribute("data-typed", input.value ? "yes" : "no");
    input.removeAttribute("data-from-gps");
    if (after) after(input);
  });
}

/* Put a value the GPS suggests into the input, unless the crew typed there; true when put. */
export function suggest(input, value) {
  if (typed(input)) return false;
  input.value = value;
  input.setAttribute("data-from-gps", "yes");
  return true;
}

/* Take away a value the GPS put there (not a typed one); true when one was taken away. */
export function forgetSuggested(input) {
  if (input.getAttribute("data-from-gps") !== "yes") return false;
  input.value = "";
  input.removeAttribute("data-from-gps");
  return true;
}

/* Forget whether the input was typed or suggested (a new record begins). */
export function resetTyping(input) {
  input.removeAttribute("data-typed");
  input.removeAttribute("data-from-gps");
}
