// Unit tests of the track batcher (static/js/track/batcher.js): batches of 50 points or 30 s,
// each with its UUID and its dependencies, every kept point in storage at once.
import { test } from "node:test";
import assert from "node:assert/strict";

import { BATCH_MS, BATCH_POINTS, Batcher, STORAGE_KEY, wirePoint } from "../../static/js/track/batcher.js";

const PATROL = "AAAAAAAA-0000-4000-8000-000000000001";
const patrol = PATROL.toLowerCase();
const T0 = Date.UTC(2026, 4, 1, 1, 30, 0);

/* localStorage as the facade gives it: JSON in, JSON out (so nothing shares objects). */
function memoryStore(initial = {}) {
  const data = { ...initial };
  return {
    data,
    get: (key) => (key in data ? JSON.parse(data[key]) : null),
    set: (key, value) => {
      if (value === null) delete data[key];
      else data[key] = JSON.stringify(value);
    },
  };
}

function world(store = memoryStore()) {
  let clock = T0;
  let n = 0;
  const make = (patrolUuid = PATROL) =>
    new Batcher({
      patrolUuid,
      store,
      newUuid: () => `b${++n}`,
      now: () => clock,
    });
  return {
    store,
    make,
    advance: (ms) => {
      clock += ms;
    },
  };
}

function point(second) {
  const ms = T0 + second * 1000;
  return { t: `t${second}`, ms, lon: 87.62, lat: 43.95 + second * 0.0002, accuracy: 8, speed: 20, heading: 5 };
}

test("a batch is cut at 50 points, with its UUID, the points as sent, and its dependencies", () => {
  const w = world();
  const batcher = w.make();
  let batch = null;
  for (let s = 0; s < BATCH_POINTS; s++) {
    assert.equal(batch, null, `cut early at ${s}`);
    batch = batcher.add(point(s));
  }
  assert.equal(batch.uuid, "b1");
  assert.equal(batch.patrol, patrol);
  assert.deepEqual(batch.deps, [patrol]); // the first batch waits for the patrol only
  assert.equal(batch.count, BATCH_POINTS);
  assert.equal(batch.body.batch_uuid, "b1");
  assert.equal(batch.body.dropped, 0);
  assert.deepEqual(batch.body.points[0], { t: "t0", lon: 87.62, lat: 43.95, accuracy: 8, speed: 20, heading: 5 });
  assert.equal(batcher.openCount, 0);
  assert.deepEqual(batcher.pending.map((b) => b.uuid), ["b1"]);
});

test("a batch is cut 30 s after its first point, and the next one waits for it", () => {
  const w = world();
  const batcher = w.make();
  batcher.add(point(0));
  w.advance(BATCH_MS - 1000);
  assert.equal(batcher.due(), false);
  assert.equal(batcher.add(point(29)), null);
  w.advance(1000);
  assert.equal(batcher.due(), true);
  const first = batcher.add(point(30));
  assert.equal(first.count, 3);
  batcher.add(point(31));
  w.advance(BATCH_MS);
  assert.equal(batcher.due(), true);
  const second = batcher.cut();
  assert.deepEqual(second.deps, [patrol, first.uuid]);
  assert.deepEqual(second.body.points.map((p) => p.t), ["t31"]);
  assert.equal(batcher.lastBatch(), second.uuid);
});

test("an empty open batch is never cut, and dropped points go with the next batch", () => {
  const w = world();
  const batcher = w.make();
  assert.equal(batcher.cut(), null);
  batcher.drop();
  batcher.drop(2);
  assert.equal(batcher.cut(), null); // nothing kept yet: the count waits
  batcher.add(point(0));
  const batch = batcher.cut();
  assert.equal(batch.body.dropped, 3);
  batcher.add(point(1));
  assert.equal(batcher.cut().body.dropped, 0);
  assert.deepEqual(batcher.counts(), { kept: 2, dropped: 3, batches: 2, open: 0 });
});

test("every kept point is in storage at once: a reload goes on with the open batch", () => {
  const w = world();
  const first = w.make();
  first.add(point(0));
  first.add(point(1));
  first.drop();
  // The page reloads: a new batcher from the same storage.
  const again = w.make();
  assert.equal(again.openCount, 2);
  assert.deepEqual(again.last, point(1));
  again.add(point(2));
  const batch = again.cut();
  assert.equal(batch.uuid, "b1"); // the open batch's UUID survived
  assert.deepEqual(batch.body.points.map((p) => p.t), ["t0", "t1", "t2"]);
  assert.equal(batch.body.dropped, 1);
});

test("a cut batch stays pending until the outbox confirms it, over a reload too", () => {
  const w = world();
  const batcher = w.make();
  batcher.add(point(0));
  const one = batcher.cut();
  batcher.add(point(1));
  const two = batcher.cut();
  // The page closes before the outbox has confirmed the second one.
  batcher.confirm(one.uuid);
  const again = w.make();
  assert.deepEqual(again.pending.map((b) => b.uuid), [two.uuid]);
  assert.deepEqual(again.pending[0].deps, [patrol, one.uuid]);
  again.confirm(two.uuid);
  again.confirm("unknown");
  assert.deepEqual(w.make().pending, []);
  // The chain goes on after the reload.
  again.add(point(2));
  assert.deepEqual(again.cut().deps, [patrol, two.uuid]);
});

test("another patrol starts afresh; the old one's pending and open points still go out", () => {
  const w = world();
  const old = w.make("old-patrol");
  old.add(point(0));
  const cut = old.cut();
  old.add(point(1)); // still open when the new patrol starts
  const fresh = w.make(PATROL);
  assert.equal(fresh.patrol, patrol);
  assert.equal(fresh.openCount, 0);
  assert.equal(fresh.last, null);
  assert.equal(fresh.lastBatch(), null);
  const pending = fresh.pending;
  assert.deepEqual(pending.map((b) => [b.uuid, b.patrol]), [
    [cut.uuid, "old-patrol"],
    ["b2", "old-patrol"],
  ]);
  assert.deepEqual(pending[1].deps, ["old-patrol", cut.uuid]);
  fresh.add(point(5));
  assert.deepEqual(fresh.cut().deps, [patrol]);
});

test("the crew's pause and the patrol's end are kept over a reload", () => {
  const w = world();
  const batcher = w.make();
  batcher.setPaused(true);
  assert.equal(w.make().paused, true);
  batcher.setPaused(false);
  batcher.add(point(0));
  const last = batcher.end();
  assert.equal(last.count, 1);
  const again = w.make();
  assert.equal(again.ended, true);
  assert.equal(again.lastBatch(), last.uuid);
});

test("storage holds one JSON state under its key", () => {
  const w = world();
  w.make().add(point(0));
  const stored = JSON.parse(w.store.data[STORAGE_KEY]);
  assert.equal(stored.patrol, patrol);
  assert.equal(stored.open.points.length, 1);
  assert.deepEqual(Object.keys(w.store.data), [STORAGE_KEY]);
});

test("the wire point has no epoch ms and nulls for missing speed and heading", () => {
  assert.deepEqual(wirePoint({ t: "x", ms: 1, lon: 1, lat: 2, accuracy: 3 }), {
    t: "x",
    lon: 1,
    lat: 2,
    accuracy: 3,
    speed: null,
    heading: null,
  });
});
