/* The work zone on the phone, without the page: the flag of short parts (the same rule as the
 * server's inspection/crew/zone_rules.py, with the branch's minimums embedded in the page), the
 * request body, what the phone can check before saving, and the outbox entries (the zone, its
 * set-up photos after it, the removal later as a PATCH).
 * Pure: node tests it (tests/js/zone_rules.test.mjs). Plain ES2017 (no ?. or ??).
 */

export var ZONES_URL = "/api/v1/work-zones";
export var PART_ORDER = [
  "warning", "upstream_transition", "buffer", "work_area", "downstream_transition", "termination",
];
export var COUNTED = ["sign", "cone", "alarm_cone"];
export var INTRUSION_ALARMS = ["alarm_cone", "intrusion_radar"];
export var MAX_PHOTOS = 6;
export var LENGTH_MAX_M = 100000;
var STAKE = /^K\d+\+\d{3}(\.\d+)?$/;
var NUMBER = /^[0-9]{1,6}(\.[0-9]{1,3})?$/;
var WHOLE = /^[0-9]{1,5}$/;

/* The configured speed whose minimums apply to a zone at `speed`: the nearest at or above it;
 * the fastest one when the zone is faster than all ({speed: null} without a table). */
export function applicableSpeed(speeds, speed) {
  var sorted = (speeds || []).map(Number).filter(function (s) {
    return isFinite(s);
  }).sort(function (a, b) {
    return a - b;
  });
  if (!sorted.length) return { speed: null, beyond: false };
  for (var i = 0; i < sorted.length; i++) {
    if (sorted[i] >= speed) return { speed: sorted[i], beyond: false };
  }
  return { speed: sorted[sorted.length - 1], beyond: true };
}

/* Judge part lengths ({part: metres}) against the table ({speed: {part: metres}}) for a zone at
 * `speed` km/h: {speed, beyond, minimums, shortfalls: [{part, length_m, minimum_m}]} in driving
 * order. Parts not given and minimums of 0 are not flagged; flagged is never refused. */
export function judgeParts(parts, table, speed) {
  var used = applicableSpeed(Object.keys(table || {}), speed);
  var result = { speed: used.speed, beyond: used.beyond, minimums: {}, shortfalls: [] };
  if (used.speed === null || !isFinite(speed)) return result;
  var row = table[used.speed] || table[String(used.speed)] || {};
  PART_ORDER.forEach(function (part) {
    var minimum = Number(row[part]);
    if (!(minimum > 0)) return;
    result.minimums[part] = minimum;
    var length = parts ? parts[part] : undefined;
    if (typeof length === "number" && isFinite(length) && length < minimum) {
      result.shortfalls.push({ part: part, length_m: length, minimum_m: minimum });
    }
  });
  return result;
}

function text(value) {
  return value === undefined || value === null ? "" : String(value).trim();
}

function numberOf(value) {
  var t = text(value).replace(",", ".");
  return NUMBER.test(t) ? Number(t) : (t ? NaN : null);
}

function wholeOf(value) {
  var t = text(value);
  return WHOLE.test(t) ? Number(t) : (t ? NaN : null);
}

export function normaliseStake(value) {
  return text(value).toUpperCase().replace(/\s+/g, "").replace("＋", "+");
}

/* The JSON the API takes, from the form's values ({link, repair_uuid, patrol_uuid, road:
 * "G30/up", direction, from_stake, to_stake, lanes_closed, lanes_note, speed_limit_kmh,
 * set_up_at (ISO with offset), parts: {part: text}, devices: {device: count text or true},
 * note}). Unreadable numbers stay NaN so checkZone names them. */
export function zoneBody(values, clientUuid) {
  var road = text(values.road);
  var cut = road.indexOf("/");
  var parts = [];
  PART_ORDER.forEach(function (part) {
    var length = numberOf((values.parts || {})[part]);
    if (length !== null) parts.push({ part: part, length_m: length });
  });
  var devices = [];
  Object.keys(values.devices || {}).forEach(function (device) {
    var given = values.devices[device];
    if (given === false || given === null || given === undefined) return;
    var entry = { device: device };
    if (COUNTED.indexOf(device) >= 0) entry.count = wholeOf(given === true ? "" : given);
    devices.push(entry);
  });
  var link = values.link || "";
  return {
    client_uuid: String(clientUuid).toLowerCase(),
    repair_uuid: link !== "patrol" && values.repair_uuid ? String(values.repair_uuid) : null,
    patrol_uuid: link !== "repair" && values.patrol_uuid ? String(values.patrol_uuid) : null,
    road: cut >= 0 ? road.slice(0, cut) : road,
    direction: text(values.direction) || (cut >= 0 ? road.slice(cut + 1) : "") || null,
    from_stake: normaliseStake(values.from_stake),
    to_stake: normaliseStake(values.to_stake),
    lanes_closed: wholeOf(values.lanes_closed),
    lanes_note: text(values.lanes_note),
    speed_limit_kmh: wholeOf(values.speed_limit_kmh),
    set_up_at: values.set_up_at || null,
    parts: parts,
    devices: devices,
    note: text(values.note),
  };
}

/* {field: message} of what the phone can tell; the server checks the rest (the stakes on the
 * road, the links). `photos` is how many set-up photos were taken. */
export function checkZone(body, photos, words) {
  var errors = {};
  if (!body.repair_uuid && !body.patrol_uuid) errors.repair_uuid = words.need_link;
  if (!body.road) errors.road = words.choose_road;
  ["from_stake", "to_stake"].forEach(function (name) {
    if (!body[name]) errors[name] = words.required;
    else if (!STAKE.test(body[name])) errors[name] = words.stake_format;
  });
  var lanes = body.lanes_closed;
  if (lanes === null || !(lanes >= 0 && lanes <= 8)) errors.lanes_closed = words.lanes;
  var speed = body.speed_limit_kmh;
  if (speed === null || !(speed >= 5 && speed <= 130)) errors.speed_limit_kmh = words.speed;
  if (!body.set_up_at) errors.set_up_at = words.required;
  body.parts.forEach(function (part) {
    if (!(part.length_m > 0 && part.length_m <= LENGTH_MAX_M)) {
      errors["part_" + part.part] = words.length;
    }
  });
  body.devices.forEach(function (device) {
    if (COUNTED.indexOf(device.device) < 0) return;
    if (device.count === null || !(device.count >= 1 && device.count <= 10000)) {
      errors["count_" + device.device] = words.count;
    }
  });
  if (photos > MAX_PHOTOS) errors.photo = words.too_many_photos;
  return errors;
}

/* Whether a zone's devices include an intrusion alarm (alarm cones or the vehicle radar). */
export function hasIntrusionAlarm(devices) {
  return (devices || []).some(function (d) {
    return INTRUSION_ALARMS.indexOf(d.device) >= 0;
  });
}

/* "G30 K3504+000–K3504+300": what the outbox shows for the zone. */
export function zoneLabel(body, template) {
  var place = body.road + " " + body.from_stake + "–" + body.to_stake;
  return template ? String(template).split("%(place)s").join(place) : place;
}

/* The outbox entries: the zone (waiting for its patrol when the patrol's start still waits on
 * the phone), then each photo after it. */
export function zoneEntries(body, photos, label, photoLabel) {
  var uuid = String(body.client_uuid).toLowerCase();
  var deps = body.patrol_uuid ? [String(body.patrol_uuid).toLowerCase()] : [];
  if (body.repair_uuid) deps.push(String(body.repair_uuid).toLowerCase());
  var entries = [{
    method: "POST",
    url: ZONES_URL,
    uuid: uuid,
    answer_uuid: "uuid",
    deps: deps,
    body: body,
    label: label,
  }];
  (photos || []).slice(0, MAX_PHOTOS).forEach(function (photo) {
    entries.push({
      url: ZONES_URL + "/" + uuid + "/photos",
      parent_uuid: uuid,
      deps: [uuid],
      photo_uuid: photo.photo_uuid,
      stage: "site",
      bytes: photo.bytes,
      type: photo.type,
      sha256: photo.sha256 || null,
      exif_taken_at: photo.exif_taken_at || null,
      exif_lon: photo.exif_lon === undefined ? null : photo.exif_lon,
      exif_lat: photo.exif_lat === undefined ? null : photo.exif_lat,
      label: photoLabel || label,
    });
  });
  return entries;
}

/* The removal of a zone, recorded later (PATCH, under the zone's own UUID). */
export function removalEntry(zoneUuid, removedAt, label) {
  var uuid = String(zoneUuid).toLowerCase();
  return {
    method: "PATCH",
    url: ZONES_URL + "/" + uuid,
    uuid: uuid,
    answer_uuid: "uuid",
    deps: [],
    body: { removed_at: removedAt },
    label: label,
  };
}

/* The zone records (set-ups and removals) waiting on this phone (Outbox.state().entries). */
export function waitingZones(entries) {
  return (entries || []).filter(function (entry) {
    return entry.kind === "record" && String(entry.url || "").indexOf(ZONES_URL) === 0;
  });
}
