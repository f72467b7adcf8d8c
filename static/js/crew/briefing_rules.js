/* The pre-shift briefing on the phone, without the page: the request body (attendees each
 * once, as the server merges them: inspection/crew/briefing_rules.py), what the phone can check
 * before saving, the outbox entry, and the defaults the next briefing starts from (the newer of
 * the page's copy of the last briefing and the phone's own, kept in localStorage).
 * Pure: node tests it (tests/js/briefing_rules.test.mjs). Plain ES2017 (no ?. or ??).
 */

export var BRIEFINGS_URL = "/api/v1/briefings";
// The phone's copy of its last briefing (localStorage, a convenience: the outbox is IndexedDB).
export var DEFAULTS_KEY = "inspection.briefing.last";
export var MAX_ATTENDEES = 200;
export var OTHER_LEADER = "other";

function text(value) {
  return String(value === undefined || value === null ? "" : value).trim();
}

function idOrNull(value) {
  var t = text(value);
  if (!/^[0-9]{1,9}$/.test(t)) return null;
  return parseInt(t, 10);
}

/* The form two names are compared by: width-folded, lower case, no spaces. */
export function personKey(name) {
  var t = text(name);
  if (t.normalize) t = t.normalize("NFKC");
  return t.toLowerCase().replace(/\s+/g, "");
}

/* The typed names with `name` added, unless blank or already there (or a listed user's name). */
export function addName(names, name, people) {
  var key = personKey(name);
  var list = (names || []).slice();
  if (!key) return list;
  var taken = list.concat((people || []).map(function (p) {
    return p.name;
  })).some(function (other) {
    return personKey(other) === key;
  });
  if (!taken) list.push(text(name));
  return list;
}

/* [{user_id}|{name}] with each person once: users by id, names by personKey; a typed name
 * that is a chosen user's name is that user. */
export function mergeAttendees(userIds, names, people) {
  var seen = {};
  var out = [];
  var chosenNames = {};
  (userIds || []).forEach(function (value) {
    var id = idOrNull(value);
    if (id === null || seen["u" + id]) return;
    seen["u" + id] = true;
    out.push({ user_id: id });
    (people || []).forEach(function (p) {
      if (p.id === id) chosenNames[personKey(p.name)] = true;
    });
  });
  (names || []).forEach(function (name) {
    var key = personKey(name);
    if (!key || seen["n" + key] || chosenNames[key]) return;
    seen["n" + key] = true;
    out.push({ name: text(name) });
  });
  return out;
}

/* The JSON the API takes. `heldAt` is an ISO time with its offset (isoLocal()). */
export function briefingBody(values, clientUuid, heldAt, people) {
  var leader = text(values.leader_id);
  var body = {
    client_uuid: String(clientUuid).toLowerCase(),
    held_at: heldAt,
    crew: text(values.crew),
    site_id: idOrNull(values.site_id),
    place: text(values.place),
    leader_id: leader === OTHER_LEADER ? null : idOrNull(leader),
    leader_name: leader === OTHER_LEADER ? text(values.leader_name) : "",
    topic_id: idOrNull(values.topic_id),
    topic_text: text(values.topic_text),
    attendees: mergeAttendees(values.attendee_ids, values.attendee_names, people),
    note: text(values.note),
  };
  return body;
}

/* {field: message} of what the phone can tell; the server checks the rest. */
export function checkBriefing(body, words) {
  var errors = {};
  if (body.topic_id === null && !body.topic_text) errors.topic_id = words.need_topic;
  if (!body.attendees.length) errors.attendees = words.need_attendee;
  else if (body.attendees.length > MAX_ATTENDEES) errors.attendees = words.too_many;
  if (!body.crew && body.site_id === null) errors.crew = words.need_crew;
  if (body.leader_id === null && !body.leader_name) errors.leader_id = words.need_leader;
  return errors;
}

/* The outbox entry of a briefing: a record the server confirms by its `uuid`. */
export function briefingEntry(body, label) {
  return {
    method: "POST",
    url: BRIEFINGS_URL,
    uuid: String(body.client_uuid).toLowerCase(),
    answer_uuid: "uuid",
    deps: [],
    body: body,
    label: label,
  };
}

export function photoUrlOf(briefingUuid) {
  return BRIEFINGS_URL + "/" + String(briefingUuid).toLowerCase() + "/photos";
}

/* The briefings waiting on this phone (Outbox.state().entries). */
export function waitingBriefings(entries) {
  return (entries || []).filter(function (entry) {
    return entry.kind === "record" && entry.url === BRIEFINGS_URL;
  });
}

/* What the next briefing starts from, as the server's last_defaults states it. */
export function defaultsOf(body, people) {
  var names = {};
  (people || []).forEach(function (p) {
    names[p.id] = p.name;
  });
  return {
    held_at: body.held_at,
    crew: body.crew,
    site_id: body.site_id,
    place: body.place,
    leader_id: body.leader_id,
    leader_name: body.leader_id === null ? body.leader_name : names[body.leader_id] || "",
    topic_id: body.topic_id,
    topic_text: body.topic_text,
    attendees: body.attendees.map(function (a) {
      return a.user_id !== undefined
        ? { user_id: a.user_id, name: names[a.user_id] || "" }
        : { user_id: null, name: a.name };
    }),
  };
}

function when(defaults) {
  var ms = defaults && defaults.held_at ? Date.parse(defaults.held_at) : NaN;
  return isFinite(ms) ? ms : -Infinity;
}

/* The newer of the page's last briefing (from the server) and the phone's own copy: a
 * briefing saved offline is newer than the page the service worker kept. */
export function pickDefaults(embedded, stored) {
  var page = embedded && embedded.held_at ? embedded : null;
  var phone = stored && stored.held_at ? stored : null;
  if (!page) return phone;
  if (!phone) return page;
  return when(phone) > when(page) ? phone : page;
}
