// Unit tests of the track filter (static/js/track/filter.js): which GPS points the phone keeps.
// Run by `node --test tests/js/` (tests/unit/test_js.py runs it under pytest, so `make test` does).
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  MAX_ACCURACY_M,
  REANCHOR_AFTER,
  TrackFilter,
  distanceM,
  impliedKmh,
  judge,
  pointFromPosition,
} from "../../static/js/track/filter.js";

const T0 = Date.UTC(2026, 4, 1, 1, 30, 0);
// About 1 m of latitude in degrees.
const M = 1 / 111195;

function at(seconds, northM, extra = {}) {
  return { t: "", ms: T0 + seconds * 1000, lon: 87.62, lat: 43.95 + northM * M, accuracy: 8, ...extra };
}

test("haversine distance: a degree of latitude, and nothing between a point and itself", () => {
  const d = distanceM({ lon: 87, lat: 43 }, { lon: 87, lat: 44 });
  assert.ok(Math.abs(d - 111195) < 5, String(d));
  assert.equal(distanceM(at(0, 0), at(0, 0)), 0);
  // Along a parallel at 43.95°N a degree of longitude is cos(lat) shorter.
  const east = distanceM({ lon: 87, lat: 43.95 }, { lon: 88, lat: 43.95 });
  assert.ok(Math.abs(east - 111195 * Math.cos((43.95 * Math.PI) / 180)) < 200, String(east));
});

test("implied speed in km/h", () => {
  assert.ok(Math.abs(impliedKmh(at(0, 0), at(1, 20)) - 72) < 0.1);
  assert.equal(impliedKmh(at(0, 0), at(0, 0)), 0);
  assert.equal(impliedKmh(at(0, 0), at(0, 10)), Infinity);
});

test("the first point is kept when accurate enough, whatever its place", () => {
  assert.equal(judge(at(0, 0), null), "");
  assert.equal(judge(at(0, 0, { accuracy: MAX_ACCURACY_M }), null), "");
  assert.equal(judge(at(0, 0, { accuracy: 50.1 }), null), "accuracy");
  assert.equal(judge(at(0, 0, { accuracy: null }), null), "accuracy");
});

test("points without a usable position or time are invalid", () => {
  assert.equal(judge(at(0, 0, { lon: NaN }), null), "invalid");
  assert.equal(judge(at(0, 0, { lat: 91 }), null), "invalid");
  assert.equal(judge({ ...at(0, 0), ms: undefined }, null), "invalid");
  assert.equal(judge(null, null), "invalid");
});

test("a point not later than the last kept second is a repeat", () => {
  const last = at(10, 0);
  assert.equal(judge(at(10, 0), last), "repeat");
  assert.equal(judge({ ...at(10, 5), ms: last.ms + 400 }, last), "repeat"); // same second
  assert.equal(judge(at(9, 0), last), "repeat");
  assert.equal(judge(at(11, 5), last), "");
});

test("a point implying more than 200 km/h from the last kept point is too fast", () => {
  const last = at(0, 0);
  assert.equal(judge(at(1, 55), last), ""); // 198 km/h
  assert.equal(judge(at(1, 56), last), "speed"); // 201.6 km/h
  assert.equal(judge(at(10, 550), last), ""); // after a gap the speed is over the gap
  // The limits can be given (the server's table says the same numbers).
  assert.equal(judge(at(1, 30), last, { maxSpeedKmh: 100 }), "speed");
  assert.equal(judge(at(1, 10, { accuracy: 20 }), last, { maxAccuracyM: 10 }), "accuracy");
});

test("the filter keeps a drive at 20 m/s and drops the bad points in it", () => {
  const filter = new TrackFilter();
  const kept = [];
  const dropped = {};
  for (let s = 0; s < 60; s++) {
    let point = at(s, s * 20);
    if (s === 10) point = at(s, s * 20, { accuracy: 120 }); // a poor fix
    if (s === 20) point = at(s, s * 20 + 3000); // a jump of 3 km
    const verdict = filter.offer(point);
    if (verdict.keep) kept.push(s);
    else dropped[verdict.reason] = (dropped[verdict.reason] || 0) + 1;
    if (s === 30) assert.equal(filter.offer(at(s, s * 20)).reason, "repeat"); // the same fix again
  }
  assert.equal(kept.length, 58);
  assert.ok(!kept.includes(10) && !kept.includes(20));
  assert.deepEqual(dropped, { accuracy: 1, speed: 1 });
  assert.equal(filter.last.ms, at(59, 0).ms);
});

test("the filter goes on from a given last point (after a reload)", () => {
  const filter = new TrackFilter({ last: at(100, 2000) });
  assert.equal(filter.offer(at(100, 2000)).reason, "repeat");
  assert.equal(filter.offer(at(101, 4000)).reason, "speed");
  assert.deepEqual(filter.offer(at(102, 2040)), { keep: true, reason: "" });
});

test("a wrong anchor is left behind once enough points agree with each other", () => {
  // The anchor is 5 km off (a fix that claimed 10 m); the true drive follows.
  const filter = new TrackFilter({ last: at(0, 5000, { accuracy: 10 }) });
  const verdicts = [];
  for (let s = 1; s <= REANCHOR_AFTER + 2; s++) verdicts.push(filter.offer(at(s, s * 20)).reason);
  assert.deepEqual(verdicts.slice(0, REANCHOR_AFTER - 1), Array(REANCHOR_AFTER - 1).fill("speed"));
  assert.equal(verdicts[REANCHOR_AFTER - 1], "reanchored");
  assert.deepEqual(verdicts.slice(REANCHOR_AFTER), ["", ""]);
});

test("points that disagree with each other never move the anchor", () => {
  const filter = new TrackFilter({ last: at(0, 0) });
  for (let s = 1; s <= 12; s++) {
    // Jumps 5 km away, each far from the one before it.
    const verdict = filter.offer(at(s, (s % 2 ? 1 : -1) * 5000));
    assert.equal(verdict.reason, "speed", `second ${s}`);
  }
  assert.equal(filter.last.ms, at(0, 0).ms);
});

test("a browser position becomes a point: raw position, rounded accuracy, nulls for NaN", () => {
  const position = {
    timestamp: T0,
    coords: { longitude: 87.6123456789, latitude: 43.9512345678, accuracy: 7.456, speed: 19.987, heading: NaN },
  };
  const point = pointFromPosition(position, (ms) => `iso:${ms}`);
  assert.deepEqual(point, {
    t: `iso:${T0}`,
    ms: T0,
    lon: 87.6123456789,
    lat: 43.9512345678,
    accuracy: 7.5,
    speed: 19.99,
    heading: null,
  });
  const still = pointFromPosition({ timestamp: T0, coords: { ...position.coords, speed: null, heading: 90 } }, String);
  assert.equal(still.speed, null);
  assert.equal(still.heading, 90);
});
