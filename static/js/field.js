/* "My patrol", the field home: start and end a patrol through the outbox, today's findings
 * (field/findings.js), what waits on the phone, and the patrol's track (track/field_track.js).
 * The current patrol is also kept on the phone (Outbox.patrol) so that it shows, and the
 * new-finding page can use it, while its start is still only in the outbox; which patrol is
 * open is field/patrol.js's rule. Ending a patrol first asks the track for its last batch.
 * An ES module; the outbox's facade (window.Outbox) is made by the outbox module before it.
 * Plain ES2017 (no ?. or ??).
 */
import {
  PATROLS_URL,
  defaultChoice,
  endBody,
  ownDriver,
  pageKnows,
  patrolFacts,
  reconcile,
  recordWaiting,
  startBody,
  startedPatrol,
  typedStake,
} from "./field/patrol.js";
import { showWaitingFindings } from "./field/findings.js";
import { PRETRIP_KEY, blockedLocally } from "./crew/pretrip_rules.js";
import { startTrack } from "./track/field_track.js";
import { forgetSuggested, show, showErrors, suggest, typed, watchTyping } from "./lib/forms.js";
import { lang, outboxReady, readJsonBlock } from "./lib/page.js";
import { format, isoLocal, localDate, megabytes, showTime } from "./lib/text.js";
import { locate, position } from "./lib/location.js";
import { localGet, localSet } from "./lib/local.js";
import { uuid } from "./lib/crypto.js";

const CREW_KEY = "inspection.crew"; // the crew, vehicle and driver chosen last on this phone
const MAX_ACCURACY_M = 50; // a fix worse than this suggests no stake
const loadedAt = (window.performance && performance.timeOrigin) ||
  (window.performance && performance.timing && performance.timing.navigationStart) || Date.now();

let Outbox = null; // the outbox's facade
let page = null; // #field-page
let context = {};
let words = {};
let fromCache = false;
let track = null; // track/field_track.js, or null
let lastFix = null;
let shown = null; // the patrol shown as open
let startForm = null;
let endForm = null;
let roadSelect = null;

function $(id) {
  return document.getElementById(id);
}

function message(text, kind) {
  show($("field-message"), text, kind);
}

function hint(form, name, text) {
  const node = form.querySelector('[data-hint-for="' + name + '"]');
  if (node) show(node, text);
}

function roadLabel(code, direction) {
  const option = roadSelect.querySelector('option[value="' + code + "|" + direction + '"]');
  return option ? option.textContent.split(" · ").slice(0, 2).join(" · ") : code + " " + direction;
}

function failed(error) {
  message(format(words.save_failed, { reason: String((error && error.message) || error) }), "error");
}

// --- which patrol is open on this phone ------------------------------------------------------

function reconciled(current) {
  const entries = current ? current.entries : [];
  const found = reconcile(context.patrol, Outbox.patrol.get(), entries, function (own) {
    return pageKnows(Outbox.sentAt(own), loadedAt, fromCache);
  });
  if (found.keep === "set") Outbox.patrol.set(found.patrol);
  else if (found.keep === "clear") Outbox.patrol.clear();
  return found.patrol;
}

function showPatrol(patrol, current) {
  const before = shown;
  shown = patrol;
  if (track && ((before && before.uuid) !== (patrol && patrol.uuid) || !before !== !patrol)) {
    track.follow(patrol); // the track follows the patrol shown here
  }
  const open = $("patrol-open");
  open.hidden = !patrol;
  $("patrol-start").hidden = Boolean(patrol);
  if (!patrol) {
    open.removeAttribute("data-uuid");
    return;
  }
  open.setAttribute("data-uuid", patrol.uuid);
  const facts = patrolFacts(patrol, context, {
    roadLabel: roadLabel,
    time: function (iso) {
      return showTime(Date.parse(iso), lang());
    },
  });
  Object.keys(facts).forEach(function (name) {
    const node = page.querySelector('[data-fact="' + name + '"]');
    if (node) node.textContent = facts[name];
  });
  $("patrol-pending").hidden = !(current && recordWaiting(current.entries, patrol.uuid));
  $("patrol-page-link").href = "/patrols/" + encodeURIComponent(patrol.uuid);
}

function refresh(current) {
  showPatrol(reconciled(current), current);
  showWaitingFindings($("todays-findings"), $("no-findings"), current, words);
}

// --- GPS: suggest the start or end stake -----------------------------------------------------

function suggestStake(input, form, road, direction) {
  if (!lastFix || !road || typed(input) || lastFix.accuracy > MAX_ACCURACY_M) return;
  locate(lastFix, road, direction).then(function (answer) {
    if (!answer.candidate || !suggest(input, answer.candidate.stake)) return;
    hint(form, input.name, format(words.stake_from_gps, {
      stake: answer.candidate.stake,
      distance: Math.round(answer.candidate.distance_m),
    }));
  }, function () {
    /* no connection: the stake stays optional */
  });
}

function locateOnce() {
  position(60000).then(function (fix) {
    lastFix = fix;
    if (!$("patrol-start").hidden && roadSelect.value) {
      const parts = roadSelect.value.split("|");
      suggestStake($("start-stake"), startForm, parts[0], parts[1]);
    }
    if (shown) suggestStake($("end-stake"), endForm, shown.road, shown.direction);
  }, function () {
    lastFix = null;
  });
}

// --- start and end ---------------------------------------------------------------------------

/* Show the form's errors (none: clear them) and put the focus on the first. */
function refuse(form, errors, first) {
  showErrors(form, errors);
  if (first) first.focus();
  return Object.keys(errors).length > 0;
}

function startPatrol(event) {
  event.preventDefault();
  const stakeInput = $("start-stake");
  const stake = typedStake(stakeInput.value);
  const errors = {};
  if (!roadSelect.value) errors.road = words.choose_road;
  if (stake.error) errors.start_stake = words.stake_format;
  // Today's failed pre-trip check recorded on this phone stops the start here (#16); the
  // server refuses it too (422 pretrip_failed), also for checks made on other phones.
  const stopped = blockedLocally(localGet(PRETRIP_KEY), selectValue("start-vehicle-id"),
    selectValue("start-driver"), localDate());
  if (stopped.vehicle) errors.vehicle_id = stopped.vehicle.vehicle_message;
  if (stopped.driver) errors.driver_id = stopped.driver.driver_message;
  if (refuse(startForm, errors, errors.road ? roadSelect : stake.error ? stakeInput : null)) return;
  const body = startBody({
    road: roadSelect.value,
    kind: $("start-kind").value,
    crew: $("start-crew").value,
    vehicle: $("start-vehicle").value,
    vehicle_id: selectValue("start-vehicle-id"),
    driver_id: selectValue("start-driver"),
    weather: $("start-weather").value,
    stake: stake.value,
  }, uuid(), isoLocal(), lastFix);
  const button = $("start-patrol");
  button.disabled = true;
  Outbox.add([{
    method: "POST",
    url: PATROLS_URL,
    uuid: body.client_uuid,
    body: body,
    label: format(words.patrol_start_label, { road: body.road }),
  }]).then(function () {
    Outbox.patrol.set(startedPatrol(body));
    localSet(CREW_KEY, {
      crew: body.crew,
      vehicle: body.vehicle,
      vehicle_id: body.vehicle_id || null,
      driver_id: body.driver_id || null,
    });
    message(words.patrol_saved + " " + (Outbox.words.saved_offline || ""), "ok");
    return Outbox.render();
  }).then(function (current) {
    refresh(current);
    Outbox.flush({ force: true });
  }, failed).then(function () {
    button.disabled = false;
  });
}

/* The track's last batch goes into the outbox first, so it is sent before the end. The end
 * does not depend on it: the server takes a patrol's points up to a day after its end, and a
 * batch the server refused (needs attention: a crew cannot correct a track) must not keep
 * the patrol from ending. */
function lastTrackBatch(patrol) {
  if (!track) return Promise.resolve(null);
  return track.finish(patrol.uuid).then(null, function () {
    return null; // the batches stay on the phone and follow; the end does not wait for them
  });
}

function endPatrol(event) {
  event.preventDefault();
  const patrol = shown;
  if (!patrol) return;
  const stakeInput = $("end-stake");
  const stake = typedStake(stakeInput.value);
  const errors = stake.error ? { end_stake: words.stake_format } : {};
  if (refuse(endForm, errors, stake.error ? stakeInput : null)) return;
  if (!window.confirm(words.confirm_end)) return;
  const button = $("end-patrol");
  button.disabled = true;
  lastTrackBatch(patrol).then(function () {
    // The time of the end is taken once the track has stopped: no point comes after it.
    return Outbox.add([{
      method: "PATCH",
      url: PATROLS_URL + "/" + patrol.uuid,
      uuid: patrol.uuid,
      body: endBody(stake.value, isoLocal(), lastFix),
      label: format(words.patrol_end_label, { road: patrol.road }),
    }]);
  }).then(function () {
    patrol.ended = true;
    Outbox.patrol.set(patrol);
    stakeInput.value = "";
    message(words.patrol_ended, "ok");
    return Outbox.render();
  }).then(function (current) {
    refresh(current);
    Outbox.flush({ force: true });
  }, failed).then(function () {
    button.disabled = false;
  });
}

// --- the registers' vehicle and driver (#15) -------------------------------------------------

function selectValue(id) {
  const select = $(id);
  return select ? select.value : "";
}

/* The typed plate is asked for only when no unit of the register is chosen. */
function showPlate() {
  $("start-vehicle-field").hidden = Boolean(selectValue("start-vehicle-id"));
}

/* Start the selects on the crew's last choice (the driver: else the signed-in user's own). */
function chooseDefaults(remembered) {
  const vehicleSelect = $("start-vehicle-id");
  const driverSelect = $("start-driver");
  if (vehicleSelect) {
    vehicleSelect.value = defaultChoice(context.vehicles, remembered && remembered.vehicle_id, null);
    vehicleSelect.addEventListener("change", showPlate);
    showPlate();
  }
  if (driverSelect) {
    driverSelect.value = defaultChoice(context.drivers, remembered && remembered.driver_id,
      ownDriver(context.drivers, context.me));
  }
}

// --- storage ---------------------------------------------------------------------------------

function showStorage() {
  Outbox.askPersistence().then(function () {
    return Outbox.storageInfo();
  }).then(function (info) {
    if (!info) return;
    $("storage-estimate").textContent = format(Outbox.words.storage_use, {
      used: megabytes(info.usage),
      quota: megabytes(info.quota),
    });
    $("storage-persisted").textContent = info.persisted ? Outbox.words.persisted : Outbox.words.not_persisted;
  });
}

// --- start -----------------------------------------------------------------------------------

function init() {
  if (!window.isSecureContext) show($("insecure-notice"), Outbox.words.insecure);
  const remembered = localGet(CREW_KEY);
  if (remembered) {
    if (remembered.crew) $("start-crew").value = remembered.crew;
    if (remembered.vehicle) $("start-vehicle").value = remembered.vehicle;
  }
  chooseDefaults(remembered);
  watchTyping($("start-stake"));
  watchTyping($("end-stake"));
  startForm.addEventListener("submit", startPatrol);
  endForm.addEventListener("submit", endPatrol);
  roadSelect.addEventListener("change", function () {
    const input = $("start-stake");
    if (forgetSuggested(input)) hint(startForm, "start_stake", "");
    if (roadSelect.value) {
      const parts = roadSelect.value.split("|");
      suggestStake(input, startForm, parts[0], parts[1]);
    }
  });
  track = startTrack(Outbox);
  window.addEventListener("outbox:change", function (event) {
    refresh(event.detail);
  });
  Outbox.state().then(refresh, function () {
    refresh(null);
  });
  showStorage();
  Outbox.registerServiceWorker();
  locateOnce();
  $("start-patrol").disabled = false; // disabled in the page until this script runs
  $("end-patrol").disabled = false;
  page.setAttribute("data-outbox", "ready");
}

outboxReady().then(function (facade) {
  Outbox = facade;
  page = $("field-page");
  if (!Outbox || !page) return;
  context = readJsonBlock("field-context") || {};
  words = readJsonBlock("field-words") || {};
  fromCache = page.getAttribute("data-page-source") === "cache";
  startForm = $("patrol-start-form");
  endForm = $("patrol-end-form");
  roadSelect = $("start-road");
  init();
});
