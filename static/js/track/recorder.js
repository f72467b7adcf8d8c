/* Recording a patrol's track while its page is open (issue #13, item 1).
 *
 * watchPosition (high accuracy, no cached fixes) → TrackFilter → Batcher → the outbox, one
 * entry per batch: {url: /api/v1/patrols/<patrol>/track, uuid: batch UUID, deps: [patrol,
 * previous batch]}. A Screen Wake Lock keeps the screen on where the browser has one (asked
 * again each time the page becomes visible: the browser releases it when the page is hidden).
 *
 * States: "off" (no patrol), "recording" (watching; `fix` says whether a fix came in the last
 * NO_FIX_MS), "paused" with a reason — "hidden" (page hidden or closed), "denied" (location
 * permission refused), "no_fix" (no fix for NO_FIX_MS; the watch goes on and the next fix
 * resumes), "user" (the crew's pause button, kept over a reload), "unavailable" (no
 * geolocation: not a secure context, or an old browser), "other_tab" (another tab of this
 * browser records) — and "ended".
 *
 * Everything the browser gives comes through `env` (window, document, navigator, Outbox), so
 * a test can drive it with fakes. ES2017, like outbox.js.
 */

import { TrackFilter, pointFromPosition } from "./filter.js";
import { Batcher } from "./batcher.js";

export const NO_FIX_MS = 30000;
export const TICK_MS = 2000;
const LOCK_NAME = "inspection-track-recorder";

export function trackUrl(patrolUuid) {
  return "/api/v1/patrols/" + patrolUuid + "/track";
}

export class Recorder {
  /* env: {window, document, navigator, outbox (the window.Outbox facade), label(count) → text,
   * onChange(snapshot), now() → epoch ms (Date.now unless a test gives its clock)} */
  constructor(env) {
    this.env = env;
    this.outbox = env.outbox;
    this.now = env.now || Date.now;
    this.state = "off";
    this.reason = "";
    this.patrol = null;
    this.batcher = null;
    this.filter = null;
    this.watchId = null;
    this.lastFixAt = 0;
    this.wakeLock = null;
    this.wakeLockState = this.wakeLockSupported() ? "off" : "none";
    this.timer = null;
    this.syncing = Promise.resolve();
    this.releaseLock = null;
    this.outboxState = null;
    this.onVisibility = this.onVisibility.bind(this);
    this.onPageHide = this.onPageHide.bind(this);
  }

  // --- starting and stopping ----------------------------------------------------------------

  /* Record the track of `patrol` ({uuid}); a call for the patrol already recorded does nothing. */
  start(patrol) {
    const uuid = String(patrol.uuid).toLowerCase();
    if (this.patrol === uuid && this.state !== "off") return Promise.resolve();
    if (this.patrol) this.stop();
    this.patrol = uuid;
    this.setState("paused", "other_tab");
    return this.holdLock().then(() => {
      if (this.patrol !== uuid) {
        // Stopped (or another patrol began) while waiting for the lock: let it go.
        if (this.releaseLock) this.releaseLock();
        this.releaseLock = null;
        return;
      }
      this.batcher = new Batcher({
        patrolUuid: uuid,
        store: { get: this.outbox.localGet, set: this.outbox.localSet },
        newUuid: this.outbox.uuid,
        now: () => this.now(),
      });
      this.filter = new TrackFilter({ last: this.batcher.last });
      const doc = this.env.document;
      doc.addEventListener("visibilitychange", this.onVisibility);
      this.env.window.addEventListener("pagehide", this.onPageHide);
      this.timer = this.env.window.setInterval(() => this.tick(), TICK_MS);
      this.syncPending();
      if (this.batcher.ended) this.setState("ended", "");
      else if (this.batcher.paused) this.setState("paused", "user");
      else if (doc.visibilityState === "hidden") this.setState("paused", "hidden");
      else this.resume();
    });
  }

  /* Stop recording (the patrol is no longer open on this page): cut what is open. */
  stop() {
    this.unwatch();
    this.releaseWakeLock();
    if (this.batcher) this.cutAndQueue();
    if (this.timer !== null) this.env.window.clearInterval(this.timer);
    this.timer = null;
    this.env.document.removeEventListener("visibilitychange", this.onVisibility);
    this.env.window.removeEventListener("pagehide", this.onPageHide);
    if (this.releaseLock) this.releaseLock();
    this.releaseLock = null;
    this.patrol = null;
    this.setState("off", "");
  }

  /* The patrol ends: cut the last batch, wait until the outbox holds every batch, and return
   * the UUID of the last one (the end request depends on it), or null without a track. */
  finish(patrolUuid) {
    const uuid = String(patrolUuid || this.patrol || "").toLowerCase();
    if (!this.batcher || this.batcher.patrol !== uuid) {
      const stored = this.outbox.localGet("inspection.track");
      return Promise.resolve(stored && stored.patrol === uuid ? stored.prev : null);
    }
    this.unwatch();
    this.releaseWakeLock();
    this.batcher.end();
    this.setState("ended", "");
    return this.syncPending().then(() => this.batcher.lastBatch());
  }

  /* The crew's pause button. */
  pause() {
    if (!this.batcher || this.state === "ended") return;
    this.batcher.setPaused(true);
    this.halt("user");
  }

  /* The crew's resume button, and the way back from every pause. */
  resume() {
    if (!this.batcher || this.batcher.ended) return;
    if (this.batcher.paused) this.batcher.setPaused(false);
    const geolocation = this.env.navigator.geolocation;
    if (!this.env.window.isSecureContext || !geolocation) {
      this.setState("paused", "unavailable");
      return;
    }
    if (this.env.document.visibilityState === "hidden") {
      this.setState("paused", "hidden");
      return;
    }
    this.lastFixAt = this.now(); // the 30 s without a fix count from now
    if (this.watchId === null) {
      this.watchId = geolocation.watchPosition(
        (position) => this.onPosition(position),
        (error) => this.onError(error),
        { enableHighAccuracy: true, maximumAge: 0 }
      );
    }
    this.fix = false;
    this.setState("recording", "");
    this.acquireWakeLock();
  }

  /* Pause for a reason: no watch, no wake lock, the open batch cut for the outbox. */
  halt(reason) {
    this.unwatch();
    this.releaseWakeLock();
    this.cutAndQueue();
    this.setState("paused", reason);
  }

  unwatch() {
    if (this.watchId !== null && this.env.navigator.geolocation) {
      this.env.navigator.geolocation.clearWatch(this.watchId);
    }
    this.watchId = null;
  }

  /* One recorder per browser: another tab of the same phone waits (navigator.locks). */
  holdLock() {
    const locks = this.env.navigator.locks;
    if (!locks || typeof locks.request !== "function") return Promise.resolve();
    return new Promise((acquired) => {
      locks
        .request(LOCK_NAME, () => {
          acquired();
          return new Promise((release) => {
            this.releaseLock = release;
          });
        })
        .catch(() => acquired());
    });
  }

  // --- fixes ----------------------------------------------------------------------------------

  onPosition(position) {
    if (!this.batcher || this.watchId === null) return;
    this.lastFixAt = this.now();
    this.fix = true;
    if (this.state !== "recording") this.setState("recording", "");
    const point = pointFromPosition(position, this.outbox.isoLocal);
    const verdict = this.filter.offer(point);
    if (verdict.keep) {
      const batch = this.batcher.add(point);
      if (batch) this.queue();
    } else if (verdict.reason === "accuracy" || verdict.reason === "speed") {
      this.batcher.drop(1);
    }
    this.changed();
  }

  onError(error) {
    if (error && error.code === 1) this.halt("denied"); // PERMISSION_DENIED
    // POSITION_UNAVAILABLE, TIMEOUT: the watch goes on; the tick says "no fix" after 30 s.
  }

  tick() {
    if (!this.batcher) return;
    if (this.batcher.due()) this.cutAndQueue();
    else if (this.batcher.pending.length) this.syncPending();
    if (this.state === "recording" && this.now() - this.lastFixAt >= NO_FIX_MS) {
      this.fix = false;
      this.cutAndQueue();
      this.setState("paused", "no_fix"); // the watch stays: the next fix resumes
    }
  }

  onVisibility() {
    if (this.env.document.visibilityState === "hidden") {
      if (this.state === "recording" || (this.state === "paused" && this.reason === "no_fix")) {
        this.halt("hidden");
      } else {
        this.cutAndQueue();
      }
    } else if (this.state === "paused" && this.reason === "hidden") {
      this.resume();
    } else if (this.state === "recording") {
      this.acquireWakeLock();
    }
  }

  onPageHide() {
    // The page may never come back: what is open goes to the outbox (and stays in `pending`).
    this.cutAndQueue();
  }

  // --- the outbox ---------------------------------------------------------------------------

  cutAndQueue() {
    if (!this.batcher) return;
    if (this.batcher.cut()) this.queue();
  }

  queue() {
    this.syncPending();
    this.changed();
  }

  /* Put every pending batch into the outbox, in order, one at a time; a batch the outbox
   * already holds, or has sent, only leaves `pending`. Resolves when all are done. */
  syncPending() {
    this.syncing = this.syncing.then(() => this.syncOnce()).catch(() => null);
    return this.syncing;
  }

  async syncOnce() {
    const batcher = this.batcher;
    if (!batcher || !batcher.pending.length) return;
    const current = await this.outbox.state();
    const held = {};
    current.entries.forEach((entry) => {
      if (entry.kind === "record") held[entry.uuid] = true;
    });
    for (const batch of batcher.pending) {
      if (held[batch.uuid] || this.outbox.sentAt(batch.uuid)) {
        batcher.confirm(batch.uuid);
        continue;
      }
      await this.outbox.add([
        {
          method: "POST",
          url: trackUrl(batch.patrol),
          uuid: batch.uuid,
          body: batch.body,
          deps: batch.deps,
          label: this.env.label(batch.count),
        },
      ]);
      batcher.confirm(batch.uuid);
    }
    this.outbox.flush({});
  }

  /* The outbox's state (from its outbox:change event), for the counts of what waits. */
  outboxChanged(current) {
    this.outboxState = current;
    this.changed();
  }

  // --- the screen wake lock -------------------------------------------------------------------

  wakeLockSupported() {
    const nav = this.env.navigator;
    return Boolean(nav.wakeLock && typeof nav.wakeLock.request === "function");
  }

  acquireWakeLock() {
    if (!this.wakeLockSupported() || this.wakeLock || this.env.document.visibilityState !== "visible") {
      return;
    }
    this.wakeLock = "asking";
    this.env.navigator.wakeLock.request("screen").then(
      (lock) => {
        if (this.state !== "recording") {
          lock.release();
          this.wakeLock = null;
          return;
        }
        this.wakeLock = lock;
        this.wakeLockState = "on";
        lock.addEventListener("release", () => {
          if (this.wakeLock === lock) this.wakeLock = null;
          this.wakeLockState = "off";
          this.changed();
        });
        this.changed();
      },
      () => {
        this.wakeLock = null;
        this.wakeLockState = "refused"; // battery saver, or a browser that says no
        this.changed();
      }
    );
  }

  releaseWakeLock() {
    const lock = this.wakeLock;
    this.wakeLock = null;
    if (lock && lock !== "asking") lock.release().catch(() => null);
    if (this.wakeLockState === "on") this.wakeLockState = "off";
  }

  // --- what the page shows ----------------------------------------------------------------

  setState(state, reason) {
    this.state = state;
    this.reason = reason || "";
    this.changed();
  }

  snapshot() {
    const counts = this.batcher ? this.batcher.counts() : { kept: 0, dropped: 0, batches: 0, open: 0 };
    let batches = 0;
    let points = counts.open;
    const url = this.patrol ? trackUrl(this.patrol) : null;
    const held = {};
    const entries = this.outboxState ? this.outboxState.entries : [];
    entries.forEach((entry) => {
      if (entry.kind !== "record" || entry.url !== url) return;
      held[entry.uuid] = true;
      batches += 1;
      points += entry.body && entry.body.points ? entry.body.points.length : 0;
    });
    (this.batcher ? this.batcher.pending : []).forEach((batch) => {
      if (batch.patrol !== this.patrol || held[batch.uuid]) return;
      batches += 1;
      points += batch.count;
    });
    return {
      state: this.state,
      reason: this.reason,
      fix: Boolean(this.fix),
      patrol: this.patrol,
      kept: counts.kept,
      dropped: counts.dropped,
      batchesWaiting: batches,
      pointsWaiting: points,
      wakeLock: this.wakeLockState,
    };
  }

  changed() {
    if (this.env.onChange) this.env.onChange(this.snapshot());
  }
}
