/* What this browser supports for field work (OFFLINE.md rule 10); the words come from the page.
 * The page is public (a crew checks a phone before signing in), so this module does not use the
 * outbox. The pure parts are tested in tests/js/diagnostics.test.mjs. Plain ES2017 (no ?. or ??).
 */
import { format, megabytes } from "./lib/text.js";
import { position } from "./lib/location.js";
import { readJsonBlock } from "./lib/page.js";

const PROBE_DB = "inspection-diagnostics";

/* A check's answer: {word, result} for true / false / null (unknown). */
export function answerOf(ok, words) {
  if (ok === null || ok === undefined) return { word: words.unknown, result: "unknown" };
  return ok ? { word: words.yes, result: "yes" } : { word: words.no, result: "no" };
}

/* WeChat's browser on an iPhone: no service worker there (WebKit allows them only in Safari and
 * home-screen apps), which the page says in red. */
export function isWechatIos(userAgent) {
  return /MicroMessenger/i.test(userAgent) && /iPhone|iPad|iPod/i.test(userAgent);
}

/* Why the GPS gave no position, for the crew: outside a secure context (code 0) the browser
 * gives none at all. */
export function gpsFailure(error, words) {
  const reason = error && error.code === 0 ? words.not_secure : (error && (error.message || error.code)) || "";
  return format(words.gps_error, { reason: reason });
}

/* Really open a database, write bytes as an ArrayBuffer, read them back, then delete it. */
export function checkIndexedDb(indexedDB) {
  return new Promise(function (resolve) {
    if (!indexedDB) {
      resolve(false);
      return;
    }
    let request;
    try {
      request = indexedDB.open(PROBE_DB, 1);
    } catch (error) {
      resolve(false);
      return;
    }
    request.onupgradeneeded = function () {
      request.result.createObjectStore("t");
    };
    request.onerror = function () {
      resolve(false);
    };
    request.onsuccess = function () {
      const db = request.result;
      const bytes = new Uint8Array([1, 2, 3, 4]).buffer;
      try {
        const write = db.transaction("t", "readwrite");
        write.objectStore("t").put({ bytes: bytes }, 1);
        write.oncomplete = function () {
          const get = db.transaction("t").objectStore("t").get(1);
          get.onsuccess = function () {
            const ok = Boolean(get.result && get.result.bytes && get.result.bytes.byteLength === 4);
            db.close();
            indexedDB.deleteDatabase(PROBE_DB);
            resolve(ok);
          };
          get.onerror = function () {
            db.close();
            resolve(false);
          };
        };
        write.onerror = write.onabort = function () {
          db.close();
          resolve(false);
        };
      } catch (error) {
        db.close();
        resolve(false);
      }
    };
  });
}

// --- the page --------------------------------------------------------------------------------

function start(words) {
  function report(name, ok, detail) {
    const row = document.querySelector('[data-check="' + name + '"]');
    if (!row) return;
    const answer = answerOf(ok, words);
    const node = row.querySelector(".answer");
    node.textContent = answer.word;
    node.className = "answer " + (answer.result === "unknown" ? "" : answer.result);
    row.setAttribute("data-result", answer.result);
    row.querySelector(".detail").textContent = detail || "";
  }

  function result(text) {
    const box = document.getElementById("try-result");
    box.textContent = text;
    box.hidden = !text;
  }

  function checkStorage() {
    const storage = navigator.storage;
    if (!storage || !storage.persisted) {
      report("persisted", false, "");
      return;
    }
    Promise.all([storage.persisted(), storage.estimate ? storage.estimate() : Promise.resolve({})]).then(
      function (results) {
        report("persisted", results[0], format(words.usage, {
          used: megabytes(results[1].usage),
          quota: megabytes(results[1].quota),
        }));
      },
      function () {
        report("persisted", null, "");
      }
    );
  }

  function checkGeolocation() {
    if (!navigator.geolocation || !window.isSecureContext) {
      report("geolocation", false, window.isSecureContext ? "" : words.not_secure);
      return;
    }
    if (!navigator.permissions || !navigator.permissions.query) {
      report("geolocation", true, "");
      return;
    }
    navigator.permissions.query({ name: "geolocation" }).then(function (status) {
      report("geolocation", status.state !== "denied", words[status.state] || status.state);
    }, function () {
      report("geolocation", true, "");
    });
  }

  function tryGps() {
    result(words.locating);
    position(0).then(function (fix) {
      result(format(words.position, {
        lon: fix.lon.toFixed(6),
        lat: fix.lat.toFixed(6),
        accuracy: Math.round(fix.accuracy),
      }));
      checkGeolocation();
    }, function (error) {
      result(gpsFailure(error, words));
      checkGeolocation();
    });
  }

  const secure = Boolean(window.isSecureContext);
  report("secure", secure, secure ? location.protocol + "//" + location.host : words.not_secure);
  const sw = "serviceWorker" in navigator;
  report("service_worker", sw && secure, "");
  if (sw && secure) {
    navigator.serviceWorker.getRegistration("/").then(function (registration) {
      const detail = navigator.serviceWorker.controller ? words.active : registration ? words.installed : "";
      report("service_worker", true, detail);
    }, function () {});
  }
  checkIndexedDb(window.indexedDB).then(function (ok) {
    report("indexeddb", ok, "");
  });
  checkStorage();
  checkGeolocation();
  const input = document.createElement("input");
  input.type = "file";
  report("camera", input.type === "file" && !input.disabled, "capture" in input ? "capture" : "");
  report("subtle", Boolean(window.crypto && window.crypto.subtle), "");
  report("bitmap", typeof window.createImageBitmap === "function", "");
  document.getElementById("user-agent").textContent = navigator.userAgent;
  document.getElementById("wechat-ios").classList.toggle("notice-error", isWechatIos(navigator.userAgent));
  document.getElementById("try-gps").addEventListener("click", tryGps);
  document.getElementById("try-camera").addEventListener("change", function (event) {
    const file = event.target.files && event.target.files[0];
    if (file) result(format(words.photo, { name: file.name, size: megabytes(file.size) }));
  });
}

if (typeof document !== "undefined" && document.getElementById("diagnostics-page")) {
  start(readJsonBlock("diagnostics-words") || {});
}
