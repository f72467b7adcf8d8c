/* The shape of an outbox entry: a record (a JSON request to repeat until the server confirms it)
 * or a photo description (its bytes are kept apart, in the store's photo_bytes). Pure: no DOM, no
 * IndexedDB, so node runs it (tests/js/outbox_entries.test.mjs). Plain ES2017 (no ?. or ??).
 */
import { isoLocal } from "../lib/text.js";
import { uuid } from "../lib/crypto.js";

function lowerList(list) {
  return (list || []).filter(Boolean).map(function (d) {
    return String(d).toLowerCase();
  });
}

/* The UUID the server confirms for this entry. */
export function ownUuid(entry) {
  return entry.kind === "photo" ? entry.photo_uuid : entry.uuid;
}

/* The record a photo belongs to: a finding (older entries name only finding_uuid), or anything
 * else whose photo address the entry carries (an inspection item…). */
export function photoParent(entry) {
  return entry.parent_uuid || entry.finding_uuid;
}

export function photoUrl(entry) {
  return entry.url || "/api/v1/findings/" + photoParent(entry) + "/photos";
}

/* An entry as stored, from what a page hands to Outbox.add. `maker` is the signed-in user the
 * entry is recorded for (shared phones); item.maker, when given, wins. Throws on photo bytes
 * that are not an ArrayBuffer (OFFLINE.md rule 1: Blobs fail in IndexedDB on some iPhones). */
export function normalise(item, maker) {
  const entry = {
    created_at: isoLocal(),
    label: item.label || "",
    attention: null,
  };
  const who = item.maker !== undefined ? item.maker : maker;
  if (who) entry.maker = String(who).trim();
  if (item.bytes !== undefined) {
    if (!(item.bytes instanceof ArrayBuffer)) throw new Error("photo bytes must be an ArrayBuffer");
    entry.kind = "photo";
    if (item.url) {
      // A photo of another record than a finding: its address and the record it belongs to.
      entry.url = String(item.url);
      entry.parent_uuid = String(item.parent_uuid).toLowerCase();
    } else {
      entry.finding_uuid = String(item.finding_uuid || item.parent_uuid).toLowerCase();
    }
    if (item.deps) entry.deps = lowerList(item.deps);
    entry.photo_uuid = String(item.photo_uuid || uuid()).toLowerCase();
    entry.stage = item.stage || "site";
    entry.size = item.bytes.byteLength;
    entry.type = item.type || "image/jpeg";
    entry.sha256 = item.sha256 || null;
    entry.exif_taken_at = item.exif_taken_at || null;
    entry.exif_lon = item.exif_lon === undefined ? null : item.exif_lon;
    entry.exif_lat = item.exif_lat === undefined ? null : item.exif_lat;
  } else {
    entry.kind = "record";
    entry.method = item.method || "POST";
    entry.url = item.url;
    entry.body = item.body;
    entry.uuid = String(item.uuid).toLowerCase();
    entry.deps = lowerList(item.deps);
    if (item.answer_uuid) entry.answer_uuid = String(item.answer_uuid);
  }
  return entry;
}

/* Whether what the store gave back is what was written (rule 1: "saved" only after read-back). */
export function sameEntry(stored, wanted, bytes) {
  if (!stored || stored.kind !== wanted.kind) return false;
  if (wanted.kind === "photo") {
    return stored.photo_uuid === wanted.photo_uuid && bytes instanceof ArrayBuffer &&
      bytes.byteLength === wanted.size;
  }
  return stored.uuid === wanted.uuid && JSON.stringify(stored.body) === JSON.stringify(wanted.body);
}

/* A shallow copy, for what the pages are shown (they must not change the stored entry). */
export function summary(entry) {
  const copy = {};
  Object.keys(entry).forEach(function (key) {
    copy[key] = entry[key];
  });
  return copy;
}
