/* What this browser supports for field work (OFFLINE.md rule 10); the words come from the page. */
(function () {
  "use strict";

  var words = read("diagnostics-words") || {};

  function read(id) {
    var element = document.getElementById(id);
    try {
      return element ? JSON.parse(element.textContent) : null;
    } catch (error) {
      return null;
    }
  }

  function format(template, params) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (all, name) {
      return params[name] === undefined ? "" : String(params[name]);
    });
  }

  function mb(bytes) {
    return bytes === undefined ? "?" : (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function report(name, ok, detail) {
    var row = document.querySelector('[data-check="' + name + '"]');
    if (!row) return;
    var answer = row.querySelector(".answer");
    answer.textContent = ok === null ? words.unknown : ok ? words.yes : words.no;
    answer.className = "answer " + (ok === null ? "" : ok ? "yes" : "no");
    row.setAttribute("data-result", ok === null ? "unknown" : ok ? "yes" : "no");
    row.querySelector(".detail").textContent = detail || "";
  }

  function result(text) {
    var box = document.getElementById("try-result");
    box.textContent = text;
    box.hidden = !text;
  }

  /* Really open a database, write bytes as an ArrayBuffer, read them back, then delete it. */
  function checkIndexedDb() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) {
        resolve(false);
        return;
      }
      var name = "inspection-diagnostics";
      var request;
      try {
        request = indexedDB.open(name, 1);
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
        var db = request.result;
        var bytes = new Uint8Array([1, 2, 3, 4]).buffer;
        try {
          var write = db.transaction("t", "readwrite");
          write.objectStore("t").put({ bytes: bytes }, 1);
          write.oncomplete = function () {
            var get = db.transaction("t").objectStore("t").get(1);
            get.onsuccess = function () {
              var ok = Boolean(get.result && get.result.bytes && get.result.bytes.byteLength === 4);
              db.close();
              indexedDB.deleteDatabase(name);
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

  function checkStorage() {
    var storage = navigator.storage;
    if (!storage || !storage.persisted) {
      report("persisted", false, "");
      return;
    }
    Promise.all([storage.persisted(), storage.estimate ? storage.estimate() : Promise.resolve({})]).then(
      function (results) {
        report("persisted", results[0], format(words.usage, { used: mb(results[1].usage), quota: mb(results[1].quota) }));
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
    if (!navigator.geolocation) {
      result(format(words.gps_error, { reason: words.not_secure }));
      return;
    }
    result(words.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      result(format(words.position, {
        lon: position.coords.longitude.toFixed(6),
        lat: position.coords.latitude.toFixed(6),
        accuracy: Math.round(position.coords.accuracy),
      }));
      checkGeolocation();
    }, function (error) {
      result(format(words.gps_error, { reason: error.message || error.code }));
      checkGeolocation();
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  }

  function init() {
    var secure = Boolean(window.isSecureContext);
    report("secure", secure, secure ? location.protocol + "//" + location.host : words.not_secure);
    var sw = "serviceWorker" in navigator;
    report("service_worker", sw && secure, "");
    if (sw && secure) {
      navigator.serviceWorker.getRegistration("/").then(function (registration) {
        var detail = navigator.serviceWorker.controller ? words.active : registration ? words.installed : "";
        report("service_worker", true, detail);
      }, function () {});
    }
    checkIndexedDb().then(function (ok) {
      report("indexeddb", ok, "");
    });
    checkStorage();
    checkGeolocation();
    var input = document.createElement("input");
    input.type = "file";
    report("camera", input.type === "file" && !input.disabled, "capture" in input ? "capture" : "");
    report("subtle", Boolean(window.crypto && window.crypto.subtle), "");
    report("bitmap", typeof window.createImageBitmap === "function", "");
    document.getElementById("user-agent").textContent = navigator.userAgent;
    var wechatIos = /MicroMessenger/i.test(navigator.userAgent) && /iPhone|iPad|iPod/i.test(navigator.userAgent);
    document.getElementById("wechat-ios").classList.toggle("notice-error", wechatIos);
    document.getElementById("try-gps").addEventListener("click", tryGps);
    document.getElementById("try-camera").addEventListener("change", function (event) {
      var file = event.target.files && event.target.files[0];
      if (file) result(format(words.photo, { name: file.name, size: mb(file.size) }));
    });
  }

  init();
})();
