/* Service worker: only makes the field pages load without signal (OFFLINE.md rule 5).
 *
 * Pages: network first, the cached copy when the network fails. Static files: cache first,
 * refreshed in the background. Never /api/, /media/ or anything but GET: queued uploads live
 * in the page's IndexedDB outbox, not here.
 */
"use strict";

var VERSION = "field-v4";
var CACHE = "inspection-shell-" + VERSION;
// A page the user may not open (a patrol crew member and /field/inspection) redirects or
// answers 403; it is simply not cached.
var PAGES = ["/field/", "/field/finding", "/field/inspection", "/diagnostics"];
var STATIC = [
  "/static/css/app.css",
  "/static/css/field.css",
  "/static/css/walk.css",
  "/static/js/outbox.js",
  "/static/js/field.js",
  "/static/js/finding_form.js",
  "/static/js/diagnostics.js",
  "/static/js/walk_core.js",
  "/static/js/photo_prep.js",
  "/static/js/walk_sites.js",
  "/static/js/walk_checklist.js",
  "/static/js/walk.js",
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
  return PAGES.indexOf(url.pathname) >= 0 ? url.pathname : null;
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
