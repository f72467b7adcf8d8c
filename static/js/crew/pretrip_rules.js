/* The pre-trip check on the phone, without the page: the same judging as the server's
 * (inspection/crew/rules.py, thresholds embedded in the page), the request body, the outbox
 * entry, and the phone's memory of today's checks, which the start-patrol form reads to warn
 * BEFORE sending (the server stays the authority: its 422 pretrip_failed decides).
 * Pure: node tests it (tests/js/pretrip_rules.test.mjs). Plain ES2017 (no ?. or ??).
 */

export var CHECKS_URL = "/api/v1/pretrip-checks";
// Today's checks recorded on this phone (localStorage, a convenience: the outbox is IndexedDB).
export var PRETRIP_KEY = "inspection.pretrip.today";
// Plausible readings (rules.py SYSTOLIC_RANGE, DIASTOLIC_RANGE, ALCOHOL_MAX_MG).
export var SYSTOLIC_RANGE = [50, 300];
export var DIASTOLIC_RANGE = [30, 200];
export var ALCOHOL_MAX_MG = 500;

var ONE_DECIMAL = /^[0-9]{1,4}(\.[0-9])?$/;
var WHOLE = /^[0-9]{1,4}$/;

/* Tenths of a mg/100 ml as an integer (exact: no floating-point boundary errors). */
function tenths(value) {
  return Math.round(Number(value) * 10);
}

/* A typed alcohol reading: {value} (a number, at most one decimal) or {error: code}. */
export function parseAlcohol(text) {
  var t = String(text === undefined || text === null ? "" : text).trim().replace(",", ".");
  if (!t) return { error: "missing" };
  if (t.charAt(0) === "-") return { error: "negative" };
  if (!ONE_DECIMAL.test(t)) return { error: "format" };
  return { value: Number(t) };
}

/* A typed pressure: {value} (a whole number) or {error: code}. */
export function parsePressure(text) {
  var t = String(text === undefined || text === null ? "" : text).trim();
  if (!t) return { error: "missing" };
  if (!WHOLE.test(t)) return { error: "format" };
  return { value: parseInt(t, 10) };
}

/* {field: message} of what the phone can tell before saving (words: the page's messages). */
export function checkErrors(values, context, words) {
  var errors = {};
  var vehicleId = parseInt(values.vehicle_id, 10);
  var driverId = parseInt(values.driver_id, 10);
  if (!(context.vehicles || []).some(function (v) { return v.id === vehicleId; })) {
    errors.vehicle_id = words.choose_vehicle;
  }
  if (!(context.drivers || []).some(function (d) { return d.id === driverId; })) {
    errors.driver_id = words.choose_driver;
  }
  var alcohol = parseAlcohol(values.alcohol_mg);
  if (alcohol.error === "missing") errors.alcohol_mg = words.alcohol_missing;
  else if (alcohol.error === "negative") errors.alcohol_mg = words.alcohol_negative;
  else if (alcohol.error) errors.alcohol_mg = words.one_decimal;
  else if (alcohol.value > ALCOHOL_MAX_MG) errors.alcohol_mg = words.alcohol_implausible;
  var sys = parsePressure(values.systolic);
  var dia = parsePressure(values.diastolic);
  if (sys.error === "missing") errors.systolic = words.systolic_missing;
  else if (sys.error || sys.value < SYSTOLIC_RANGE[0] || sys.value > SYSTOLIC_RANGE[1]) {
    errors.systolic = words.systolic_implausible;
  }
  if (dia.error === "missing") errors.diastolic = words.diastolic_missing;
  else if (dia.error || dia.value < DIASTOLIC_RANGE[0] || dia.value > DIASTOLIC_RANGE[1]) {
    errors.diastolic = words.diastolic_implausible;
  } else if (!errors.systolic && !sys.error && dia.value >= sys.value) {
    errors.diastolic = words.diastolic_below;
  }
  return errors;
}

/* Judge a check as the server will (rules.judge): items {code: true|false}, the readings as
 * numbers, t: {alcohol_drink_mg, alcohol_drunk_mg, systolic_max, diastolic_max}. */
export function judgeCheck(items, alcoholMg, systolic, diastolic, t, codes) {
  var faults = (codes || Object.keys(items)).filter(function (code) {
    return items[code] !== true;
  });
  var mg = tenths(alcoholMg);
  var alcohol = "passed";
  if (mg >= tenths(t.alcohol_drunk_mg)) alcohol = "drunk";
  else if (mg >= tenths(t.alcohol_drink_mg)) alcohol = "drink";
  var pressureOk = systolic < t.systolic_max && diastolic < t.diastolic_max;
  var result = {
    vehicle_passed: faults.length === 0,
    faults: faults,
    alcohol: alcohol,
    alcohol_passed: alcohol === "passed",
    blood_pressure_passed: pressureOk,
  };
  result.passed = result.vehicle_passed && result.alcohol_passed && result.blood_pressure_passed;
  return result;
}

/* The POST /api/v1/pretrip-checks body. checkedAt: an ISO time with its offset (isoLocal()). */
export function checkBody(values, items, clientUuid, checkedAt) {
  var copy = {};
  Object.keys(items).forEach(function (code) {
    copy[code] = items[code] === true;
  });
  return {
    client_uuid: String(clientUuid).toLowerCase(),
    checked_at: checkedAt,
    vehicle_id: parseInt(values.vehicle_id, 10),
    driver_id: parseInt(values.driver_id, 10),
    vehicle_items: copy,
    alcohol_mg: parseAlcohol(values.alcohol_mg).value,
    systolic: parsePressure(values.systolic).value,
    diastolic: parsePressure(values.diastolic).value,
    note: String(values.note || "").trim(),
  };
}

/* The outbox entry of a check: a record the server confirms by its `uuid`. */
export function pretripEntry(body, label) {
  return {
    method: "POST",
    url: CHECKS_URL,
    uuid: body.client_uuid,
    answer_uuid: "uuid",
    deps: [],
    body: body,
    label: label,
  };
}

/* The checks waiting in the outbox (Outbox.state().entries). */
export function waitingChecks(entries) {
  return (entries || []).filter(function (entry) {
    return entry.kind === "record" && entry.url === CHECKS_URL;
  });
}

/* The day a check counts for, from its ISO local time ("2026-05-01T07:40:00+08:00"): the
 * phone's local date (crews' phones keep the branch's time zone). */
export function dayOf(isoTime) {
  return String(isoTime || "").slice(0, 10);
}

/* The phone's list of today's checks with one more: only `day`'s kept. messages: the words the
 * start-patrol form shows when it refuses (already in the page's language). */
export function rememberCheck(list, body, verdict, messages) {
  var day = dayOf(body.checked_at);
  var kept = (list || []).filter(function (entry) {
    return entry && entry.day === day && entry.uuid !== body.client_uuid;
  });
  kept.push({
    uuid: body.client_uuid,
    day: day,
    at: body.checked_at,
    vehicle_id: body.vehicle_id,
    driver_id: body.driver_id,
    vehicle_passed: verdict.vehicle_passed,
    driver_passed: verdict.alcohol_passed && verdict.blood_pressure_passed,
    vehicle_message: messages.vehicle,
    driver_message: messages.driver,
  });
  return kept;
}

/* Whether the phone's own checks of `day` block a start with this vehicle or driver: the
 * newest check of each decides it, as on the server. {vehicle: entry|null, driver: entry|null}
 * (the failed check's entry, carrying its message). No check: nothing blocks. */
export function blockedLocally(list, vehicleId, driverId, day) {
  var vid = parseInt(vehicleId, 10);
  var did = parseInt(driverId, 10);
  var newestVehicle = null;
  var newestDriver = null;
  (list || []).forEach(function (entry) {
    if (!entry || entry.day !== day) return;
    if (entry.vehicle_id === vid && (!newestVehicle || entry.at >= newestVehicle.at)) {
      newestVehicle = entry;
    }
    if (entry.driver_id === did && (!newestDriver || entry.at >= newestDriver.at)) {
      newestDriver = entry;
    }
  });
  return {
    vehicle: newestVehicle && !newestVehicle.vehicle_passed ? newestVehicle : null,
    driver: newestDriver && !newestDriver.driver_passed ? newestDriver : null,
  };
}
