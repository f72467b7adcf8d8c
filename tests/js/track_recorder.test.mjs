// Unit tests of the track recorder (static/js/track/recorder.js) with a fake browser and a fake
// Outbox facade: batches go into the outbox in order with their dependencies, the states and
// their reasons, and a reload that neither loses nor doubles a batch.
import { test } from "node:test";
import assert from "node:assert/strict";

import { NO_FIX_MS, Recorder, trackUrl } from "../../static/js/track/recorder.js";

const PATROL = "aaaaaaaa-0000-4000-8000-000000000001";
const T0 = Date.UTC(2026, 4, 1, 1, 30, 0);

function fakeBrowser(storage = {}) {
  const clock = { now: T0 };
  const listeners = {};
  const on = (target) => ({
    addEventListener: (name, fn) => ((listeners[target + name] ||= []).push(fn)),
    removeEventListener: (name, fn) => {
      listeners[target + name] = (listeners[target + name] || []).filter((f) => f !== fn);
    },
  });
  const fire = (target, name) => (listeners[target + name] || []).forEach((fn) => fn());
  const watches = {};
  let nextWatch = 1;
  const geolocation = {
    options: null,
    watchPosition(success, error, options) {
      geolocation.options = options;
      watches[nextWatch] = { success, error };
      return nextWatch++;
    },
    clearWatch(id) {
      delete watches[id];
    },
  };
  const document = { visibilityState: "visible", ...on("doc") };
  const window = { isSecureContext: true, setInterval: () => 1, clearInterval: () => {}, ...on("win") };
  const entries = [];
  let uuids = 0;
  const outbox = {
    entries,
    sent: {},
    uuid: () => `b${++uuids}`,
    isoLocal: (ms) => new Date(ms).toISOString(),
    localGet: (key) => (key in storage ? JSON.parse(storage[key]) : null),
    localSet: (key, value) => {
      storage[key] = JSON.stringify(value);
    },
    add: async (items) => {
      items.forEach((item) => entries.push({ kind: "record", ...JSON.parse(JSON.stringify(item)) }));
      return items.map(() => entries.length);
    },
    state: async () => ({ entries: entries.slice() }),
    sentAt: (uuid) => outbox.sent[uuid] || null,
    flush: () => Promise.resolve(true),
  };
  const snapshots = [];
  const env = {
    window,
    document,
    navigator: { geolocation },
    outbox,
    label: (n) => `Track, ${n} points`,
    onChange: (s) => snapshots.push(s),
    now: () => clock.now,
  };
  return {
    env,
    clock,
    storage,
    outbox,
    geolocation,
    document,
    watching: () => Object.keys(watches).length,
    // A fix `second` seconds after T0, `north` metres north of the start.
    fix(second, north = second * 20, accuracy = 8) {
      clock.now = T0 + second * 1000;
      Object.values(watches).forEach((w) =>
        w.success({
          timestamp: clock.now,
          coords: { longitude: 87.62, latitude: 43.95 + north / 111195, accuracy, speed: 20, heading: 5 },
        })
      );
    },
    fail(code) {
      Object.values(watches).forEach((w) => w.error({ code }));
    },
    hide() {
      document.visibilityState = "hidden";
      fire("doc", "visibilitychange");
    },
    show() {
      document.visibilityState = "visible";
      fire("doc", "visibilitychange");
    },
    pagehide: () => fire("win", "pagehide"),
    last: () => snapshots[snapshots.length - 1],
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("points go into the outbox in batches that wait for the patrol and for each other", async () => {
  const b = fakeBrowser();
  const recorder = new Recorder(b.env);
  await recorder.start({ uuid: PATROL.toUpperCase() });
  assert.deepEqual(b.geolocation.options, { enableHighAccuracy: true, maximumAge: 0 });
  assert.equal(recorder.state, "recording");
  for (let s = 0; s < 75; s++) b.fix(s); // 1 Hz: a batch every 30 s (50 points need more)
  await recorder.syncPending();
  assert.equal(b.outbox.entries.length, 2);
  const [first, second] = b.outbox.entries;
  assert.equal(first.url, trackUrl(PATROL));
  assert.equal(first.method, "POST");
  assert.equal(first.uuid, first.body.batch_uuid);
  assert.deepEqual(first.deps, [PATROL]);
  assert.equal(first.body.points.length, 31);
  assert.equal(first.label, "Track, 31 points");
  assert.deepEqual(second.deps, [PATROL, first.uuid]);
  b.pagehide(); // the page closes: the open batch is cut for the outbox
  await recorder.syncPending();
  const third = b.outbox.entries[2];
  assert.deepEqual(third.deps, [PATROL, second.uuid]);
  assert.equal(third.body.points.length, 13);
  assert.ok(third.body.points[0].t > second.body.points[30].t);
  recorder.outboxChanged(await b.outbox.state());
  assert.equal(b.last().batchesWaiting, 3);
  assert.equal(b.last().pointsWaiting, 75);
  assert.equal(b.last().kept, 75);
});

test("bad points are dropped and counted with the next batch", async () => {
  const b = fakeBrowser();
  const recorder = new Recorder(b.env);
  await recorder.start({ uuid: PATROL });
  b.fix(0);
  b.fix(1, 20, 80); // poor accuracy
  b.fix(2, 5000); // a jump
  b.fix(3);
  assert.equal(recorder.snapshot().dropped, 2);
  const last = await recorder.finish(PATROL);
  const entry = b.outbox.entries[0];
  assert.equal(last, entry.uuid);
  assert.equal(entry.body.dropped, 2);
  assert.equal(entry.body.points.length, 2);
  assert.equal(recorder.state, "ended");
  assert.equal(b.watching(), 0);
});

test("hidden page: paused, nothing watched, the open batch sent; visible again: recording", async () => {
  const b = fakeBrowser();
  const recorder = new Recorder(b.env);
  await recorder.start({ uuid: PATROL });
  b.fix(0);
  b.hide();
  assert.deepEqual([recorder.state, recorder.reason], ["paused", "hidden"]);
  assert.equal(b.watching(), 0);
  await recorder.syncPending();
  assert.equal(b.outbox.entries.length, 1);
  b.show();
  assert.equal(recorder.state, "recording");
  assert.equal(b.watching(), 1);
});

test("refused permission and a long time without a fix pause with their reason", async () => {
  const b = fakeBrowser();
  const recorder = new Recorder(b.env);
  await recorder.start({ uuid: PATROL });
  b.fix(0);
  b.clock.now += NO_FIX_MS;
  recorder.tick();
  assert.deepEqual([recorder.state, recorder.reason], ["paused", "no_fix"]);
  assert.equal(b.watching(), 1); // still watching: the next fix resumes
  b.fix(40);
  assert.equal(recorder.state, "recording");
  b.fail(1);
  assert.deepEqual([recorder.state, recorder.reason], ["paused", "denied"]);
  assert.equal(b.watching(), 0);
});

test("the crew's pause lasts over a reload; resume records again", async () => {
  const storage = {};
  const b = fakeBrowser(storage);
  const recorder = new Recorder(b.env);
  await recorder.start({ uuid: PATROL });
  recorder.pause();
  assert.deepEqual([recorder.state, recorder.reason], ["paused", "user"]);
  const again = new Recorder(fakeBrowser(storage).env);
  await again.start({ uuid: PATROL });
  assert.deepEqual([again.state, again.reason], ["paused", "user"]);
  again.resume();
  assert.equal(again.state, "recording");
});

test("without geolocation (plain http) the track says so", async () => {
  const b = fakeBrowser();
  b.env.window.isSecureContext = false;
  const recorder = new Recorder(b.env);
  await recorder.start({ uuid: PATROL });
  assert.deepEqual([recorder.state, recorder.reason], ["paused", "unavailable"]);
});

test("a reload adds a batch the outbox missed, once, and skips one it has or has sent", async () => {
  const storage = {};
  const b = fakeBrowser(storage);
  const recorder = new Recorder(b.env);
  await recorder.start({ uuid: PATROL });
  for (let s = 0; s < 3; s++) b.fix(s);
  recorder.batcher.cut();
  for (let s = 3; s < 6; s++) b.fix(s);
  recorder.batcher.cut();
  for (let s = 6; s < 9; s++) b.fix(s);
  recorder.batcher.cut(); // three batches cut, none yet added (the page closed at once)
  const [one, two, three] = recorder.batcher.pending;
  // The outbox got the first and had sent the second before the page died.
  await b.outbox.add([{ url: trackUrl(PATROL), uuid: one.uuid, body: one.body, deps: one.deps }]);
  b.outbox.sent[two.uuid] = Date.now();
  const page = fakeBrowser(storage);
  page.outbox.entries.push(...b.outbox.entries);
  page.outbox.sent = b.outbox.sent;
  const again = new Recorder(page.env);
  await again.start({ uuid: PATROL });
  await again.syncPending();
  assert.deepEqual(page.outbox.entries.map((e) => e.uuid), [one.uuid, three.uuid]);
  assert.deepEqual(page.outbox.entries[1].deps, [PATROL, two.uuid]);
  assert.deepEqual(again.batcher.pending, []);
  // The filter goes on from the last kept point: the same second again is not kept twice.
  page.fix(8);
  assert.equal(again.snapshot().kept, 9);
  page.fix(9);
  assert.equal(again.snapshot().kept, 10);
});

test("finish without a track gives no batch to wait for", async () => {
  const b = fakeBrowser();
  const recorder = new Recorder(b.env);
  assert.equal(await recorder.finish(PATROL), null);
  await recorder.start({ uuid: PATROL });
  assert.equal(await recorder.finish(PATROL), null);
  assert.deepEqual(b.outbox.entries, []);
  await settle();
});
