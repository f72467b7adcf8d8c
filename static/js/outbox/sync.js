/* The outbox's send rules (OFFLINE.md rules 2–4, shared phones): entries go in the order they were
 * made, each after the records it depends on; only under their maker's session; deleted only after
 * a 2xx that names their UUID; network errors and 5xx wait and back off, other 4xx need attention.
 * Pure: the sending itself is handed in, so node runs it (tests/js/outbox_sync.test.mjs).
 * Plain ES2017 (no ?. or ??).
 */
import { isoLocal } from "../lib/text.js";
import { ownUuid, photoParent, summary } from "./entries.js";

export const FIRST_BACKOFF_MS = 5000;
export const MAX_BACKOFF_MS = 5 * 60000;
// Refusals that pass: signed out meanwhile, too slow, too early, too many.
export const TRANSIENT_4XX = [401, 408, 425, 429];
// A 500 the server calls `database_error` is not a passing fault (a restart or a busy pool
// answers 503): after this many in a row the entry needs attention instead of blocking the
// queue behind it for ever. "Send again" clears it and starts the count again.
export const REPEATED_ERROR_LIMIT = 3;

/* The UUIDs an entry waits for: when one of them is blocked, the entry waits too. */
export function entryDeps(entry) {
  const first = entry.kind === "photo" ? photoParent(entry) : entry.uuid;
  return [first].concat(entry.deps || []);
}

/* The UUID a 2xx answer names, at a dotted path of its body ("uuid" unless the entry says). */
export function answeredUuid(body, path) {
  let value = body;
  String(path || "uuid").split(".").forEach(function (key) {
    value = value !== null && typeof value === "object" ? value[key] : undefined;
  });
  return value === undefined || value === null ? "" : String(value).toLowerCase();
}

export function sameUser(a, b) {
  return String(a || "").trim().toLowerCase() === String(b || "").trim().toLowerCase();
}

/* An entry goes out under `user`'s session when that user made it, or nobody is recorded
 * (entries made before makers were recorded are sent as before). */
export function sendableBy(entry, user) {
  return !entry.maker || (Boolean(user) && sameUser(entry.maker, user));
}

/* What waits for other users: [{user, records, photos}] in the order they first appear. */
export function othersWaiting(entries, user) {
  const groups = [];
  const byName = {};
  entries.forEach(function (entry) {
    if (sendableBy(entry, user)) return;
    const key = String(entry.maker).trim().toLowerCase();
    if (!byName[key]) {
      byName[key] = { user: String(entry.maker).trim(), records: 0, photos: 0 };
      groups.push(byName[key]);
    }
    if (entry.kind === "photo") byName[key].photos += 1;
    else byName[key].records += 1;
  });
  return groups;
}

/* What a page's user sees of all entries: their own (counted, listed, those needing attention)
 * and, per other user, only counts. */
export function tally(all, user) {
  const sorted = all.slice().sort(function (a, b) {
    return a.id - b.id;
  });
  const entries = sorted.filter(function (entry) {
    return sendableBy(entry, user);
  });
  let records = 0;
  let photos = 0;
  entries.forEach(function (entry) {
    if (entry.kind === "photo") photos += 1;
    else records += 1;
  });
  return {
    records: records,
    photos: photos,
    waiting: records + photos,
    entries: entries.map(summary),
    attention: entries.filter(function (e) {
      return e.attention;
    }).map(summary),
    others: othersWaiting(sorted, user),
  };
}

/* The wait before try n (1, 2, …): doubling from 5 s up to 5 min, with jitter (×0.5–1.5). */
export function backoff(n, random) {
  const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * Math.pow(2, n - 1));
  return Math.round(base * (0.5 + (random || Math.random)()));
}

/* What the server's answer means for an entry:
 * {ok} | {skip} (another user's session) | {csrf, message} (token to refresh, then once more) |
 * {transient, message[, repeated]} (try later; `repeated`: the attention it becomes when it keeps
 * coming back) | {attention: {status, code, message, fields, at}} (kept). */
export function judge(entry, status, statusText, body) {
  if (status >= 200 && status < 300) {
    // Only an answer naming our UUID proves the server stored it (a Wi-Fi login page or a proxy
    // can answer 200 too).
    if (body && answeredUuid(body, entry.answer_uuid) === ownUuid(entry)) return { ok: true };
    return { transient: true, message: "" };
  }
  const error = (body && body.error) || {};
  if (status === 409 && error.code === "outbox_maker_mismatch") return { skip: true };
  if (status === 400 && error.code === "csrf_failed") return { csrf: true, message: error.message || "" };
  if (status >= 500 && error.code === "database_error") {
    const repeated = { status: status, code: error.code, message: error.message || "", fields: {}, at: isoLocal() };
    return { transient: true, message: error.message || "", repeated: repeated };
  }
  if (status >= 500 || TRANSIENT_4XX.indexOf(status) >= 0 || status < 400) {
    return { transient: true, message: error.message || "" };
  }
  return {
    attention: {
      status: status,
      code: error.code || "",
      message: error.message || status + " " + (statusText || ""),
      fields: error.fields || {},
      at: isoLocal(),
    },
  };
}

/* Send the entries in the order they were made. An entry needing attention, another user's, or
 * one waiting for a blocked UUID is passed over, and so are the entries that wait for it. The
 * first transient failure stops the round: {stopped, message} — unless it is an error that keeps
 * repeating (REPEATED_ERROR_LIMIT in a row), which puts the entry aside as needing attention.
 * effects: send(entry) → outcome of judge; sent(entry) and attention(entry, attention) → promises;
 * repeated(entry) (optional) → how many repeating errors in a row this entry has now had. */
export async function sendInOrder(entries, user, effects) {
  const ordered = entries.slice().sort(function (a, b) {
    return a.id - b.id;
  });
  const blocked = {};
  for (let i = 0; i < ordered.length; i++) {
    const entry = ordered[i];
    const own = ownUuid(entry);
    const waitsForOther = entryDeps(entry).some(function (d) {
      return blocked[d];
    });
    if (entry.attention || waitsForOther || !sendableBy(entry, user)) {
      blocked[own] = true; // its photos and later records that depend on it wait too
      continue;
    }
    const outcome = await effects.send(entry);
    if (outcome.ok) {
      await effects.sent(entry);
    } else if (outcome.skip) {
      blocked[own] = true; // kept as it is: sent when its maker signs in
    } else if (outcome.attention) {
      await effects.attention(entry, outcome.attention);
      blocked[own] = true;
    } else if (outcome.repeated && effects.repeated && effects.repeated(entry) >= REPEATED_ERROR_LIMIT) {
      await effects.attention(entry, outcome.repeated);
      blocked[own] = true;
    } else {
      return { stopped: true, message: outcome.message || "" };
    }
  }
  return { stopped: false, message: "" };
}

/* The record of what was sent (UUID → time), the oldest dropped beyond `max`. */
export function trimSent(sent, max) {
  const keys = Object.keys(sent);
  if (keys.length > max) {
    keys.sort(function (a, b) {
      return sent[a] - sent[b];
    }).slice(0, keys.length - max).forEach(function (key) {
      delete sent[key];
    });
  }
  return sent;
}
