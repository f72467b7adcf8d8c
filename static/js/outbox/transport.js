/* Sending one outbox entry: a record as JSON, a photo as a form with its UUID, stage, checksum
 * and EXIF; what the answer means is sync.js's judge. Plain ES2017 (no ?. or ??).
 */
import { isoLocal } from "../lib/text.js";
import { csrfToken, setCsrfToken } from "../lib/page.js";
import { fetchWithTimeout, getJson, responseJson } from "../lib/net.js";
import { photoUrl } from "./entries.js";
import { judge } from "./sync.js";
import { photoBytes } from "./store.js";

const RECORD_TIMEOUT_MS = 30000;
const PHOTO_TIMEOUT_MS = 180000;

/* The server refuses an entry whose maker is not the session's user (409 outbox_maker_mismatch). */
function withMaker(entry, user, headers) {
  const maker = entry.maker || user;
  if (maker) headers["X-Outbox-Maker"] = maker;
  return headers;
}

function recordRequest(entry, user) {
  return {
    method: entry.method,
    credentials: "same-origin",
    cache: "no-store",
    headers: withMaker(entry, user, {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": csrfToken(),
    }),
    body: JSON.stringify(entry.body),
  };
}

function photoRequest(entry, user, bytes) {
  const form = new FormData();
  const extension = entry.type === "image/jpeg" ? ".jpg" : "." + (entry.type.split("/")[1] || "bin");
  form.append("photo", new Blob([bytes], { type: entry.type }), "photo" + extension);
  form.append("photo_uuid", entry.photo_uuid);
  form.append("stage", entry.stage);
  if (entry.sha256) form.append("sha256", entry.sha256);
  if (entry.exif_taken_at) form.append("exif_taken_at", entry.exif_taken_at);
  if (entry.exif_lon !== null) form.append("exif_lon", String(entry.exif_lon));
  if (entry.exif_lat !== null) form.append("exif_lat", String(entry.exif_lat));
  return {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    headers: withMaker(entry, user, { Accept: "application/json", "X-CSRFToken": csrfToken() }),
    body: form,
  };
}

/* A new CSRF token from the session (the old one expired); false when there is none. */
function refreshCsrf() {
  return getJson("/api/v1/me").then(function (answer) {
    return setCsrfToken(answer.ok && answer.body ? answer.body.csrf_token : null);
  }, function () {
    return false;
  });
}

function sendWith(entry, user, url, options, retried) {
  const photo = entry.kind === "photo";
  return fetchWithTimeout(url, options, photo ? PHOTO_TIMEOUT_MS : RECORD_TIMEOUT_MS).then(function (response) {
    return responseJson(response).then(function (body) {
      const outcome = judge(entry, response.status, response.statusText, body);
      if (!outcome.csrf) return outcome;
      if (retried) return { transient: true, message: outcome.message };
      return refreshCsrf().then(function (refreshed) {
        return refreshed ? send(entry, user, true) : { transient: true, message: outcome.message };
      });
    });
  }, function () {
    return { transient: true, message: "" };
  });
}

/* Send one entry under `user`'s session: an outcome of judge (never rejects). */
export function send(entry, user, retried) {
  if (entry.kind !== "photo") return sendWith(entry, user, entry.url, recordRequest(entry, user), retried);
  return photoBytes(entry.photo_uuid).then(function (bytes) {
    if (!bytes) {
      // Cannot happen (bytes and entry are written and deleted together) unless storage broke.
      return { attention: { status: 0, code: "lost", message: "", fields: {}, at: isoLocal() } };
    }
    return sendWith(entry, user, photoUrl(entry), photoRequest(entry, user, bytes), retried);
  });
}
