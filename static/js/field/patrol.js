/* The rules of the field home ("My patrol"), without the page: which patrol is open on this
 * phone (the server's page, the phone's own record of it and the outbox may disagree while a
 * start or an end is on its way), the bodies of the start and end requests, the findings still
 * waiting. Pure: node tests it (tests/js/field_patrol.test.mjs). Plain ES2017 (no ?. or ??).
 */
import { isStake, normaliseStake } from "../lib/stake.js";

export const PATROLS_URL = "/api/v1/patrols";
export const FINDINGS_URL = "/api/v1/findings";

/* The patrol as the phone keeps it (Outbox.patrol), from the server's (the page's context). */
export function fromServer(server) {
  return {
    uuid: server.uuid,
    road: server.road,
    direction: server.direction,
    kind: server.kind,
    crew: server.crew,
    vehicle: server.vehicle,
    vehicle_id: server.vehicle_id || null,
    vehicle_number: server.vehicle_number || null,
    driver_id: server.driver_id || null,
    driver: server.driver || null,
    weather: server.weather,
    started_at: server.started_at,
    start_stake: server.start_stake,
    ended: false,
  };
}

/* Whether a record of this UUID waits in the outbox (entries: Outbox.state().entries). */
export function recordWaiting(entries, uuid) {
  return (entries || []).some(function (entry) {
    return entry.kind === "record" && entry.uuid === uuid;
  });
}

/* The page is the truth about a patrol only if it was fetched after the phone last heard from
 * the server about it (sentAt, epoch ms, or null); a page from the cache, or one fetched while
 * the start was on its way (within 2 s of loadedAt), is not. */
export function pageKnows(sentAt, loadedAt, fromCache) {
  return !fromCache && !(sentAt && sentAt > loadedAt - 2000);
}

/* The patrol open on this phone, from the server's (the page's; null or voided: none), the
 * phone's own (local) and the outbox's entries; knows(uuid) says whether the page is the truth
 * about that patrol (pageKnows). Returns {patrol, keep}: keep "set" when the phone's own record
 * must become `patrol`, "clear" when it must go, "" when it stays as it is. */
export function reconcile(server, local, entries, knows) {
  function unsettled(uuid) {
    return recordWaiting(entries, uuid) || !knows(uuid);
  }
  if (server && !server.voided) {
    if (local && local.uuid === server.uuid && local.ended) {
      if (unsettled(server.uuid)) return { patrol: null, keep: "" }; // its end is on its way
    } else if (local && !local.ended && local.uuid !== server.uuid && unsettled(local.uuid)) {
      return { patrol: local, keep: "" }; // started here after this page was made
    }
    return { patrol: fromServer(server), keep: "set" };
  }
  if (local && !local.ended) {
    if (unsettled(local.uuid)) return { patrol: local, keep: "" };
    return { patrol: null, keep: "clear" }; // the server says it is over (ended elsewhere, or voided)
  }
  return { patrol: null, keep: "" };
}

/* A typed stake, normalised: {value} ("" when none was typed), or {error: true}. */
export function typedStake(text) {
  const value = normaliseStake(text);
  return value && !isStake(value) ? { value: value, error: true } : { value: value, error: false };
}

/* A register's id as chosen in a select ("" or a number's text): a number, or null. */
function chosenId(value) {
  const text = String(value === null || value === undefined ? "" : value);
  return /^[0-9]+$/.test(text) ? Number(text) : null;
}

/* The POST /api/v1/patrols body. values: {road: "G30|up", kind, crew, vehicle, vehicle_id,
 * driver_id, weather, stake (normalised)}; a unit from the register replaces the typed plate.
 * fix: the last GPS fix or null (the raw fix is always kept on the server; one it cannot place
 * only leaves the stake empty). */
export function startBody(values, uuid, startedAt, fix) {
  const parts = String(values.road || "").split("|");
  const vehicleId = chosenId(values.vehicle_id);
  const driverId = chosenId(values.driver_id);
  const body = {
    client_uuid: uuid,
    road: parts[0],
    direction: parts[1] || "",
    kind: values.kind,
    crew: String(values.crew || "").trim(),
    vehicle: vehicleId === null ? String(values.vehicle || "").trim() : "",
    weather: values.weather || "",
    started_at: startedAt,
    start_stake: values.stake || "",
  };
  if (vehicleId !== null) body.vehicle_id = vehicleId;
  if (driverId !== null) body.driver_id = driverId;
  if (fix) body.gps = fix;
  return body;
}

/* Whether a register's list ([{id, label}]) offers this id. */
function offered(list, id) {
  return id !== null && id !== undefined && id !== "" && (list || []).some(function (item) {
    return String(item.id) === String(id);
  });
}

/* The option a register's select starts on: the crew's last choice while the list still offers
 * it (a unit sealed or reported defective since is not offered), else `fallback` when offered,
 * else "" (none: for the vehicle, the typed plate). */
export function defaultChoice(list, remembered, fallback) {
  if (offered(list, remembered)) return String(remembered);
  if (offered(list, fallback)) return String(fallback);
  return "";
}

/* The id of the signed-in user's own entry in the drivers register, or null. */
export function ownDriver(drivers, userId) {
  const own = (drivers || []).filter(function (driver) {
    return userId && driver.user_id === userId;
  });
  return own.length ? own[0].id : null;
}

function labelOf(list, id) {
  const found = (list || []).filter(function (item) {
    return id !== null && id !== undefined && String(item.id) === String(id);
  });
  return found.length ? found[0].label : "";
}

/* The patrol the phone keeps once its start is in the outbox. */
export function startedPatrol(body) {
  const patrol = {
    uuid: body.client_uuid,
    road: body.road,
    direction: body.direction,
    kind: body.kind,
    crew: body.crew,
    vehicle: body.vehicle,
    weather: body.weather,
    started_at: body.started_at,
    start_stake: body.start_stake || null,
    ended: false,
  };
  if (body.vehicle_id) patrol.vehicle_id = body.vehicle_id;
  if (body.driver_id) patrol.driver_id = body.driver_id;
  return patrol;
}

/* The PATCH /api/v1/patrols/<uuid> body that ends a patrol. */
export function endBody(stake, endedAt, fix) {
  const body = { ended_at: endedAt, end_stake: stake || "" };
  if (fix) body.gps = fix;
  return body;
}

/* The facts the page shows of the open patrol. show: {roadLabel(code, direction),
 * time(ISO text) → text}; context: {patrol_kinds, weather, vehicles, drivers} (the page's words
 * and registers). The register's unit and driver when named, else the typed plate. */
export function patrolFacts(patrol, context, show) {
  return {
    road: show.roadLabel(patrol.road, patrol.direction),
    kind: (context.patrol_kinds || {})[patrol.kind] || patrol.kind,
    started_at: patrol.started_at ? show.time(patrol.started_at) : "",
    start_stake: patrol.start_stake || "—",
    crew: patrol.crew || "—",
    vehicle: labelOf(context.vehicles, patrol.vehicle_id) || patrol.vehicle_number ||
      patrol.vehicle || "—",
    driver: labelOf(context.drivers, patrol.driver_id) || patrol.driver || "—",
    weather: (context.weather || {})[patrol.weather] || "—",
  };
}

/* The findings still in the outbox, by UUID. */
export function waitingFindings(entries) {
  const waiting = {};
  (entries || []).forEach(function (entry) {
    if (entry.kind === "record" && entry.url === FINDINGS_URL) waiting[entry.uuid] = entry;
  });
  return waiting;
}
