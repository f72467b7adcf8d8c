/* A hazard's photos and rectification evidence on the phone, through the outbox (OFFLINE.md
 * rules 1–3, 9). The hazard page was loaded with signal, so its id and version are known:
 * - "Add photos": each photo under its own UUID to /api/v1/hazards/<id>/photos;
 * - "Submit the evidence": the after photos first, then the submit action under its own UUID
 *   (answered with `action_uuid`, so a repeat is the same action), waiting for its photos.
 * Without this script the page's forms post to the server as before.
 */
import {
  PhotoBox,
  fmt,
  photoEntry,
  readBlock,
  showErrors,
  showMessage,
  whenReady,
} from "./outbox_forms.js";

export function photosUrl(hazardId) {
  return "/api/v1/hazards/" + hazardId + "/photos";
}

export function actionsUrl(hazardId) {
  return "/api/v1/hazards/" + hazardId + "/actions";
}

/* The key the photos of a hazard wait under (a hazard page knows the id, not always a UUID). */
export function hazardKey(hazardId) {
  return "hazard-" + hazardId;
}

// --- pure parts (tests/js/hazard_evidence.test.mjs) --------------------------------------------

/* Outbox entries of photos of a hazard at a stage (site, before, after). */
export function photoEntries(hazardId, photos, stage, label) {
  return (photos || []).map(function (photo) {
    return photoEntry(photo, {
      url: photosUrl(hazardId),
      parent: hazardKey(hazardId),
      stage: stage,
      label: label,
    });
  });
}

/* The evidence: the after photos, then the submit action that names them, waiting for them. */
export function evidenceEntries(hazard, photos, note, actionUuid, labels) {
  var uuid = String(actionUuid).toLowerCase();
  var entries = photoEntries(hazard.id, photos, "after", labels.photo);
  var photoIds = entries.map(function (entry) {
    return entry.photo_uuid;
  });
  entries.push({
    method: "POST",
    url: actionsUrl(hazard.id),
    uuid: uuid,
    answer_uuid: "action_uuid",
    deps: photoIds,
    body: {
      action: "submit",
      version: hazard.version,
      note: String(note || "").trim(),
      after_photo_ids: photoIds,
      client_uuid: uuid,
    },
    label: labels.record,
  });
  return entries;
}

export function checkEvidence(photos, note, words) {
  var errors = {};
  if (!photos || !photos.length) errors.evidence_photo = words.need_photo;
  if (!String(note || "").trim()) errors.note = words.required;
  return errors;
}

/* What of this hazard waits on the phone: {actions, photos, attention}. */
export function waitingOfHazard(entries, hazardId) {
  var out = { actions: 0, photos: 0, attention: [] };
  var actions = actionsUrl(hazardId);
  var photos = photosUrl(hazardId);
  (entries || []).forEach(function (entry) {
    if (entry.kind === "record" && entry.url === actions) out.actions += 1;
    else if (entry.kind === "photo" && entry.url === photos) out.photos += 1;
    else return;
    if (entry.attention) out.attention.push(entry);
  });
  return out;
}

// --- the page ----------------------------------------------------------------------------------

function start() {
  var Outbox = window.Outbox;
  var context = readBlock("hazard-evidence-context");
  var words = readBlock("hazard-evidence-words");
  if (!context.id) return;
  var submitForm = document.querySelector('form input[name="action"][value="submit"]');
  submitForm = submitForm ? submitForm.form : null;
  var addForm = document.getElementById("hazard-photos-form");
  var waitingBox = document.getElementById("hazard-waiting");

  function wireAddPhotos() {
    if (!addForm) return;
    var message = document.getElementById("hazard-photos-message");
    var box = new PhotoBox(
      document.getElementById("hazard-photo"), document.getElementById("hazard-photo-list"),
      document.getElementById("hazard-photo-status"), words, "site");
    addForm.hidden = false;
    addForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      await box.ready();
      if (!box.photos.length) {
        showErrors(addForm, { photo: words.need_photo }, null);
        return;
      }
      var stageInput = addForm.querySelector('input[name="stage"]:checked');
      var stage = stageInput ? stageInput.value : "site";
      try {
        await Outbox.add(photoEntries(context.id, box.photos, stage, words.photo_label));
        box.clear();
        showErrors(addForm, {}, null);
        showMessage(message, words.photos_saved, "ok");
        Outbox.flush({ force: true });
      } catch (error) {
        showMessage(message, fmt(words.save_failed, { reason: String((error && error.message) || error) }), "error");
      }
    });
  }

  function wireSubmit() {
    if (!submitForm) return;
    var fileInput = submitForm.querySelector('input[type="file"]');
    var holder = fileInput ? fileInput.closest(".field") : null;
    if (holder) holder.hidden = true; // the outbox's own photo picker replaces the plain input
    var picker = document.getElementById("evidence-picker");
    submitForm.insertBefore(picker, submitForm.querySelector("button[type=submit]"));
    picker.hidden = false;
    var message = document.getElementById("evidence-message");
    var box = new PhotoBox(
      document.getElementById("evidence-photo"), document.getElementById("evidence-photo-list"),
      document.getElementById("evidence-photo-status"), words, "after");
    submitForm.setAttribute("data-outbox", "ready");
    submitForm.addEventListener("submit", async function (event) {
      event.preventDefault();
      await box.ready();
      var note = submitForm.elements.note ? submitForm.elements.note.value : "";
      var errors = checkEvidence(box.photos, note, words);
      if (Object.keys(errors).length) {
        showErrors(submitForm, errors, null);
        return;
      }
      var entries = evidenceEntries(context, box.photos, note, Outbox.uuid(), {
        photo: words.evidence_photo_label,
        record: words.evidence_label,
      });
      try {
        await Outbox.add(entries);
        box.clear();
        showErrors(submitForm, {}, null);
        submitForm.hidden = true;
        showMessage(message, words.evidence_saved, "ok");
        Outbox.flush({ force: true });
      } catch (error) {
        showMessage(message, fmt(words.save_failed, { reason: String((error && error.message) || error) }), "error");
      }
    });
  }

  function showWaiting(current) {
    if (!current) return;
    var waiting = waitingOfHazard(current.entries, context.id);
    // Evidence already waiting is not submitted twice (the second would meet a new version).
    if (submitForm && waiting.actions) submitForm.hidden = true;
    var parts = [];
    if (waiting.actions || waiting.photos) {
      parts.push(fmt(words.waiting, { actions: waiting.actions, photos: waiting.photos }));
    }
    waiting.attention.forEach(function (entry) {
      parts.push(fmt(Outbox.words.needs_attention, { reason: entry.attention.message }));
    });
    if (waitingBox) {
      showMessage(waitingBox, parts.join(" "), waiting.attention.length ? "error" : "warn");
      waitingBox.setAttribute("data-waiting", String(waiting.actions + waiting.photos));
    }
  }

  wireAddPhotos();
  wireSubmit();
  window.addEventListener("outbox:change", function (event) {
    showWaiting(event.detail);
  });
  showWaiting(Outbox.current());
  Outbox.registerServiceWorker();
}

if (typeof document !== "undefined") {
  whenReady().then(function (ready) {
    if (ready) start();
  });
}
