// Unit tests of static/js/lib/location.js: the raw fix as kept (rule 8) and the stake the server
// derives, on the road and direction the crew chose.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fixOf, locate, matchCandidates, position } from "../../static/js/lib/location.js";

const G30_UP = { road: "G30", direction: "up", stake: "K3500+120", distance_m: 4 };
const G30_BOTH = { road: "G30", direction: "both", stake: "K3500+130", distance_m: 6 };
const S201 = { road: "S201", direction: "up", stake: "K12+000", distance_m: 2 };

test("a fix keeps WGS84 lon/lat as given, accuracy to 0.1 m and a local time", () => {
  const fix = fixOf({ coords: { longitude: 87.6168, latitude: 43.8256, accuracy: 8.26 }, timestamp: Date.UTC(2026, 4, 1) });
  assert.equal(fix.lon, 87.6168);
  assert.equal(fix.lat, 43.8256);
  assert.equal(fix.accuracy, 8.3);
  assert.match(fix.at, /^2026-05-01T\d\d:00:00[+-]\d\d:\d\d$/);
});

test("candidates: any without a road; that road's, in that direction or both ways, with one", () => {
  const all = [S201, G30_UP, G30_BOTH];
  assert.deepEqual(matchCandidates(all, "", ""), all);
  assert.deepEqual(matchCandidates(all, "G30", "up"), [G30_UP, G30_BOTH]);
  assert.deepEqual(matchCandidates(all, "G30", "down"), [G30_BOTH]);
  assert.deepEqual(matchCandidates(all, "G30", "both"), [G30_UP, G30_BOTH]);
  assert.deepEqual(matchCandidates(null, "G30", "up"), []);
});

test("locate asks the server and takes the first matching candidate", async () => {
  const asked = [];
  const get = async (url) => {
    asked.push(url);
    return { ok: true, status: 200, body: { candidates: [S201, G30_BOTH] } };
  };
  const answer = await locate({ lon: 87.6, lat: 43.8 }, "G30", "up", get);
  assert.deepEqual(answer, { candidate: G30_BOTH, status: 200, message: "" });
  assert.equal(asked[0], "/api/v1/locate?lon=87.6&lat=43.8&road=G30");
  assert.equal((await locate({ lon: 1, lat: 2 }, "", "", get)).candidate, S201);
});

test("locate: the server's refusal comes back with its message; no answer rejects", async () => {
  const refused = async () => ({ ok: false, status: 404, body: { error: { message: "不在任何路线上" } } });
  assert.deepEqual(await locate({ lon: 1, lat: 2 }, "G30", "", refused),
    { candidate: null, status: 404, message: "不在任何路线上" });
  const portal = async () => ({ ok: true, status: 200, body: null });
  await assert.rejects(locate({ lon: 1, lat: 2 }, "G30", "", portal));
});

test("no geolocation (outside a secure context): position rejects with code 0", async () => {
  await assert.rejects(position(0), (error) => error.code === 0);
});
