/* A finding as the phone saves it: the patrol it belongs to, the POST /api/v1/findings body
 * from the form's values, what the phone checks before saving (the server checks the rest and
 * the outbox shows its answer), its label, its photos' outbox entries, the near-duplicates
 * query. Pure: node tests it (tests/js/finding_rules.test.mjs). Plain ES2017 (no ?. or ??).
 */
import { isStake } from "../lib/stake.js";
import { numberOrNull } from "../lib/forms.js";
import { PAVEMENT_DISTRESS, POTHOLE, SAFETY_HAZARD, graded, subgradeItems } from "./vocabulary.js";

export const FINDINGS_URL = "/api/v1/findings";
// A fix worse than this places nothing: the crew types the stake.
export const MAX_ACCURACY_M = 50;

/* The patrol a new finding belongs to: the phone's own open one (its start may still be in the
 * outbox), else the server's unless this phone ended it; null without one. */
export function choosePatrol(local, server) {
  const open = server && !server.voided ? server : null;
  if (local && !local.ended) return local;
  if (open && !(local && local.uuid === open.uuid && local.ended)) return open;
  return null;
}

function trimmed(text) {
  return String(text || "").trim();
}

/* The body of a finding. values: what the form holds — {kind, road: "G30|up", stake, end_stake
 * (normalised), note, onsite_action, lane, side, severity ("" when not asked), pavement,
 * distress, subgrade, quantity, depth_mm, count (as typed), hazard: {category, grade,
 * description, interim_measures}}; record: {uuid, observed_at, gps (a fix or null),
 * patrol_uuid (or null)}. */
export function findingBody(values, vocabulary, record) {
  const kind = values.kind || "";
  const parts = values.road ? String(values.road).split("|") : ["", ""];
  const body = {
    client_uuid: record.uuid,
    kind: kind,
    road: parts[0],
    direction: parts[1] || "",
    stake: values.stake || "",
    end_stake: values.end_stake || "",
    note: trimmed(values.note),
    onsite_action: trimmed(values.onsite_action),
    lane: trimmed(values.lane),
    observed_at: record.observed_at,
  };
  const gps = record.gps;
  if (gps) body.gps = { lon: gps.lon, lat: gps.lat, accuracy: gps.accuracy, at: gps.at };
  if (record.patrol_uuid) body.patrol_uuid = record.patrol_uuid;
  if (values.side) body.side = values.side;
  if (values.severity) body.severity = values.severity;
  if (kind === PAVEMENT_DISTRESS) {
    body.pavement = values.pavement || "asphalt";
    body.item_code = values.distress || "";
  } else if (subgradeItems(vocabulary, kind) && values.subgrade) {
    body.item_code = values.subgrade;
  }
  if (kind === PAVEMENT_DISTRESS || kind === POTHOLE) {
    const quantity = numberOrNull(values.quantity);
    if (quantity !== null) body.quantity = quantity;
  }
  if (kind === POTHOLE) {
    const depth = numberOrNull(values.depth_mm);
    const count = numberOrNull(values.count);
    if (depth !== null) body.depth_mm = depth;
    if (count !== null) body.count = count;
  }
  if (kind === SAFETY_HAZARD) {
    const hazard = values.hazard || {};
    body.hazard = {
      category: hazard.category || "",
      grade: hazard.grade || "",
      description: trimmed(hazard.description),
      interim_measures: trimmed(hazard.interim_measures),
    };
  }
  return body;
}

/* What the phone can tell before saving: {field: message} (the server's field names). item:
 * the finding's item (vocabulary.itemOf), for whether a severity is needed. */
export function checkFinding(body, item, words) {
  const errors = {};
  const stake = body.stake;
  const endStake = body.end_stake;
  if (!body.kind) errors.kind = words.choose_kind;
  if (!body.road) errors.road = words.choose_road;
  if (stake && !isStake(stake)) errors.stake = words.stake_format;
  if (endStake && !isStake(endStake)) errors.end_stake = words.stake_format;
  if (endStake && !stake) errors.stake = words.required;
  if (!stake && !(body.gps && body.gps.accuracy <= MAX_ACCURACY_M)) errors.stake = words.need_location;
  if (body.kind === PAVEMENT_DISTRESS && !body.item_code) errors.item_code = words.required;
  if (graded(item) && !body.severity && body.kind !== POTHOLE) errors.severity = words.required;
  if ((body.kind === PAVEMENT_DISTRESS || body.kind === POTHOLE) && !(body.quantity > 0)) {
    errors.quantity = words.positive;
  }
  if (body.depth_mm !== undefined && !(body.depth_mm >= 0)) errors.depth_mm = words.positive;
  if (body.count !== undefined && !(body.count >= 1 && Math.floor(body.count) === body.count)) {
    errors.count = words.whole;
  }
  if (body.kind === SAFETY_HAZARD) {
    if (!body.hazard.category) errors["hazard.category"] = words.required;
    if (!body.hazard.grade) errors["hazard.grade"] = words.required;
    if (!body.hazard.description) errors["hazard.description"] = words.required;
  }
  return errors;
}

/* The body as sent: empty stakes left out (the server derives the stake from the fix). */
export function withoutEmptyStakes(body) {
  const copy = {};
  Object.keys(body).forEach(function (name) {
    if ((name === "stake" || name === "end_stake") && !body[name]) return;
    copy[name] = body[name];
  });
  return copy;
}

/* "G30 K3505+120 坑槽" (the outbox's label); fmt fills a template. */
export function findingLabel(body, vocabulary, words, fmt) {
  return fmt(words.finding_label, {
    road: body.road,
    stake: body.stake || words.gps_only,
    kind: ((vocabulary || {}).kinds || {})[body.kind] || body.kind,
  }).trim();
}

/* The outbox entries of a finding's photos (prepared by photo_prep.js), sent after it. */
export function photoEntries(photos, findingUuid, label) {
  return (photos || []).map(function (photo) {
    return {
      finding_uuid: findingUuid,
      photo_uuid: photo.photo_uuid,
      stage: "site",
      bytes: photo.bytes,
      type: photo.type,
      sha256: photo.sha256,
      exif_taken_at: photo.exif_taken_at,
      exif_lon: photo.exif_lon,
      exif_lat: photo.exif_lat,
      label: label,
    };
  });
}

/* The query of GET /api/v1/findings/nearby: by the typed stake, else by a good enough fix;
 * "" when there is nothing to ask by. */
export function nearbyQuery(kind, road, stake, fix) {
  if (!kind || !road) return "";
  const query = "road=" + encodeURIComponent(road) + "&kind=" + encodeURIComponent(kind);
  if (isStake(stake)) return query + "&stake=" + encodeURIComponent(stake);
  if (fix && fix.accuracy <= MAX_ACCURACY_M) return query + "&lon=" + fix.lon + "&lat=" + fix.lat;
  return "";
}

/* The findings the server refused (the outbox's state): they wait for the crew to correct them. */
export function attentionFindings(current) {
  return current ? current.attention.filter(function (entry) {
    return entry.kind === "record" && entry.url === FINDINGS_URL;
  }) : [];
}

/* Whether the entry being corrected has left the outbox (sent meanwhile). */
export function goneFromOutbox(current, id) {
  function same(entry) {
    return entry.id === id;
  }
  return Boolean(current) && !current.attention.some(same) && !current.entries.some(same);
}
