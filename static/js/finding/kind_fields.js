/* The kind's part of the new-finding form: which fields show for the kind chosen, the distress
 * or subgrade items to choose from, the severities of the item, the label of its quantity; and
 * reading and filling those fields. The rules are vocabulary.js's. Plain ES2017 (no ?. or ??).
 */
import {
  PAVEMENT_DISTRESS,
  distressItems,
  itemOf,
  quantityLabel,
  severityChoices,
  shownFor,
  subgradeItems,
} from "./vocabulary.js";
import { radioValue, setRadio, show } from "../lib/forms.js";
import { format } from "../lib/text.js";

function fillSelect(select, items, keep) {
  const previous = keep ? select.value : "";
  select.textContent = "";
  const blank = document.createElement("option");
  blank.value = "";
  blank.textContent = "—";
  select.appendChild(blank);
  items.forEach(function (item) {
    const option = document.createElement("option");
    option.value = item.code;
    option.textContent = item.name;
    select.appendChild(option);
  });
  if (previous) select.value = previous;
}

function valueOf(number) {
  return number === undefined || number === null ? "" : number;
}

/* form: the finding form; vocabulary and words: the page's; onShown(): after the kind's
 * fields were drawn again (the near-duplicates are asked again). */
export function createKindFields(form, vocabulary, words, onShown) {
  function $(id) {
    return document.getElementById(id);
  }

  function kind() {
    return radioValue(form, "kind");
  }

  function currentItem() {
    return itemOf(vocabulary, kind(), {
      pavement: radioValue(form, "pavement"),
      distress: $("f-distress").value,
      subgrade: $("f-subgrade").value,
    });
  }

  function showSeverities() {
    const item = currentItem();
    const choices = severityChoices(vocabulary, item);
    const group = $("severity-group");
    const box = $("severity-choices");
    const previous = radioValue(form, "severity");
    box.textContent = "";
    if (!choices.length) {
      group.hidden = true;
      return;
    }
    choices.forEach(function (choice) {
      const label = document.createElement("label");
      label.className = "choice";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "severity";
      input.value = choice.value;
      input.checked = choice.value === previous;
      const text = document.createElement("span");
      text.textContent = choice.label;
      label.appendChild(input);
      label.appendChild(text);
      box.appendChild(label);
    });
    show($("severity-guide"), item.guide || "");
    group.hidden = false;
  }

  function showQuantityLabel() {
    $("quantity-label").textContent = quantityLabel(kind(), currentItem(), words, format);
  }

  /* Show the fields of the kind chosen (data-kinds), its items, severities and quantity. */
  function showKind() {
    const k = kind();
    Array.prototype.forEach.call(form.querySelectorAll("[data-kinds]"), function (node) {
      node.hidden = !shownFor(node.getAttribute("data-kinds"), k);
    });
    Array.prototype.forEach.call(form.querySelectorAll(".choice[data-kind]"), function (node) {
      node.classList.toggle("chosen", node.getAttribute("data-kind") === k);
    });
    if (k === PAVEMENT_DISTRESS) {
      fillSelect($("f-distress"), distressItems(vocabulary, radioValue(form, "pavement")), true);
    }
    if (subgradeItems(vocabulary, k)) fillSelect($("f-subgrade"), subgradeItems(vocabulary, k), false);
    showSeverities();
    showQuantityLabel();
    if (onShown) onShown();
  }

  /* The kind's values, as findingBody (record.js) takes them. */
  function read() {
    return {
      kind: kind(),
      severity: $("severity-group").hidden ? "" : radioValue(form, "severity"),
      pavement: radioValue(form, "pavement"),
      distress: $("f-distress").value,
      subgrade: $("f-subgrade").value,
      quantity: $("f-quantity").value,
      depth_mm: $("f-depth").value,
      count: $("f-count").value,
      hazard: {
        category: $("f-category").value,
        grade: radioValue(form, "grade"),
        description: $("f-description").value,
        interim_measures: $("f-interim").value,
      },
    };
  }

  /* Put a saved body's kind and its fields back into the form (a finding to correct). */
  function fill(body) {
    setRadio(form, "kind", body.kind);
    if (body.pavement) setRadio(form, "pavement", body.pavement);
    showKind();
    if (body.kind === PAVEMENT_DISTRESS) $("f-distress").value = body.item_code || "";
    else if (subgradeItems(vocabulary, body.kind)) $("f-subgrade").value = body.item_code || "";
    showSeverities();
    setRadio(form, "severity", body.severity || "");
    showQuantityLabel();
    $("f-quantity").value = valueOf(body.quantity);
    $("f-depth").value = valueOf(body.depth_mm);
    $("f-count").value = valueOf(body.count);
    if (body.hazard) {
      $("f-category").value = body.hazard.category || "";
      setRadio(form, "grade", body.hazard.grade || "");
      $("f-description").value = body.hazard.description || "";
      $("f-interim").value = body.hazard.interim_measures || "";
    }
  }

  /* Whether a change of the form's control `name` is the kind's; draws what it changes. */
  function change(name) {
    if (name === "kind" || name === "pavement") showKind();
    else if (name === "distress" || name === "subgrade") {
      showSeverities();
      showQuantityLabel();
    } else {
      return false;
    }
    return true;
  }

  return {
    kind: kind,
    currentItem: currentItem,
    showKind: showKind,
    read: read,
    fill: fill,
    change: change,
  };
}
