/* The outbox: records and photos kept on this phone (IndexedDB) until the server confirms them.
 *
 * OFFLINE.md rules 1–7: saved = written and read back; photos as ArrayBuffer; sent in the order
 * they were made, each photo after its record; deleted only after a 2xx that names its UUID;
 * network error or 5xx → back off and retry; 4xx → "needs attention", kept; nothing expires.
 * The words come from the server (#outbox-words); this script carries no language.
 * Shared phones: each entry records its maker (the signed-in username, words.user) and is sent
 * only under that user's session; another user's entries stay, untouched, until they sign in.
 * Plain ES2017 (no ?. or ??) so that older Android WebViews run it.
 */
(function () {
  "use strict";

  var DB_NAME = "inspection-outbox";
  var DB_VERSION = 1;
  var ENTRIES = "entries"; // records and photo descriptions, in the order they were made
  var BYTES = "photo_bytes"; // {photo_uuid, bytes: ArrayBuffer}, apart so that lists stay light
  var META = "meta";
  var TIMER_MS = 30000;
  var FIRST_BACKOFF_MS = 5000;
  var MAX_BACKOFF_MS = 5 * 60000;
  var RECORD_TIMEOUT_MS = 30000;
  var PHOTO_TIMEOUT_MS = 180000;
  var PATROL_KEY = "inspection.patrol";
  var SENT_KEY = "inspection.sent";

  var words = readJsonBlock("outbox-words") || {};
  var dbPromise = null;
  var inPageFlush = false;
  var flushAgain = false;
  var sending = false;
  var failures = 0;
  var nextTryAt = 0;
  var lastError = "";
  var lastState = null;
  var channel = null;

  // --- small helpers shared with the field pages ------------------------------------------

  function readJsonBlock(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function format(template, params) {
    return String(template || "").replace(/%\((\w+)\)[sd]/g, function (all, name) {
      return params && params[name] !== undefined && params[name] !== null ? String(params[name]) : "";
    });
  }

  // --- shared phones: whose entries these are ------------------------------------------------

  /* The signed-in user of this page ("" on pages without one, e.g. the sign-in page). */
  function currentUser() {
    return words.user ? String(words.user).trim() : "";
  }

  function sameUser(a, b) {
    return String(a || "").trim().toLowerCase() === String(b || "").trim().toLowerCase();
  }

  /* An entry goes out under `user`'s session when that user made it, or nobody is recorded
   * (entries made before makers were recorded are sent as before). */
  function sendableBy(entry, user) {
    return !entry.maker || (Boolean(user) && sameUser(entry.maker, user));
  }

  /* What waits for other users: [{user, records, photos}] in the order they first appear. */
  function othersWaiting(entries, user) {
    var groups = [];
    var byName = {};
    entries.forEach(function (entry) {
      if (sendableBy(entry, user)) return;
      var key = String(entry.maker).trim().toLowerCase();
      if (!byName[key]) {
        byName[key] = { user: String(entry.maker).trim(), records: 0, photos: 0 };
        groups.push(byName[key]);
      }
      if (entry.kind === "photo") byName[key].photos += 1;
      else byName[key].records += 1;
    });
    return groups;
  }

  function uuid() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Insecure contexts have no randomUUID, but getRandomValues works everywhere.
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  /* ISO 8601 in the phone's local time with its offset, e.g. 2026-05-01T09:30:00+08:00. */
  function isoLocal(date) {
    var d = date instanceof Date ? date : new Date(date === undefined ? Date.now() : date);
    var offset = -d.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    var abs = Math.abs(offset);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
      sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function lang() {
    return document.documentElement.lang || undefined;
  }

  function showTime(ms) {
    try {
      return new Date(ms).toLocaleString(lang(), {
        month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
      });
    } catch (error) {
      return new Date(ms).toLocaleString();
    }
  }

  function fetchWithTimeout(url, options, ms) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    if (controller) options.signal = controller.signal;
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        if (controller) controller.abort();
        reject(new Error("timeout"));
      }, ms);
      fetch(url, options).then(function (response) {
        clearTimeout(timer);
        resolve(response);
      }, function (error) {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  function responseJson(response) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("json") < 0) return Promise.resolve(null);
    return response.json().catch(function () {
      return null;
    });
  }

  /* GET a JSON API address with the session cookie: {status, body}; rejects on network error. */
  function getJson(url, ms) {
    return fetchWithTimeout(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    }, ms || 10000).then(function (response) {
      return responseJson(response).then(function (body) {
        return { status: response.status, ok: response.ok, body: body };
      });
    });
  }

  function localGet(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function localSet(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* private mode or full: the outbox itself is in IndexedDB */
    }
  }

  // --- IndexedDB ---------------------------------------------------------------------------

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error("IndexedDB is not available"));
        return;
      }
      var request = window.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
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
        var db = request.result;
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
        var transaction = db.transaction(stores, mode);
        var box = { value: undefined };
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

  function allEntries() {
    return transact([ENTRIES], "readonly", function (t, box) {
      var request = t.objectStore(ENTRIES).getAll();
      request.onsuccess = function () {
        box.value = request.result || [];
      };
    });
  }

  function getMeta(key) {
    return transact([META], "readonly", function (t, box) {
      var request = t.objectStore(META).get(key);
      request.onsuccess = function () {
        box.value = request.result ? request.result.value : null;
      };
    });
  }

  function setMeta(key, value) {
    return transact([META], "readwrite", function (t) {
      t.objectStore(META).put({ key: key, value: value });
    });
  }

  function updateEntry(id, change) {
    return transact([ENTRIES], "readwrite", function (t, box) {
      var store = t.objectStore(ENTRIES);
      var request = store.get(id);
      request.onsuccess = function () {
        var entry = request.result;
        if (!entry) return;
        change(entry);
        store.put(entry);
        box.value = entry;
      };
    });
  }

  function deleteEntry(entry) {
    return transact([ENTRIES, BYTES], "readwrite", function (t) {
      t.objectStore(ENTRIES).delete(entry.id);
      if (entry.kind === "photo") t.objectStore(BYTES).delete(entry.photo_uuid);
    });
  }

  function photoBytes(photoUuid) {
    return transact([BYTES], "readonly", function (t, box) {
      var request = t.objectStore(BYTES).get(photoUuid);
      request.onsuccess = function () {
        box.value = request.result ? request.result.bytes : null;
      };
    });
  }

  function ownUuid(entry) {
    return entry.kind === "photo" ? entry.photo_uuid : entry.uuid;
  }

  /* The record a photo belongs to: a finding (older entries name only finding_uuid), or
   * anything else whose photo address the entry carries (an inspection item…). */
  function photoParent(entry) {
    return entry.parent_uuid || entry.finding_uuid;
  }

  function photoUrl(entry) {
    return entry.url || "/api/v1/findings/" + photoParent(entry) + "/photos";
  }

  /* The UUIDs an entry waits for: when one of them is blocked, the entry waits too. */
  function entryDeps(entry) {
    var first = entry.kind === "photo" ? photoParent(entry) : entry.uuid;
    return [first].concat(entry.deps || []);
  }

  /* The UUID a 2xx answer names, at a dotted path of its body ("uuid" unless the entry says). */
  function answeredUuid(body, path) {
    var value = body;
    String(path || "uuid").split(".").forEach(function (key) {
      value = value !== null && typeof value === "object" ? value[key] : undefined;
    });
    return value === undefined || value === null ? "" : String(value).toLowerCase();
  }

  function lowerList(list) {
    return (list || []).filter(Boolean).map(function (d) {
      return String(d).toLowerCase();
    });
  }

  function normalise(item) {
    var entry = {
      created_at: isoLocal(),
      label: item.label || "",
      attention: null,
    };
    var maker = item.maker !== undefined ? item.maker : currentUser();
    if (maker) entry.maker = String(maker).trim();
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

  function sameEntry(stored, wanted, bytes) {
    if (!stored || stored.kind !== wanted.kind) return false;
    if (wanted.kind === "photo") {
      return stored.photo_uuid === wanted.photo_uuid && bytes instanceof ArrayBuffer &&
        bytes.byteLength === wanted.size;
    }
    return stored.uuid === wanted.uuid && JSON.stringify(stored.body) === JSON.stringify(wanted.body);
  }

  /* Put entries (a record and then its photos) in one transaction, then read them back. */
  function add(items) {
    var prepared;
    try {
      prepared = items.map(normalise);
    } catch (error) {
      return Promise.reject(error);
    }
    return transact([ENTRIES, BYTES], "readwrite", function (t, box) {
      var store = t.objectStore(ENTRIES);
      box.value = [];
      prepared.forEach(function (entry, index) {
        if (entry.kind === "photo") {
          t.objectStore(BYTES).put({ photo_uuid: entry.photo_uuid, bytes: items[index].bytes });
        }
        var request = store.add(entry);
        request.onsuccess = function () {
          box.value.push(request.result);
        };
      });
    }).then(function (ids) {
      return readBack(ids, prepared);
    }).then(function (ids) {
      return changed().then(function () {
        return ids;
      });
    });
  }

  function readBack(ids, prepared) {
    return transact([ENTRIES, BYTES], "readonly", function (t, box) {
      var store = t.objectStore(ENTRIES);
      box.value = { entries: [], bytes: [] };
      ids.forEach(function (id, index) {
        var request = store.get(id);
        request.onsuccess = function () {
          box.value.entries[index] = request.result;
        };
        if (prepared[index].kind === "photo") {
          var bytes = t.objectStore(BYTES).get(prepared[index].photo_uuid);
          bytes.onsuccess = function () {
            box.value.bytes[index] = bytes.result ? bytes.result.bytes : null;
          };
        }
      });
    }).then(function (stored) {
      for (var i = 0; i < prepared.length; i++) {
        if (!sameEntry(stored.entries[i], prepared[i], stored.bytes[i])) {
          throw new Error("the phone did not keep the record");
        }
      }
      return ids;
    });
  }

  /* Replace the body of a waiting record (a crew's correction); it is tried again. */
  function replaceRecord(id, body, label) {
    var wanted;
    return updateEntry(id, function (entry) {
      entry.body = body;
      if (label) entry.label = label;
      entry.attention = null;
      wanted = entry;
    }).then(function (entry) {
      if (!entry) throw new Error("the record is no longer waiting");
      return readBack([id], [wanted]);
    }).then(function () {
      return changed().then(function () {
        return id;
      });
    });
  }

  function clearAttention() {
    return transact([ENTRIES], "readwrite", function (t) {
      var store = t.objectStore(ENTRIES);
      var request = store.openCursor();
      request.onsuccess = function () {
        var cursor = request.result;
        if (!cursor) return;
        if (cursor.value.attention) {
          var entry = cursor.value;
          entry.attention = null;
          cursor.update(entry);
        }
        cursor.continue();
      };
    });
  }

  // --- sending -----------------------------------------------------------------------------

  /* The server refuses an entry whose maker is not the session's user (409 outbox_maker_mismatch). */
  function withMaker(entry, headers) {
    var maker = entry.maker || currentUser();
    if (maker) headers["X-Outbox-Maker"] = maker;
    return headers;
  }

  function recordRequest(entry) {
    return {
      method: entry.method,
      credentials: "same-origin",
      cache: "no-store",
      headers: withMaker(entry, {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken(),
      }),
      body: JSON.stringify(entry.body),
    };
  }

  function photoRequest(entry, bytes) {
    var form = new FormData();
    var extension = entry.type === "image/jpeg" ? ".jpg" : "." + (entry.type.split("/")[1] || "bin");
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
      headers: withMaker(entry, { Accept: "application/json", "X-CSRFToken": csrfToken() }),
      body: form,
    };
  }

  function refreshCsrf() {
    return getJson("/api/v1/me").then(function (answer) {
      var token = answer.ok && answer.body ? answer.body.csrf_token : null;
      var meta = document.querySelector('meta[name="csrf-token"]');
      if (token && meta) meta.setAttribute("content", token);
      return Boolean(token && meta);
    }, function () {
      return false;
    });
  }

  var TRANSIENT_4XX = [401, 408, 425, 429];

  /* Send one entry: {ok} | {attention: {...}} | {transient: true, message} | {skip: true}. */
  function send(entry, retried) {
    if (entry.kind !== "photo") return sendWith(entry, entry.url, recordRequest(entry), retried);
    return photoBytes(entry.photo_uuid).then(function (bytes) {
      if (!bytes) {
        // Cannot happen (bytes and entry are written and deleted together) unless storage broke.
        return { attention: { status: 0, code: "lost", message: "", fields: {}, at: isoLocal() } };
      }
      return sendWith(entry, photoUrl(entry), photoRequest(entry, bytes), retried);
    });
  }

  function sendWith(entry, url, options, retried) {
    var photo = entry.kind === "photo";
    return fetchWithTimeout(url, options, photo ? PHOTO_TIMEOUT_MS : RECORD_TIMEOUT_MS).then(
      function (response) {
        return responseJson(response).then(function (body) {
          if (response.status >= 200 && response.status < 300) {
            // Only an answer naming our UUID proves the server stored it (a Wi-Fi login page
            // or a proxy can answer 200 too).
            if (body && answeredUuid(body, entry.answer_uuid) === ownUuid(entry)) return { ok: true };
            return { transient: true, message: "" };
          }
          var error = (body && body.error) || {};
          if (response.status === 409 && error.code === "outbox_maker_mismatch") {
            // Another user is signed in (another tab): not sent, kept untouched for its maker.
            return { skip: true };
          }
          if (response.status === 400 && error.code === "csrf_failed") {
            if (retried) return { transient: true, message: error.message || "" };
            return refreshCsrf().then(function (refreshed) {
              return refreshed ? send(entry, true) : { transient: true, message: error.message || "" };
            });
          }
          if (response.status >= 500 || TRANSIENT_4XX.indexOf(response.status) >= 0 ||
              response.status < 400) {
            return { transient: true, message: error.message || "" };
          }
          return {
            attention: {
              status: response.status,
              code: error.code || "",
              message: error.message || response.status + " " + (response.statusText || ""),
              fields: error.fields || {},
              at: isoLocal(),
            },
          };
        });
      },
      function () {
        return { transient: true, message: "" };
      }
    );
  }

  function markSent(own) {
    var sent = localGet(SENT_KEY) || {};
    sent[own] = Date.now();
    var keys = Object.keys(sent);
    if (keys.length > 200) {
      keys.sort(function (a, b) {
        return sent[a] - sent[b];
      }).slice(0, keys.length - 200).forEach(function (key) {
        delete sent[key];
      });
    }
    localSet(SENT_KEY, sent);
  }

  function backoff(n) {
    var base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * Math.pow(2, n - 1));
    return Math.round(base * (0.5 + Math.random()));
  }

  /* Show at once that a flush runs (the counts follow when they have been read). */
  function paintSending() {
    var box = document.getElementById("outbox-status");
    if (box) box.setAttribute("data-sending", sending ? "yes" : "no");
    Array.prototype.forEach.call(document.querySelectorAll("[data-outbox-send]"), function (button) {
      if (!button.getAttribute("data-label")) button.setAttribute("data-label", button.textContent);
      button.disabled = sending;
      button.textContent = sending ? words.sending : button.getAttribute("data-label");
    });
  }

  async function runFlush(options) {
    sending = true;
    paintSending();
    try {
      if (options.retryAttention) await clearAttention();
      var entries = await allEntries();
      entries.sort(function (a, b) {
        return a.id - b.id;
      });
      var blocked = {};
      var stopped = false;
      var user = currentUser();
      for (var i = 0; i < entries.length; i++) {
        var entry = entries[i];
        var own = ownUuid(entry);
        var waitsForOther = entryDeps(entry).some(function (d) {
          return blocked[d];
        });
        if (entry.attention || waitsForOther || !sendableBy(entry, user)) {
          // Its photos and later records that depend on it wait too.
          blocked[own] = true;
          continue;
        }
        var outcome = await send(entry, false);
        if (outcome.ok) {
          await deleteEntry(entry);
          markSent(own);
          await setMeta("last_sync", Date.now());
          failures = 0;
          lastError = "";
          changed();
        } else if (outcome.skip) {
          blocked[own] = true; // kept as it is: sent when its maker signs in
        } else if (outcome.attention) {
          var attention = outcome.attention;
          await updateEntry(entry.id, function (stored) {
            stored.attention = attention;
          });
          blocked[own] = true;
          changed();
        } else {
          failures += 1;
          nextTryAt = Date.now() + backoff(failures);
          lastError = outcome.message || "";
          stopped = true;
          break;
        }
      }
      if (!stopped) {
        failures = 0;
        nextTryAt = 0;
      }
    } finally {
      sending = false;
      changed();
    }
  }

  /* Send what is waiting, one flush at a time across the tabs of this browser. */
  function flush(options) {
    options = options || {};
    if (!options.force && Date.now() < nextTryAt) return Promise.resolve(false);
    if (inPageFlush) {
      flushAgain = true; // something was saved meanwhile: go round once more when this one ends
      return Promise.resolve(false);
    }
    inPageFlush = true;
    var run = function () {
      return runFlush(options).then(function () {
        return true;
      });
    };
    var locked;
    if (navigator.locks && typeof navigator.locks.request === "function") {
      locked = navigator.locks.request("inspection-outbox-flush", { ifAvailable: true }, function (lock) {
        return lock ? run() : false;
      });
    } else {
      locked = run();
    }
    return locked.then(function (result) {
      inPageFlush = false;
      if (flushAgain) {
        flushAgain = false;
        if (result) flush({ force: true });
      }
      return result;
    }, function (error) {
      inPageFlush = false;
      lastError = String((error && error.message) || error);
      render();
      return false;
    });
  }

  // --- state shown to the crew -------------------------------------------------------------

  function summary(entry) {
    var copy = {};
    Object.keys(entry).forEach(function (key) {
      copy[key] = entry[key];
    });
    return copy;
  }

  function state() {
    return Promise.all([allEntries(), getMeta("last_sync")]).then(function (results) {
      var user = currentUser();
      var all = results[0].sort(function (a, b) {
        return a.id - b.id;
      });
      // This page's crew sees (and is kept from signing out by) its own entries; other users'
      // entries are only counted, per user.
      var entries = all.filter(function (entry) {
        return sendableBy(entry, user);
      });
      var records = 0;
      var photos = 0;
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
        others: othersWaiting(all, user),
        lastSync: results[1],
        sending: sending,
        lastError: lastError,
      };
    });
  }

  function child(parent, tag, className) {
    var node = parent.querySelector(tag + "." + className);
    if (!node) {
      node = document.createElement(tag);
      node.className = className;
      parent.appendChild(node);
    }
    return node;
  }

  function othersText(current) {
    return current.others.map(function (group) {
      return format(words.waiting_for_user, {
        records: group.records, photos: group.photos, user: group.user,
      });
    }).join(" ");
  }

  /* The sign-in page: what waits on this phone and for whom. */
  function paintSignIn(current) {
    var box = document.getElementById("outbox-signin");
    if (!box) return;
    var parts = [];
    if (current.waiting) {
      parts.push(format(words.waiting, { records: current.records, photos: current.photos }));
    }
    if (current.others.length) parts.push(othersText(current));
    box.textContent = parts.join(" ");
    box.setAttribute("data-waiting", String(current.waiting));
    box.setAttribute("data-others", String(current.others.length));
    box.hidden = parts.length === 0;
  }

  function paint(current) {
    paintSignIn(current);
    var box = document.getElementById("outbox-status");
    if (box) {
      box.setAttribute("data-records", String(current.records));
      box.setAttribute("data-photos", String(current.photos));
      box.setAttribute("data-waiting", String(current.waiting));
      box.setAttribute("data-attention", String(current.attention.length));
      box.classList.toggle("outbox-waiting", current.waiting > 0);
      child(box, "p", "outbox-counts").textContent = current.waiting
        ? format(words.waiting, { records: current.records, photos: current.photos })
        : words.nothing_waiting || "";
      child(box, "p", "outbox-last").textContent = current.lastSync
        ? format(words.last_sync, { time: showTime(current.lastSync) })
        : words.never_synced || "";
      var others = child(box, "p", "outbox-others");
      others.textContent = othersText(current);
      others.hidden = current.others.length === 0;
      box.setAttribute("data-others", String(current.others.length));
      var problem = child(box, "p", "outbox-error");
      problem.textContent = current.lastError;
      problem.hidden = !current.lastError;
      var list = child(box, "ul", "outbox-attention");
      list.textContent = "";
      current.attention.forEach(function (entry) {
        var item = document.createElement("li");
        item.textContent = (entry.label ? entry.label + " — " : "") +
          format(words.needs_attention, { reason: entry.attention.message });
        list.appendChild(item);
      });
      list.hidden = current.attention.length === 0;
    }
    paintSending();
  }

  function render() {
    return state().then(function (current) {
      lastState = current;
      paint(current);
      var event;
      try {
        event = new CustomEvent("outbox:change", { detail: current });
      } catch (error) {
        event = document.createEvent("CustomEvent");
        event.initCustomEvent("outbox:change", false, false, current);
      }
      window.dispatchEvent(event);
      return current;
    }, function (error) {
      lastError = String((error && error.message) || error);
      return null;
    });
  }

  function changed() {
    if (channel) {
      try {
        channel.postMessage("changed");
      } catch (error) {
        /* closed */
      }
    }
    return render();
  }

  // --- export, storage, service worker -----------------------------------------------------

  function toBase64(buffer) {
    var bytes = new Uint8Array(buffer);
    var chunks = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return window.btoa(chunks.join(""));
  }

  async function exportFile() {
    var entries = await allEntries();
    entries.sort(function (a, b) {
      return a.id - b.id;
    });
    var out = [];
    for (var i = 0; i < entries.length; i++) {
      var copy = summary(entries[i]);
      if (copy.kind === "photo") {
        var bytes = await photoBytes(copy.photo_uuid);
        copy.bytes_base64 = bytes ? toBase64(bytes) : null;
      }
      out.push(copy);
    }
    return download(out);
  }

  function download(out) {
    var now = new Date();
    var file = JSON.stringify({ version: 1, exported_at: isoLocal(now), entries: out });
    var blob = new Blob([file], { type: "application/json" });
    var link = document.createElement("a");
    var stamp = isoLocal(now).slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
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

  function storageInfo() {
    var storage = navigator.storage;
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
  function askPersistence() {
    var storage = navigator.storage;
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

  function megabytes(bytes) {
    if (bytes === undefined || bytes === null) return "?";
    if (bytes >= 1024 * 1024 * 1024) return (bytes / 1024 / 1024 / 1024).toFixed(1) + " GB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function registerServiceWorker() {
    if (!window.isSecureContext || !("serviceWorker" in navigator)) return Promise.resolve(null);
    return navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      return null;
    });
  }

  // --- location: the raw GPS fix and the stake the server derives from it ------------------

  /* The phone's position as {lon, lat, accuracy, at}; rejects with the GeolocationPositionError. */
  function position(maxAgeMs) {
    return new Promise(function (resolve, reject) {
      if (!window.isSecureContext || !navigator.geolocation) {
        reject({ code: 0, message: "unavailable" });
        return;
      }
      navigator.geolocation.getCurrentPosition(function (p) {
        resolve({
          lon: p.coords.longitude,
          lat: p.coords.latitude,
          accuracy: Math.round(p.coords.accuracy * 10) / 10,
          at: isoLocal(p.timestamp || Date.now()),
        });
      }, reject, { enableHighAccuracy: true, timeout: 20000, maximumAge: maxAgeMs || 0 });
    });
  }

  /* Ask the server which stake of a road a fix lies at: {candidate} or {status, message};
   * rejects when there is no connection. */
  function locate(fix, road, direction) {
    var url = "/api/v1/locate?lon=" + encodeURIComponent(fix.lon) + "&lat=" + encodeURIComponent(fix.lat) +
      (road ? "&road=" + encodeURIComponent(road) : "");
    return getJson(url).then(function (answer) {
      if (answer.ok && answer.body && answer.body.candidates) {
        var matching = answer.body.candidates.filter(function (c) {
          return !road || (c.road === road && (!direction || direction === "both" ||
            c.direction === direction || c.direction === "both"));
        });
        return { candidate: matching[0] || null, status: answer.status, message: "" };
      }
      if (!answer.body) throw new Error("no answer from the server");
      var error = answer.body.error || {};
      return { candidate: null, status: answer.status, message: error.message || "" };
    });
  }

  // --- the crew's current patrol on this phone ---------------------------------------------

  var patrol = {
    get: function () {
      return localGet(PATROL_KEY);
    },
    set: function (value) {
      localSet(PATROL_KEY, value);
    },
    clear: function () {
      localSet(PATROL_KEY, null);
    },
  };

  function sentAt(own) {
    var sent = localGet(SENT_KEY) || {};
    return sent[String(own).toLowerCase()] || null;
  }

  // --- wiring ------------------------------------------------------------------------------

  function guardLogout(event) {
    var form = event.target;
    if (!form || form.id !== "logout-form") return;
    event.preventDefault();
    state().then(function (current) {
      if (current.waiting > 0) {
        window.alert(words.logout_blocked);
        var box = document.getElementById("outbox-status");
        if (box) box.scrollIntoView();
      } else {
        form.submit();
      }
    }, function () {
      form.submit(); // no IndexedDB at all: nothing can be waiting in it
    });
  }

  function start() {
    if (!currentUser()) {
      render(); // a page without a signed-in user (the sign-in page) only shows what waits
      return;
    }
    document.addEventListener("submit", guardLogout, true);
    document.addEventListener("click", function (event) {
      var target = event.target && event.target.closest ? event.target.closest("[data-outbox-send], [data-outbox-export]") : null;
      if (!target) return;
      event.preventDefault();
      if (target.hasAttribute("data-outbox-send")) flush({ force: true, retryAttention: true });
      else exportFile();
    });
    window.addEventListener("online", function () {
      flush({ force: true });
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) flush({ force: true }); // back from the back-forward cache
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") flush({ force: true });
    });
    window.setInterval(function () {
      flush({});
    }, TIMER_MS);
    if (typeof BroadcastChannel === "function") {
      channel = new BroadcastChannel("inspection-outbox");
      channel.onmessage = function () {
        render();
      };
    }
    render().then(function () {
      flush({ force: true });
    });
  }

  window.Outbox = {
    words: words,
    format: format,
    readJsonBlock: readJsonBlock,
    uuid: uuid,
    isoLocal: isoLocal,
    csrfToken: csrfToken,
    getJson: getJson,
    showTime: showTime,
    megabytes: megabytes,
    add: add,
    replaceRecord: replaceRecord,
    flush: flush,
    state: state,
    current: function () {
      return lastState;
    },
    render: render,
    exportFile: exportFile,
    storageInfo: storageInfo,
    askPersistence: askPersistence,
    registerServiceWorker: registerServiceWorker,
    patrol: patrol,
    sentAt: sentAt,
    position: position,
    locate: locate,
    // A page's own conveniences in localStorage (JSON; null removes); never the outbox.
    localGet: localGet,
    localSet: localSet,
    // Pure parts, for the unit tests (tests/js).
    normalise: normalise,
    entryDeps: entryDeps,
    photoUrl: photoUrl,
    answeredUuid: answeredUuid,
    sendableBy: sendableBy,
    othersWaiting: othersWaiting,
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
