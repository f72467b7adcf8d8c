/* The phone's side of keeping the outbox: the export file (the last resort, OFFLINE.md rule 6),
 * the browser's storage promise and use (rule 7), the service worker for the offline pages
 * (rule 5). Plain ES2017 (no ?. or ??).
 */
import { isoLocal } from "../lib/text.js";
import { summary } from "./entries.js";
import { allEntries, photoBytes } from "./store.js";

/* Bytes as base64, in chunks (String.fromCharCode takes a limited number of arguments). */
export function toBase64(buffer) {
  const bytes = new Uint8Array(buffer);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 0x8000) {
    chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
  }
  return globalThis.btoa(chunks.join(""));
}

/* The export file's content: every entry in order, photos with their bytes in base64. */
export function exportDocument(entries, now) {
  return { version: 1, exported_at: isoLocal(now), entries: entries };
}

function download(out) {
  const now = new Date();
  const file = JSON.stringify(exportDocument(out, now));
  const blob = new Blob([file], { type: "application/json" });
  const link = document.createElement("a");
  const stamp = isoLocal(now).slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  link.href = URL.createObjectURL(blob);
  link.download = "inspection-outbox-" + stamp + ".json";
  document.body.appendChild(link);
  link.click();
  setTimeout(function () {
    URL.revokeObjectURL(link.href);
    link.remove();
  }, 10000);
  return out.length;
}

/* Download everything in the outbox (all users' entries) as one JSON file; resolves with the count. */
export async function exportFile() {
  const entries = await allEntries();
  entries.sort(function (a, b) {
    return a.id - b.id;
  });
  const out = [];
  for (let i = 0; i < entries.length; i++) {
    const copy = summary(entries[i]);
    if (copy.kind === "photo") {
      const bytes = await photoBytes(copy.photo_uuid);
      copy.bytes_base64 = bytes ? toBase64(bytes) : null;
    }
    out.push(copy);
  }
  return download(out);
}

/* {persisted, usage, quota}, or null when the browser does not say. */
export function storageInfo() {
  const storage = navigator.storage;
  if (!storage || !storage.estimate) return Promise.resolve(null);
  return Promise.all([
    storage.persisted ? storage.persisted() : Promise.resolve(false),
    storage.estimate(),
  ]).then(function (results) {
    return { persisted: results[0], usage: results[1].usage, quota: results[1].quota };
  }, function () {
    return null;
  });
}

/* Ask the browser once per visit to keep our data (rule 7); it may say no. */
export function askPersistence() {
  const storage = navigator.storage;
  if (!storage || !storage.persist || !storage.persisted) return Promise.resolve(false);
  try {
    if (window.sessionStorage.getItem("inspection.persistAsked")) return storage.persisted();
    window.sessionStorage.setItem("inspection.persistAsked", "1");
  } catch (error) {
    /* no sessionStorage: ask anyway */
  }
  return storage.persisted().then(function (persisted) {
    return persisted || storage.persist();
  }).catch(function () {
    return false;
  });
}

export function registerServiceWorker() {
  if (!window.isSecureContext || !("serviceWorker" in navigator)) return Promise.resolve(null);
  return navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
    return null;
  });
}
