/* Walking a survey unit on the phone: each distress or subgrade record (under its client UUID)
 * and its photos are written into the outbox first and sent from there (OFFLINE.md rules 1–3,
 * 9); the photos follow their record by its UUID, since the phone never learns its id. The page's
 * form still posts to the server without this script. survey_unit.js shows the item's severities
 * and unit; this script only saves.
 */
import {
  PhotoBox,
  STAKE,
  appendAttention,
  attentionRecords,
  clearErrors,
  fmt,
  normaliseStake,
  numberOrNull,
  photoEntry,
  readBlock,
  showErrors,
  showMessage,
  waitingItem,
  whenReady,
} from "./outbox_forms.js";
import { chainageOf } from "./lib/stake.js";

export { chainageOf };

export function recordsUrl(campaignId) {
  return "/api/v1/surveys/" + campaignId + "/records";
}

export function photosUrl(recordUuid) {
  return "/api/v1/surveys/records/by-uuid/" + recordUuid + "/photos";
}

// --- pure parts (tests/js/survey_record_form.test.mjs) -----------------------------------------

/* The JSON the API takes. context: {unit_id, items: [{code, family, severities}]}. */
export function recordBody(values, context, clientUuid) {
  var item = null;
  (context.items || []).forEach(function (candidate) {
    if (candidate.code === values.item_code) item = candidate;
  });
  var body = {
    client_uuid: String(clientUuid),
    unit_id: context.unit_id,
    item_code: values.item_code || "",
    severity: values.severity || "",
    quantity: numberOrNull(values.quantity),
    stake: normaliseStake(values.stake),
    note: String(values.note || "").trim(),
  };
  if (item) body.family = item.family;
  return body;
}

/* {field: message} of what the phone can tell; the server checks the rest. */
export function checkRecord(body, context, words) {
  var errors = {};
  var item = null;
  (context.items || []).forEach(function (candidate) {
    if (candidate.code === body.item_code) item = candidate;
  });
  if (!item) errors.item_code = words.choose_item;
  var graded = item && item.severities.indexOf(null) < 0;
  if (graded && !body.severity) errors.severity = words.required;
  if (item && body.severity && item.severities.indexOf(body.severity) < 0) {
    errors.severity = words.required;
  }
  if (body.quantity === null) errors.quantity = words.required;
  else if (!isFinite(body.quantity) || body.quantity < 0) errors.quantity = words.not_negative;
  if (body.stake) {
    var at = chainageOf(body.stake);
    if (!STAKE.test(body.stake) || !isFinite(at)) errors.stake = words.stake_format;
    else if (context.start_chainage !== undefined &&
        (at < context.start_chainage - 0.001 || at > context.end_chainage + 0.001)) {
      errors.stake = words.not_in_unit;
    }
  }
  return errors;
}

/* The outbox entries: the record, then its photos (each waiting for it). */
export function recordEntries(campaignId, body, photos, label, photoLabel) {
  var uuid = String(body.client_uuid).toLowerCase();
  var entries = [{
    method: "POST",
    url: recordsUrl(campaignId),
    uuid: uuid,
    answer_uuid: "uuid",
    deps: [],
    body: body,
    label: label,
  }];
  (photos || []).forEach(function (photo) {
    entries.push(photoEntry(photo, {
      url: photosUrl(uuid),
      parent: uuid,
      stage: "site",
      label: photoLabel || label,
    }));
  });
  return entries;
}

/* The records of one unit waiting on this phone (Outbox.state().entries). */
export function waitingOfUnit(entries, campaignId, unitId) {
  var url = recordsUrl(campaignId);
  return (entries || []).filter(function (entry) {
    return entry.kind === "record" && entry.url === url && entry.body && entry.body.unit_id === unitId;
  });
}

// --- the page ----------------------------------------------------------------------------------

function start() {
  var form = document.getElementById("record-form");
  if (!form) return;
  var Outbox = window.Outbox;
  var context = readBlock("survey-record-context");
  var vocabulary = readBlock("survey-vocabulary");
  var words = readBlock("survey-record-words");
  context.items = vocabulary.items || [];
  var message = document.getElementById("record-message");
  var other = document.getElementById("record-other-errors");
  var photos = new PhotoBox(
    document.getElementById("record-photo"), document.getElementById("record-photos"),
    document.getElementById("record-photo-status"), words, "site");
  var fixing = null;

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function itemName(code) {
    var name = code;
    context.items.forEach(function (item) {
      if (item.code === code) name = item.name;
    });
    return name;
  }

  function label(body) {
    return fmt(words.record_label, { item: itemName(body.item_code), quantity: body.quantity });
  }

  function reset() {
    form.reset();
    Array.prototype.forEach.call(form.querySelectorAll('input[type="radio"]'), function (input) {
      input.checked = false;
    });
    photos.clear();
    fixing = null;
    clearErrors(form);
    document.getElementById("record-fix-banner").hidden = true;
  }

  async function save() {
    var button = document.getElementById("save-record");
    button.disabled = true;
    try {
      await photos.ready();
      var values = {
        item_code: checked("item_code"),
        severity: checked("severity"),
        quantity: form.elements.quantity.value,
        stake: form.elements.stake.value,
        note: form.elements.note.value,
      };
      var body = recordBody(values, context, fixing ? fixing.uuid : Outbox.uuid());
      var errors = checkRecord(body, context, words);
      if (Object.keys(errors).length) {
        showErrors(form, errors, other);
        showMessage(message, words.check_fields, "error");
        return;
      }
      var text = label(body);
      var entries = recordEntries(context.campaign_id, body, photos.photos, text,
        fmt(words.photo_label, { label: text }));
      if (fixing) {
        await Outbox.replaceRecord(fixing.id, body, text);
        if (entries.length > 1) await Outbox.add(entries.slice(1));
      } else {
        await Outbox.add(entries);
      }
      reset();
      showMessage(message, words.saved, "ok");
      Outbox.flush({ force: true });
    } catch (error) {
      showMessage(message, fmt(words.save_failed, { reason: String((error && error.message) || error) }), "error");
    } finally {
      button.disabled = false;
    }
  }

  function loadForFix(entry) {
    reset();
    var body = entry.body || {};
    fixing = { id: entry.id, uuid: entry.uuid };
    Array.prototype.forEach.call(form.querySelectorAll('input[type="radio"]'), function (input) {
      input.checked = (input.name === "item_code" && input.value === body.item_code) ||
        (input.name === "severity" && input.value === (body.severity || ""));
    });
    var picked = form.querySelector('input[name="item_code"]:checked');
    if (picked) picked.dispatchEvent(new Event("change", { bubbles: true })); // survey_unit.js
    Array.prototype.forEach.call(form.querySelectorAll('input[name="severity"]'), function (input) {
      input.checked = input.value === (body.severity || "");
    });
    form.elements.quantity.value = body.quantity === null || body.quantity === undefined ? "" : body.quantity;
    form.elements.stake.value = body.stake || "";
    form.elements.note.value = body.note || "";
    document.getElementById("record-fix-banner").hidden = false;
    showErrors(form, entry.attention.fields || {}, other);
    showMessage(message, entry.attention.message, "error");
  }

  function showWaiting(current) {
    var entries = current ? current.entries : [];
    var waiting = waitingOfUnit(entries, context.campaign_id, context.unit_id);
    var list = document.getElementById("waiting-records");
    list.textContent = "";
    waiting.forEach(function (entry) {
      var item = waitingItem(entry, words);
      if (entry.attention) appendAttention(item, entry, words.fix, loadForFix);
      list.appendChild(item);
    });
    document.getElementById("waiting-card").hidden = waiting.length === 0;
    // Records of other units that need attention are corrected on their own unit's page.
    var elsewhere = attentionRecords(entries, function (url) {
      return url.indexOf("/api/v1/surveys/") === 0;
    }).length - waiting.filter(function (e) {
      return e.attention;
    }).length;
    showMessage(document.getElementById("elsewhere-message"),
      elsewhere > 0 ? fmt(words.attention_elsewhere, { n: elsewhere }) : "", "warn");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });
  document.getElementById("record-fix-cancel").addEventListener("click", reset);
  window.addEventListener("outbox:change", function (event) {
    showWaiting(event.detail);
  });
  showWaiting(Outbox.current());
  document.getElementById("record-photo-group").hidden = false;
  form.setAttribute("data-outbox", "ready");
  Outbox.registerServiceWorker();
}

if (typeof document !== "undefined") {
  whenReady().then(function (ready) {
    if (ready) start();
  });
}
