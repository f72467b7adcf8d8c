/* Service worker: only makes the field pages load without signal (OFFLINE.md rule 5).
 *
 * Pages: network first, the cached copy when the network fails. Static files: cache first,
 * refreshed in the background. Never /api/, /media/ or anything but GET: queued uploads live
 * in the page's IndexedDB outbox, not here.
 */
"use strict";

var VERSION = "field-v16";
var CACHE = "inspection-shell-" + VERSION;
// A page the user may not open (a patrol crew member and /field/inspection) redirects or
// answers 403; it is simply not cached.
var PAGES = [
  "/field/", "/field/finding", "/field/inspection", "/repairs/new", "/fleet/defect", "/diagnostics",
  "/field/pretrip", "/field/briefing", "/field/work-zone",
];
// Pages of one record (a survey unit, a hazard): kept when visited, so a crew that opened one
// with signal can still add records and photos to it further down the road.
var VISITED = [/^\/surveys\/\d+\/units\/\d+$/, /^\/hazards\/\d+$/];
// Every script those pages load, and every module those scripts import: a module missing here
// breaks its page offline (tests/unit/test_js.py checks the list against the imports).
var STATIC = [
  "/static/css/app.css",
  "/static/css/field.css",
  "/static/css/walk.css",
  "/static/js/header.js",
  "/static/js/lib/crypto.js",
  "/static/js/lib/exif.js",
  "/static/js/lib/forms.js",
  "/static/js/lib/geo.js",
  "/static/js/lib/local.js",
  "/static/js/lib/location.js",
  "/static/js/lib/net.js",
  "/static/js/lib/page.js",
  "/static/js/lib/stake.js",
  "/static/js/lib/text.js",
  "/static/js/outbox/device.js",
  "/static/js/outbox/entries.js",
  "/static/js/outbox/index.js",
  "/static/js/outbox/store.js",
  "/static/js/outbox/sync.js",
  "/static/js/outbox/transport.js",
  "/static/js/outbox/ui.js",
  "/static/js/field.js",
  "/static/js/field/patrol.js",
  "/static/js/field/findings.js",
  "/static/js/track/field_track.js",
  "/static/js/track/recorder.js",
  "/static/js/track/filter.js",
  "/static/js/track/batcher.js",
  "/static/js/finding_form.js",
  "/static/js/finding/vocabulary.js",
  "/static/js/finding/record.js",
  "/static/js/finding/kind_fields.js",
  "/static/js/finding/place.js",
  "/static/js/finding/nearby.js",
  "/static/js/diagnostics.js",
  "/static/js/photo_prep.js",
  "/static/js/walk_core.js",
  "/static/js/walk_sites.js",
  "/static/js/walk_checklist.js",
  "/static/js/walk.js",
  "/static/js/outbox_forms.js",
  "/static/js/repair_form.js",
  "/static/js/survey_unit.js",
  "/static/js/survey_record_form.js",
  "/static/js/hazard_evidence.js",
  "/static/js/vehicle_defect_form.js",
  "/static/js/crew/pretrip_rules.js",
  "/static/js/pretrip_form.js",
  "/static/js/crew/briefing_rules.js",
  "/static/js/briefing_form.js",
  "/static/js/crew/zone_rules.js",
  "/static/js/work_zone_form.js",
];
// The pages say where they came from, so that a page served from this cache knows it is old.
var FRESH_MARK = 'data-page-source="network"';
var CACHED_MARK = 'data-page-source="cache"';

function cacheablePage(response) {
  return response && response.ok && !response.redirected && response.type === "basic" &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

/* Store a page with its source mark turned to "cache". */
function storePage(cache, url, response) {
  return response.text().then(function (text) {
    var headers = new Headers(response.headers);
    headers.delete("Content-Length"); // the mark changes the length
    headers.delete("Content-Encoding");
    return cache.put(url, new Response(text.split(FRESH_MARK).join(CACHED_MARK), {
      status: response.status,
      statusText: response.statusText,
      headers: headers,
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      var pages = PAGES.map(function (url) {
        // A page that redirects (signed out) is not cached; the next visit will cache it.
        return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
          return cacheablePage(response) ? storePage(cache, url, response) : null;
        }).catch(function () {
          return null;
        });
      });
      return Promise.all([cache.addAll(STATIC)].concat(pages));
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("inspection-shell-") === 0 && name !== CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function shellPath(url) {
  if (PAGES.indexOf(url.pathname) >= 0) return url.pathname;
  for (var i = 0; i < VISITED.length; i++) {
    if (VISITED[i].test(url.pathname)) return url.pathname;
  }
  return null;
}

function networkFirst(request, path) {
  return fetch(request).then(function (response) {
    if (path && cacheablePage(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) {
        return storePage(cache, path, copy);
      });
    }
    return response;
  }).catch(function () {
    return caches.match(path || request.url, { ignoreSearch: true }).then(function (cached) {
      return cached || Response.error();
    });
  });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request).then(function (cached) {
      var refresh = fetch(request).then(function (response) {
        if (response && response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
      if (cached) {
        refresh.catch(function () {
          return null;
        });
        return cached;
      }
      return refresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/api/") === 0 || url.pathname.indexOf("/media/") === 0 ||
      url.pathname === "/sw.js") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, shellPath(url)));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(request));
    return;
  }
  var path = shellPath(url);
  if (path) event.respondWith(networkFirst(request, path));
});
