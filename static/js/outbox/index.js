/* The outbox: records and photos kept on this phone (IndexedDB) until the server confirms them.
 *
 * OFFLINE.md rules 1–7: saved = written and read back; photos as ArrayBuffer; sent in the order
 * they were made, each photo after its record; deleted only after a 2xx that names its UUID;
 * network error or 5xx → back off and retry; 4xx → "needs attention", kept; nothing expires.
 * Shared phones: each entry records its maker (the signed-in username, words.user) and is sent
 * only under that user's session; another user's entries stay, untouched, until they sign in.
 *
 * This module wires the parts (store.js: IndexedDB; sync.js: the send rules; transport.js: one
 * request; ui.js: painting; device.js: export, storage, service worker; ../lib: text, crypto,
 * location, network) and exposes them to the pages' scripts as window.Outbox. base.html and the
 * sign-in page load it with <script type="module"> before the pages' own scripts, which are
 * deferred or modules too, so they run after it (in document order) and find window.Outbox.
 * The words come from the server (#outbox-words); this code carries no language.
 * Plain ES2017 (no ?. or ??) so that older Android WebViews run it.
 */
import { format, isoLocal, megabytes, showTime as showTimeIn } from "../lib/text.js";
import { csrfToken, lang, readJsonBlock } from "../lib/page.js";
import { getJson } from "../lib/net.js";
import { localGet, localSet } from "../lib/local.js";
import { uuid } from "../lib/crypto.js";
import { locate, position } from "../lib/location.js";
import { normalise as normaliseFor, ownUuid, photoUrl } from "./entries.js";
import {
  answeredUuid, backoff, entryDeps, othersWaiting, sendableBy, sendInOrder, tally, trimSent,
} from "./sync.js";
import * as store from "./store.js";
import { send } from "./transport.js";
import { announce, paint, paintSending } from "./ui.js";
import { askPersistence, exportFile, registerServiceWorker, storageInfo } from "./device.js";

const TIMER_MS = 30000;
const PATROL_KEY = "inspection.patrol";
const SENT_KEY = "inspection.sent";

const words = readJsonBlock("outbox-words") || {};
let inPageFlush = false;
let flushAgain = false;
let sending = false;
let failures = 0;
// Entry UUID → repeating server errors in a row (sync.REPEATED_ERROR_LIMIT), for this page.
const repeatedErrors = {};
let nextTryAt = 0;
let lastError = "";
let lastState = null;
let channel = null;

// The user the server's session says is signed in, once asked: a page kept by the service
// worker and opened without signal names whoever was signed in when it was kept.
let sessionUser = "";
let sessionAsked = false;

/* The signed-in user of this page ("" on pages without one, e.g. the sign-in page). */
function currentUser() {
  if (sessionUser) return sessionUser;
  return words.user ? String(words.user).trim() : "";
}

// Every page fresh from the server records who is signed in ("" for nobody); a page the
// service worker kept (data-page-source="cache") compares its user with that, so a shared
// phone's stale page does not record under the previous user even without signal.
const SIGNED_IN_KEY = "inspection.signedIn";

function checkPageUser() {
  const pageUser = words.user ? String(words.user).trim() : "";
  const cached = document.querySelector('[data-page-source="cache"]') !== null;
  if (!cached) {
    localSet(SIGNED_IN_KEY, pageUser);
    return;
  }
  const known = localGet(SIGNED_IN_KEY);
  if (typeof known !== "string" || !pageUser || known === pageUser) return;
  if (known) sessionUser = known;
  showStaleUser(pageUser, known);
}

/* Before the first send, ask the server who is signed in; a page that names someone else
 * gets a notice, and from then on this page's entries are judged by the session's user. */
async function confirmUser() {
  if (sessionAsked || !words.user) return currentUser();
  let answer;
  try {
    answer = await getJson("/api/v1/me");
  } catch (error) {
    return currentUser(); // no signal: ask again on the next flush
  }
  if (!answer.ok || !answer.body || !answer.body.username) return currentUser();
  sessionAsked = true;
  const signedIn = String(answer.body.username).trim();
  if (signedIn !== String(words.user).trim()) {
    sessionUser = signedIn;
    showStaleUser(String(words.user).trim(), signedIn);
  }
  return currentUser();
}

function showStaleUser(pageUser, user) {
  const template = user ? words.page_user_stale : words.page_user_signed_out;
  if (!template || document.getElementById("outbox-stale-user")) return;
  const notice = document.createElement("p");
  notice.id = "outbox-stale-user";
  notice.className = "flash flash-error";
  notice.setAttribute("role", "alert");
  notice.textContent = format(template, { page_user: pageUser, user: user });
  const main = document.querySelector("main") || document.body;
  main.insertBefore(notice, main.firstChild);
}

function showTime(ms) {
  return showTimeIn(ms, lang());
}

function normalise(item) {
  return normaliseFor(item, currentUser());
}

// --- saving --------------------------------------------------------------------------------

/* Put entries (a record and then its photos) in one transaction, then read them back. */
function add(items) {
  let prepared;
  try {
    prepared = items.map(normalise);
  } catch (error) {
    return Promise.reject(error);
  }
  return store.putEntries(prepared, items.map(function (item) {
    return item.bytes;
  })).then(function (ids) {
    return changed().then(function () {
      return ids;
    });
  });
}

/* Replace the body of a waiting record (a crew's correction); it is tried again. */
function replaceRecord(id, body, label) {
  return store.replaceBody(id, body, label).then(function () {
    return changed().then(function () {
      return id;
    });
  });
}

// --- sending -------------------------------------------------------------------------------

function markSent(own) {
  const sent = localGet(SENT_KEY) || {};
  sent[own] = Date.now();
  localSet(SENT_KEY, trimSent(sent, 200));
}

function sentAt(own) {
  const sent = localGet(SENT_KEY) || {};
  return sent[String(own).toLowerCase()] || null;
}

async function runFlush(options) {
  sending = true;
  paintSending(words, sending);
  try {
    if (options.retryAttention) {
      await store.clearAttention();
      Object.keys(repeatedErrors).forEach(function (key) {
        delete repeatedErrors[key];
      });
    }
    const entries = await store.allEntries();
    const user = entries.length ? await confirmUser() : currentUser();
    const result = await sendInOrder(entries, user, {
      send: function (entry) {
        return send(entry, user, false);
      },
      repeated: function (entry) {
        const key = ownUuid(entry);
        repeatedErrors[key] = (repeatedErrors[key] || 0) + 1;
        return repeatedErrors[key];
      },
      sent: async function (entry) {
        delete repeatedErrors[ownUuid(entry)];
        await store.deleteEntry(entry);
        markSent(ownUuid(entry));
        await store.setMeta("last_sync", Date.now());
        failures = 0;
        lastError = "";
        changed();
      },
      attention: async function (entry, attention) {
        await store.updateEntry(entry.id, function (stored) {
          stored.attention = attention;
        });
        changed();
      },
    });
    if (result.stopped) {
      failures += 1;
      nextTryAt = Date.now() + backoff(failures);
      lastError = result.message;
    } else {
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
  const run = function () {
    return runFlush(options).then(function () {
      return true;
    });
  };
  let locked;
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

// --- state shown to the crew ---------------------------------------------------------------

function state() {
  return Promise.all([store.allEntries(), store.getMeta("last_sync")]).then(function (results) {
    // This page's crew sees (and is kept from signing out by) its own entries; other users'
    // entries are only counted, per user.
    const current = tally(results[0], currentUser());
    current.lastSync = results[1];
    current.sending = sending;
    current.lastError = lastError;
    return current;
  });
}

function render() {
  return state().then(function (current) {
    lastState = current;
    paint(words, current, sending);
    announce(current);
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

// --- the crew's current patrol on this phone -----------------------------------------------

const patrol = {
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

// --- wiring --------------------------------------------------------------------------------

function guardLogout(event) {
  const form = event.target;
  if (!form || form.id !== "logout-form") return;
  event.preventDefault();
  state().then(function (current) {
    if (current.waiting > 0) {
      window.alert(words.logout_blocked);
      const box = document.getElementById("outbox-status");
      if (box) box.scrollIntoView();
    } else {
      form.submit();
    }
  }, function () {
    form.submit(); // no IndexedDB at all: nothing can be waiting in it
  });
}

function start() {
  checkPageUser();
  if (!currentUser()) {
    render(); // a page without a signed-in user (the sign-in page) only shows what waits
    return;
  }
  document.addEventListener("submit", guardLogout, true);
  document.addEventListener("click", function (event) {
    const target = event.target && event.target.closest
      ? event.target.closest("[data-outbox-send], [data-outbox-export]") : null;
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

const Outbox = {
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
  locate: function (fix, road, direction) {
    return locate(fix, road, direction);
  },
  // A page's own conveniences in localStorage (JSON; null removes); never the outbox.
  localGet: localGet,
  localSet: localSet,
  // Pure parts (their tests are in tests/js against the modules themselves).
  normalise: normalise,
  entryDeps: entryDeps,
  photoUrl: photoUrl,
  answeredUuid: answeredUuid,
  sendableBy: sendableBy,
  othersWaiting: othersWaiting,
};

window.Outbox = Outbox;
// For scripts that may run before this module (async ones): resolves with the facade.
window.OutboxReady = Promise.resolve(Outbox);
try {
  window.dispatchEvent(new CustomEvent("outbox:ready", { detail: Outbox }));
} catch (error) {
  /* very old engines: the pages' scripts run after this module anyway */
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();

export default Outbox;
