/* The checklist of the self-inspection walk page: the templates a kind may use, the chosen
 * template's items (each with its own UUID), each item's answer (meets / does not meet / not
 * applicable, grade, note) and its photos (photo_prep.js, one at a time), the tally. walk.js
 * makes it, handing over the page's shared helpers, and saves what it holds; the rules are
 * walk_core.js's. Plain ES2017 (no ?. or ??).
 */
import {
  answered as answeredAny,
  draftFits,
  itemOpen,
  linesOf,
  tally,
  templatesForKind,
} from "./walk_core.js";
import { preparePhoto } from "./photo_prep.js";
import { uuid } from "./lib/crypto.js";
import { isoLocal, format } from "./lib/text.js";
import { radioValue, show } from "./lib/forms.js";

/* page: {form, context, words, $} (walk.js). */
export function createChecklist(page) {
  var $ = page.$;
  var form = page.form;
  var words = page.words;
  // lines: [{uuid, section, section_label, name, hazard_category}]; answers: item uuid →
  // {result, note, grade, checked_at}; photos: item uuid → [prepared photo].
  var state = { lines: [], answers: {}, photos: {}, templateId: null };
  var photoQueue = Promise.resolve();
  var currentKind = "";

  function templates() {
    return templatesForKind(page.context.templates || [], radioValue(form, "kind"));
  }

  function chosenTemplate() {
    var id = $("w-template").value;
    var list = page.context.templates || [];
    for (var i = 0; i < list.length; i++) if (String(list[i].id) === id) return list[i];
    return null;
  }

  function fillTemplates(preferred) {
    var select = $("w-template");
    var keep = preferred || select.value;
    var list = templates();
    select.textContent = "";
    list.forEach(function (t) {
      var option = document.createElement("option");
      option.value = String(t.id);
      option.textContent = t.name;
      select.appendChild(option);
    });
    if (keep && select.querySelector('option[value="' + keep + '"]')) select.value = keep;
    $("no-templates").hidden = list.length > 0;
  }

  function answered() {
    return answeredAny(state.answers, state.photos);
  }

  /* Draw the checklist of the chosen template, each item with a fresh UUID (or the draft's);
   * tell whether the draft was taken up. */
  function draw(draft) {
    var template = chosenTemplate();
    state.templateId = template ? String(template.id) : null;
    var resume = draftFits(draft, template);
    state.lines = resume ? draft.lines : linesOf(template, uuid);
    state.answers = {};
    state.photos = {};
    var list = $("walk-items");
    list.textContent = "";
    var section = null;
    state.lines.forEach(function (line, index) {
      if (line.section !== section) {
        section = line.section;
        var heading = document.createElement("li");
        heading.className = "walk-section";
        heading.textContent = line.section_label || line.section;
        list.appendChild(heading);
      }
      list.appendChild(itemNode(line, index + 1));
      state.answers[line.uuid] = { result: "", note: "", grade: "general" };
    });
    if (resume) restoreAnswers(draft.answers || {});
    showTally();
    return resume;
  }

  function restoreAnswers(saved) {
    state.lines.forEach(function (line) {
      var answer = saved[line.uuid];
      if (!answer) return;
      state.answers[line.uuid] = answer;
      var node = form.querySelector('.walk-item[data-uuid="' + line.uuid + '"]');
      Array.prototype.forEach.call(node.querySelectorAll("input[type=radio]"), function (input) {
        input.checked = input.value === answer.result || input.value === answer.grade;
      });
      node.querySelector('[data-role="note"]').value = answer.note || "";
      showResult({ node: node, uuid: line.uuid });
    });
  }

  function itemNode(line, number) {
    var node = document.importNode($("item-template").content, true).firstElementChild;
    node.setAttribute("data-uuid", line.uuid);
    node.querySelector(".walk-no").textContent = number + ".";
    node.querySelector(".walk-name").textContent = line.name;
    Array.prototype.forEach.call(node.querySelectorAll(".result-row input"), function (input) {
      input.name = "result-" + line.uuid;
    });
    Array.prototype.forEach.call(node.querySelectorAll('[data-role="grade"]'), function (input) {
      input.name = "grade-" + line.uuid;
      input.checked = input.value === "general";
    });
    node.querySelector('[data-role="item-error"]').setAttribute("data-error-for", "item." + line.uuid);
    var photoInput = node.querySelector('[data-role="photo"]');
    photoInput.id = "photo-" + line.uuid;
    node.querySelector('[data-role="photo-button"]').setAttribute("for", photoInput.id);
    return node;
  }

  function itemOf(element) {
    var node = element.closest(".walk-item");
    return node ? { node: node, uuid: node.getAttribute("data-uuid") } : null;
  }

  function showResult(item) {
    var answer = state.answers[item.uuid];
    item.node.classList.remove("is-meets", "is-does_not_meet", "is-not_applicable");
    if (answer.result) item.node.classList.add("is-" + answer.result);
    // An unmet item opens its note and photos; the others keep them behind a button, so that
    // a long checklist stays short to scroll, unless something was written or taken already.
    var opened = item.node.getAttribute("data-open") === "yes";
    var open = itemOpen(answer, opened, (state.photos[item.uuid] || []).length);
    item.node.querySelector(".walk-item-more").hidden = !answer.result || !open;
    item.node.querySelector('[data-role="more"]').hidden = !answer.result || open;
    item.node.querySelector(".grade-row").hidden = answer.result !== "does_not_meet";
    if (answer.result) {
      item.node.classList.remove("has-error");
      var error = item.node.querySelector('[data-role="item-error"]');
      error.hidden = true;
    }
    showTally();
  }

  function showTally() {
    var lines = state.lines;
    var counts = tally(lines, state.answers);
    $("walk-tally").textContent = lines.length ? format(words.tally, {
      done: lines.length - counts.open,
      total: lines.length,
      unmet: counts.does_not_meet,
    }) : "";
    $("walk-tally").classList.toggle("has-unmet", counts.does_not_meet > 0);
  }

  // --- photos, per item --------------------------------------------------------------------

  function addPhoto(item, file) {
    var status = item.node.querySelector('[data-role="photo-status"]');
    show(status, words.photo_reading);
    photoQueue = photoQueue.then(function () {
      return preparePhoto(file);
    }).then(function (photo) {
      if (!state.answers[item.uuid]) return; // the checklist was changed meanwhile
      (state.photos[item.uuid] = state.photos[item.uuid] || []).push(photo);
      show(status, "");
      showPhotos(item);
    }, function () {
      show(status, words.photo_failed);
    });
    return photoQueue;
  }

  function showPhotos(item) {
    var list = item.node.querySelector('[data-role="photos"]');
    Array.prototype.forEach.call(list.querySelectorAll("img"), function (img) {
      URL.revokeObjectURL(img.src);
    });
    list.textContent = "";
    (state.photos[item.uuid] || []).forEach(function (photo, index) {
      var entry = document.createElement("li");
      entry.className = "thumb";
      var img = document.createElement("img");
      img.alt = photo.name;
      img.src = URL.createObjectURL(new Blob([photo.bytes], { type: photo.type }));
      img.onerror = function () {
        img.replaceWith(document.createTextNode(photo.name || photo.type));
      };
      entry.appendChild(img);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-small";
      remove.textContent = words.photo_remove;
      remove.addEventListener("click", function () {
        state.photos[item.uuid].splice(index, 1);
        showPhotos(item);
      });
      entry.appendChild(remove);
      list.appendChild(entry);
    });
  }

  // --- what the crew does on the checklist ---------------------------------------------------

  /* A change of kind, template or an item's answer; false when the crew called off a change
   * of checklist (the answers given so far are kept). */
  function change(target) {
    var item = itemOf(target);
    if (target.name === "kind") {
      var before = $("w-template").value;
      fillTemplates(before);
      if ($("w-template").value !== before) {
        if (answered() && !window.confirm(words.confirm_template)) {
          var previous = form.querySelector('input[name="kind"][value="' + currentKind + '"]');
          if (previous) previous.checked = true;
          fillTemplates(before);
          return false;
        }
        draw();
      }
      currentKind = target.value;
    } else if (target.name === "template") {
      if (answered() && !window.confirm(words.confirm_template)) {
        $("w-template").value = state.templateId || "";
        return false;
      }
      draw();
    } else if (item && target.name === "result-" + item.uuid) {
      state.answers[item.uuid].result = target.value;
      state.answers[item.uuid].checked_at = isoLocal();
      showResult(item);
    } else if (item && target.name === "grade-" + item.uuid) {
      state.answers[item.uuid].grade = target.value;
    } else if (item && target.getAttribute("data-role") === "photo") {
      var file = target.files && target.files[0];
      if (file) addPhoto(item, file);
      target.value = ""; // the same input takes the next photo
    }
    return true;
  }

  function input(target) {
    var item = itemOf(target);
    if (item && target.getAttribute("data-role") === "note") {
      state.answers[item.uuid].note = target.value;
    }
  }

  /* "Add a note or photo" opens an item that meets (or is not applicable). */
  function click(target) {
    var toggle = target.closest ? target.closest('[data-role="more"]') : null;
    var item = toggle ? itemOf(toggle) : null;
    if (!item) return;
    item.node.setAttribute("data-open", "yes");
    showResult(item);
    var note = item.node.querySelector('[data-role="note"]');
    if (note && note.focus) note.focus();
  }

  /* The templates of the checked kind (the preferred one chosen), and its checklist: the
   * draft's when it is of that template; tell whether the draft was taken up. */
  function start(preferred, draft) {
    fillTemplates(preferred);
    currentKind = radioValue(form, "kind");
    return draw(draft);
  }

  return {
    state: state,
    chosenTemplate: chosenTemplate,
    answered: answered,
    start: start,
    draw: draw,
    change: change,
    input: input,
    click: click,
    photosReady: function () {
      return photoQueue;
    },
  };
}
