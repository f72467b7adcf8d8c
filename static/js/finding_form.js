/* New finding: kind (finding/kind_fields.js), place (GPS → stake for the crew to confirm, or a
 * typed stake: finding/place.js), near-duplicates (finding/nearby.js), photos (EXIF read first,
 * then resized: outbox_forms.js's PhotoBox), saved into the outbox and sent from there; findings
 * the server refused come back here to be corrected. The rules are finding/vocabulary.js's and
 * finding/record.js's. OFFLINE.md rules 1, 8, 9. Every word comes from the page's JSON blocks.
 * An ES module; the outbox's facade (window.Outbox) is made by the outbox module before it.
 * Plain ES2017 (no ?. or ??).
 */
import {
  FINDINGS_URL,
  attentionFindings,
  checkFinding,
  choosePatrol,
  findingBody,
  findingLabel,
  goneFromOutbox,
  photoEntries,
  withoutEmptyStakes,
} from "./finding/record.js";
import { POTHOLE, severityFromDepth } from "./finding/vocabulary.js";
import { createKindFields } from "./finding/kind_fields.js";
import { createPlace } from "./finding/place.js";
import { createNearby } from "./finding/nearby.js";
import { PhotoBox } from "./outbox_forms.js";
import {
  busy,
  clearErrors as clearFormErrors,
  numberOrNull,
  radioValue,
  setRadio,
  show,
  showErrors as showFormErrors,
} from "./lib/forms.js";
import { lang, outboxReady, readJsonBlock } from "./lib/page.js";
import { format, isoLocal, showTime } from "./lib/text.js";
import { normaliseStake } from "./lib/stake.js";
import { localGet, localSet } from "./lib/local.js";
import { uuid } from "./lib/crypto.js";

const ROAD_KEY = "inspection.lastRoad"; // the road chosen last on this phone

let Outbox = null; // the outbox's facade
let form = null;
let vocabulary = {};
let context = {};
let words = {};
let patrol = null; // the patrol new findings belong to, or null
let fixing = null; // {id, uuid, body}: an outbox entry being corrected
let kinds = null; // finding/kind_fields.js
let place = null; // finding/place.js
let nearby = null; // finding/nearby.js
let photos = null; // PhotoBox

function $(id) {
  return document.getElementById(id);
}

function clearErrors() {
  clearFormErrors(form, $("other-errors"));
}

/* Show errors by field name (the server's error.fields use the same names). */
function showErrors(fields) {
  showFormErrors(form, fields, { other: $("other-errors") });
}

function showPatrol(current) {
  const line = $("patrol-line");
  if (!patrol) {
    show(line, words.no_patrol);
    return;
  }
  const waiting = current && current.entries.some(function (e) {
    return e.kind === "record" && e.uuid === patrol.uuid;
  });
  const option = $("f-road").querySelector('option[value="' + patrol.road + "|" + patrol.direction + '"]');
  show(line, format(words.patrol, {
    road: option ? option.textContent : patrol.road,
    time: patrol.started_at ? showTime(Date.parse(patrol.started_at), lang()) : "",
  }) + (waiting ? " " + words.patrol_waiting : ""));
}

// --- the record ------------------------------------------------------------------------------

/* The form's values, as findingBody takes them. */
function values() {
  const own = kinds.read();
  own.road = $("f-road").value;
  own.stake = normaliseStake($("f-stake").value);
  own.end_stake = normaliseStake($("f-end-stake").value);
  own.note = $("f-note").value;
  own.onsite_action = $("f-action").value;
  own.lane = $("f-lane").value;
  own.side = radioValue(form, "side");
  return own;
}

function buildBody() {
  return findingBody(values(), vocabulary, {
    uuid: fixing ? fixing.uuid : uuid(),
    observed_at: fixing ? fixing.body.observed_at : isoLocal(),
    gps: fixing ? fixing.body.gps : place.fix(),
    patrol_uuid: fixing ? fixing.body.patrol_uuid : patrol && patrol.uuid,
  });
}

function photoEntriesOf(findingUuid, label) {
  return photoEntries(photos.photos, findingUuid, format(words.photo_label, { label: label }));
}

function resetForm() {
  const road = $("f-road").value;
  form.reset();
  $("f-road").value = road;
  place.reset();
  photos.clear();
  fixing = null;
  $("fix-banner").hidden = true;
  nearby.stopAttach();
  clearErrors();
  kinds.showKind();
}

function save(event) {
  event.preventDefault();
  return busy($("save-finding"), saveNow);
}

/* Photos for a finding already recorded (the crew chose a near-duplicate). */
async function saveAttached(target) {
  if (!photos.photos.length) {
    showErrors({ photo: words.need_photo });
    return false;
  }
  await Outbox.add(photoEntriesOf(target.uuid, target.label));
  resetForm();
  show($("form-message"), words.photos_saved, "ok");
  return true;
}

async function saveFinding() {
  const body = buildBody();
  const errors = checkFinding(body, kinds.currentItem(), words);
  if (Object.keys(errors).length) {
    showErrors(errors);
    show($("form-message"), words.check_fields, "error");
    return false;
  }
  const sent = withoutEmptyStakes(body);
  const label = findingLabel(sent, vocabulary, words, format);
  if (fixing) {
    await Outbox.replaceRecord(fixing.id, sent, label);
    if (photos.photos.length) await Outbox.add(photoEntriesOf(sent.client_uuid, label));
  } else {
    await Outbox.add([{
      method: "POST",
      url: FINDINGS_URL,
      uuid: sent.client_uuid,
      deps: [sent.patrol_uuid],
      body: sent,
      label: label,
    }].concat(photoEntriesOf(sent.client_uuid, label)));
  }
  localSet(ROAD_KEY, $("f-road").value);
  resetForm();
  show($("form-message"), words.saved, "ok");
  return true;
}

async function saveNow() {
  try {
    await photos.ready();
    clearErrors();
    const target = nearby.target();
    const saved = target ? await saveAttached(target) : await saveFinding();
    if (!saved) return;
    $("form-message").scrollIntoView({ block: "center" });
    Outbox.flush({ force: true });
    place.locate();
  } catch (error) {
    const reason = String((error && error.message) || error);
    show($("form-message"), format(words.save_failed, { reason: reason }), "error");
  }
}

// --- records that came back as needing attention ---------------------------------------------

function loadForFix(entry) {
  resetForm();
  const body = entry.body || {};
  fixing = { id: entry.id, uuid: entry.uuid, body: body };
  place.fill(body);
  kinds.fill(body);
  setRadio(form, "side", body.side || "");
  $("f-lane").value = body.lane || "";
  $("f-note").value = body.note || "";
  $("f-action").value = body.onsite_action || "";
  $("fix-banner").hidden = false;
  nearby.hide();
  const fields = entry.attention.fields || {};
  if (Object.keys(fields).length) showErrors(fields);
  show($("form-message"), entry.attention.message, "error");
  if (!Object.keys(fields).length) $("form-message").scrollIntoView({ block: "center" });
}

function attentionItem(entry) {
  const item = document.createElement("li");
  item.className = "record";
  item.setAttribute("data-uuid", entry.uuid);
  const title = document.createElement("strong");
  title.textContent = entry.label;
  const why = document.createElement("p");
  why.className = "field-error";
  why.textContent = format(Outbox.words.needs_attention, { reason: entry.attention.message });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-block";
  button.textContent = words.fix;
  button.addEventListener("click", function () {
    loadForFix(entry);
  });
  item.appendChild(title);
  item.appendChild(why);
  item.appendChild(button);
  return item;
}

function showAttention(current) {
  const entries = attentionFindings(current);
  const list = $("attention-list");
  list.textContent = "";
  entries.forEach(function (entry) {
    list.appendChild(attentionItem(entry));
  });
  $("attention-card").hidden = entries.length === 0;
  if (fixing && goneFromOutbox(current, fixing.id)) {
    resetForm(); // sent meanwhile (corrected elsewhere, or "send now" went through)
  }
}

// --- start -----------------------------------------------------------------------------------

function onChange(event) {
  const name = event.target.name;
  if (kinds.change(name)) return;
  if (name === "road") {
    place.roadChanged();
    nearby.schedule();
  } else if (name === "stake") {
    nearby.schedule();
  } else if (name === "depth_mm" && kinds.kind() === POTHOLE && !radioValue(form, "severity")) {
    const severity = severityFromDepth(numberOrNull($("f-depth").value));
    if (severity) setRadio(form, "severity", severity);
  }
}

function init() {
  if (!window.isSecureContext) {
    show($("insecure-notice"), Outbox.words.insecure);
    $("gps-line").hidden = true;
  }
  patrol = choosePatrol(Outbox.patrol.get(), context.patrol);
  if (patrol) {
    place.selectRoad(patrol.road, patrol.direction);
  } else {
    const last = localGet(ROAD_KEY);
    if (last) $("f-road").value = last;
  }
  showPatrol(null);
  form.addEventListener("change", onChange);
  place.wire();
  $("attach-cancel").addEventListener("click", nearby.stopAttach);
  $("fix-cancel").addEventListener("click", resetForm);
  form.addEventListener("submit", save);
  window.addEventListener("outbox:change", function (event) {
    showAttention(event.detail);
    showPatrol(event.detail);
  });
  const current = Outbox.current();
  if (current) {
    showAttention(current);
    showPatrol(current);
  }
  kinds.showKind();
  Outbox.registerServiceWorker();
  place.locate();
  $("save-finding").disabled = false; // disabled in the page until this script runs
}

outboxReady().then(function (facade) {
  Outbox = facade;
  form = $("finding-form");
  if (!Outbox || !form) return;
  vocabulary = readJsonBlock("finding-vocabulary") || {};
  context = readJsonBlock("finding-context") || {};
  words = readJsonBlock("finding-words") || {};
  nearby = createNearby(form, words, function () {
    return { kind: kinds.kind(), road: place.road().road, fix: place.fix(), busy: Boolean(fixing) };
  });
  kinds = createKindFields(form, vocabulary, words, nearby.schedule);
  place = createPlace(words, nearby.schedule);
  photos = new PhotoBox($("f-photo"), $("photo-list"), $("photo-status"), words, "site");
  init();
});
