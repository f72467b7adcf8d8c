/* The outbox's storage on the phone: IndexedDB "inspection-outbox". Entries (records and photo
 * descriptions, in the order they were made) apart from the photos' bytes (ArrayBuffer, OFFLINE.md
 * rule 1), so that lists stay light; a little metadata (last_sync). Written, then read back.
 * Plain ES2017 (no ?. or ??). Opens nothing at import.
 */
import { sameEntry } from "./entries.js";

const DB_NAME = "inspection-outbox";
const DB_VERSION = 1;
const ENTRIES = "entries"; // {id (auto), kind, …}
const BYTES = "photo_bytes"; // {photo_uuid, bytes: ArrayBuffer}
const META = "meta"; // {key, value}

let dbPromise = null;

function openDb() {
  if (dbPromise) return dbPromise;
  dbPromise = new Promise(function (resolve, reject) {
    const idb = globalThis.indexedDB;
    if (!idb) {
      reject(new Error("IndexedDB is not available"));
      return;
    }
    const request = idb.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = function () {
      const db = request.result;
      if (!db.objectStoreNames.contains(ENTRIES)) {
        db.createObjectStore(ENTRIES, { keyPath: "id", autoIncrement: true });
      }
      if (!db.objectStoreNames.contains(BYTES)) {
        db.createObjectStore(BYTES, { keyPath: "photo_uuid" });
      }
      if (!db.objectStoreNames.contains(META)) {
        db.createObjectStore(META, { keyPath: "key" });
      }
    };
    request.onsuccess = function () {
      const db = request.result;
      db.onversionchange = function () {
        db.close();
        dbPromise = null;
      };
      resolve(db);
    };
    request.onerror = function () {
      reject(request.error || new Error("IndexedDB open failed"));
    };
  });
  dbPromise.catch(function () {
    dbPromise = null;
  });
  return dbPromise;
}

/* Run work(transaction, box) and resolve with box.value once the transaction has completed. */
function transact(stores, mode, work) {
  return openDb().then(function (db) {
    return new Promise(function (resolve, reject) {
      const transaction = db.transaction(stores, mode);
      const box = { value: undefined };
      transaction.oncomplete = function () {
        resolve(box.value);
      };
      transaction.onerror = function () {
        reject(transaction.error || new Error("IndexedDB error"));
      };
      transaction.onabort = function () {
        reject(transaction.error || new Error("IndexedDB transaction aborted"));
      };
      work(transaction, box);
    });
  });
}

export function allEntries() {
  return transact([ENTRIES], "readonly", function (t, box) {
    const request = t.objectStore(ENTRIES).getAll();
    request.onsuccess = function () {
      box.value = request.result || [];
    };
  });
}

export function getMeta(key) {
  return transact([META], "readonly", function (t, box) {
    const request = t.objectStore(META).get(key);
    request.onsuccess = function () {
      box.value = request.result ? request.result.value : null;
    };
  });
}

export function setMeta(key, value) {
  return transact([META], "readwrite", function (t) {
    t.objectStore(META).put({ key: key, value: value });
  });
}

/* change(entry) on the stored entry, put back; resolves with it (undefined when it is gone). */
export function updateEntry(id, change) {
  return transact([ENTRIES], "readwrite", function (t, box) {
    const store = t.objectStore(ENTRIES);
    const request = store.get(id);
    request.onsuccess = function () {
      const entry = request.result;
      if (!entry) return;
      change(entry);
      store.put(entry);
      box.value = entry;
    };
  });
}

/* An entry and, for a photo, its bytes: together, in one transaction. */
export function deleteEntry(entry) {
  return transact([ENTRIES, BYTES], "readwrite", function (t) {
    t.objectStore(ENTRIES).delete(entry.id);
    if (entry.kind === "photo") t.objectStore(BYTES).delete(entry.photo_uuid);
  });
}

export function photoBytes(photoUuid) {
  return transact([BYTES], "readonly", function (t, box) {
    const request = t.objectStore(BYTES).get(photoUuid);
    request.onsuccess = function () {
      box.value = request.result ? request.result.bytes : null;
    };
  });
}

/* Read the entries (and photo bytes) back and compare them with what was written. */
export function readBack(ids, prepared) {
  return transact([ENTRIES, BYTES], "readonly", function (t, box) {
    const store = t.objectStore(ENTRIES);
    box.value = { entries: [], bytes: [] };
    ids.forEach(function (id, index) {
      const request = store.get(id);
      request.onsuccess = function () {
        box.value.entries[index] = request.result;
      };
      if (prepared[index].kind === "photo") {
        const bytes = t.objectStore(BYTES).get(prepared[index].photo_uuid);
        bytes.onsuccess = function () {
          box.value.bytes[index] = bytes.result ? bytes.result.bytes : null;
        };
      }
    });
  }).then(function (stored) {
    for (let i = 0; i < prepared.length; i++) {
      if (!sameEntry(stored.entries[i], prepared[i], stored.bytes[i])) {
        throw new Error("the phone did not keep the record");
      }
    }
    return ids;
  });
}

/* Put prepared entries (a record and then its photos; bytes[i] for photo i) in one transaction,
 * then read them back: resolves with their ids. */
export function putEntries(prepared, bytes) {
  return transact([ENTRIES, BYTES], "readwrite", function (t, box) {
    const store = t.objectStore(ENTRIES);
    box.value = [];
    prepared.forEach(function (entry, index) {
      if (entry.kind === "photo") {
        t.objectStore(BYTES).put({ photo_uuid: entry.photo_uuid, bytes: bytes[index] });
      }
      const request = store.add(entry);
      request.onsuccess = function () {
        box.value.push(request.result);
      };
    });
  }).then(function (ids) {
    return readBack(ids, prepared);
  });
}

/* Replace the body of a waiting record (a crew's correction), clear its attention, read back. */
export function replaceBody(id, body, label) {
  let wanted;
  return updateEntry(id, function (entry) {
    entry.body = body;
    if (label) entry.label = label;
    entry.attention = null;
    wanted = entry;
  }).then(function (entry) {
    if (!entry) throw new Error("the record is no longer waiting");
    return readBack([id], [wanted]);
  });
}

/* "Send now": every entry needing attention is tried again. */
export function clearAttention() {
  return transact([ENTRIES], "readwrite", function (t) {
    const request = t.objectStore(ENTRIES).openCursor();
    request.onsuccess = function () {
      const cursor = request.result;
      if (!cursor) return;
      if (cursor.value.attention) {
        const entry = cursor.value;
        entry.attention = null;
        cursor.update(entry);
      }
      cursor.continue();
    };
  });
}
