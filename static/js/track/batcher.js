/* The points of a patrol track cut into batches for the outbox (no window, no DOM: the caller
 * gives the storage, the clock and the UUID maker, so node tests run it as it is).
 *
 * A batch is cut every BATCH_MS or BATCH_POINTS points, and whenever the caller says so (the
 * page is hidden or closed, the crew pauses or ends the patrol). Each batch has its own UUID
 * and depends on the patrol's UUID and on the batch before it: the outbox sends it only after
 * both, so batches reach the server in order (the server refuses a batch whose first point is
 * not after the patrol's last stored point).
 *
 * What survives what. Every kept point is written at once, with the open batch, to storage
 * (localStorage, which is synchronous: the write is done when `add` returns). A cut batch
 * stays in `pending` until the caller confirms that the outbox (IndexedDB, asynchronous) has
 * it; a page that closes between the two finds it in `pending` on its next load and adds it
 * then, unless the outbox already holds or has sent that UUID. So a reload or a closed tab
 * loses no kept point. What can be lost: points the browser never delivered (the page closed,
 * hidden or asleep: there is no watch then), and — when the browser itself crashes or the
 * system kills it — the last seconds of localStorage writes the browser had not yet put on
 * disk (Chromium writes them out within about a second). ES2017, like outbox.js.
 */

export const BATCH_POINTS = 50;
export const BATCH_MS = 30000;
export const STORAGE_KEY = "inspection.track";

function fresh(patrolUuid) {
  return {
    v: 1,
    patrol: patrolUuid,
    prev: null, // the UUID of the last batch cut for this patrol
    open: null, // {uuid, points: [...], opened_ms}
    dropped: 0, // dropped points not yet reported in a batch
    pending: [], // cut batches the outbox has not yet confirmed holding (any patrol)
    kept: 0, // points kept on this phone for this patrol
    dropped_total: 0,
    batches: 0, // batches cut for this patrol
    last: null, // the last kept point: the filter goes on from it after a reload
    paused: false, // paused by the crew (kept over a reload)
    ended: false,
  };
}

/* The point as the server takes it (no epoch ms). */
export function wirePoint(point) {
  return {
    t: point.t,
    lon: point.lon,
    lat: point.lat,
    accuracy: point.accuracy,
    speed: point.speed === undefined ? null : point.speed,
    heading: point.heading === undefined ? null : point.heading,
  };
}

export class Batcher {
  /* store: {get(key) → value|null, set(key, value)} (JSON values); newUuid() → string;
   * now() → epoch ms. The state kept under `key` for another patrol is replaced, but its
   * pending batches are kept: they still have to reach the outbox. */
  constructor({ patrolUuid, store, newUuid, now, key, maxPoints, maxMs }) {
    this.store = store;
    this.newUuid = newUuid;
    this.now = now || Date.now;
    this.key = key || STORAGE_KEY;
    this.maxPoints = maxPoints || BATCH_POINTS;
    this.maxMs = maxMs || BATCH_MS;
    const patrol = String(patrolUuid).toLowerCase();
    const stored = store.get(this.key);
    if (stored && stored.v === 1 && stored.patrol === patrol) {
      this.state = stored;
    } else {
      this.state = fresh(patrol);
      if (stored && Array.isArray(stored.pending)) this.state.pending = stored.pending;
      // A batch still open for another patrol is cut as it is, for the outbox.
      if (stored && stored.v === 1 && stored.open && stored.open.points.length) {
        this.state.pending.push(this.batchOf(stored, stored.open));
      }
      this.save();
    }
  }

  get patrol() {
    return this.state.patrol;
  }

  get pending() {
    return this.state.pending.slice();
  }

  get openCount() {
    return this.state.open ? this.state.open.points.length : 0;
  }

  /* The last kept point (for the filter after a reload), or null. */
  get last() {
    return this.state.last;
  }

  counts() {
    return {
      kept: this.state.kept,
      dropped: this.state.dropped_total,
      batches: this.state.batches,
      open: this.openCount,
    };
  }

  save() {
    this.store.set(this.key, this.state);
  }

  /* Keep a point; return the batch cut because of it (full, or the open one is old), or null. */
  add(point) {
    const state = this.state;
    if (!state.open) state.open = { uuid: this.newUuid(), points: [], opened_ms: this.now() };
    state.open.points.push(point);
    state.kept += 1;
    state.last = point;
    if (state.open.points.length >= this.maxPoints || this.due()) return this.cut();
    this.save();
    return null;
  }

  /* Count points the filter dropped; they are reported with the next batch. */
  drop(count) {
    const n = count === undefined ? 1 : count;
    this.state.dropped += n;
    this.state.dropped_total += n;
    this.save();
  }

  /* Whether the open batch is old enough to be cut. */
  due() {
    const open = this.state.open;
    return Boolean(open && open.points.length && this.now() - open.opened_ms >= this.maxMs);
  }

  /* Cut the open batch: it goes to `pending` (saved) and is returned; null when it is empty. */
  cut() {
    const state = this.state;
    const open = state.open;
    if (!open || !open.points.length) {
      this.save();
      return null;
    }
    const batch = this.batchOf(state, open);
    state.dropped = 0;
    state.prev = batch.uuid;
    state.batches += 1;
    state.open = null;
    state.pending.push(batch);
    this.save();
    return batch;
  }

  batchOf(state, open) {
    const deps = [state.patrol];
    if (state.prev) deps.push(state.prev);
    const points = open.points.map(wirePoint);
    return {
      uuid: open.uuid,
      patrol: state.patrol,
      deps,
      count: points.length,
      body: { batch_uuid: open.uuid, points, dropped: state.dropped },
    };
  }

  /* The outbox holds (or has sent) this batch: it leaves `pending`. */
  confirm(uuid) {
    const before = this.state.pending.length;
    this.state.pending = this.state.pending.filter((b) => b.uuid !== uuid);
    if (this.state.pending.length !== before) this.save();
  }

  /* The UUID of the batch the patrol's end must wait for (the last cut), or null. */
  lastBatch() {
    return this.state.prev;
  }

  setPaused(paused) {
    this.state.paused = Boolean(paused);
    this.save();
  }

  get paused() {
    return this.state.paused;
  }

  /* The patrol ended: cut what is open and record nothing more for it. */
  end() {
    const batch = this.cut();
    this.state.ended = true;
    this.save();
    return batch;
  }

  get ended() {
    return this.state.ended;
  }
}
