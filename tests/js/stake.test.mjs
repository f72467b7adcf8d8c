// Unit tests of the phone's stake rules (static/js/lib/stake.js) and distances (lib/geo.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { STAKE, chainageOf, isStake, normaliseStake } from "../../static/js/lib/stake.js";
import { distanceM, hasPoint } from "../../static/js/lib/geo.js";

test("a typed stake is read as the server reads it", () => {
  assert.equal(normaliseStake(" k3 456 +780 "), "K3456+780");
  assert.equal(normaliseStake("Ｋ３４５６＋７８０"), "K3456+780"); // full-width, from a Chinese keyboard
  assert.equal(normaliseStake(null), "");
  assert.equal(normaliseStake(undefined), "");
  assert.equal(normaliseStake(12), "12");
});

test("what counts as a stake", () => {
  for (const good of ["K3456+780", "3456+780", "K0+000", "K12+345.5"]) assert.ok(isStake(good), good);
  for (const bad of ["", "K3456+78", "K3456", "K3456+7800", "KK1+000", "k1+000", null]) {
    assert.ok(!isStake(bad), String(bad));
  }
  assert.ok(STAKE.test("K1+000"));
});

test("the chainage a stake names, in metres", () => {
  assert.equal(chainageOf("K3502+400"), 3502400);
  assert.equal(chainageOf(" k3502 + 400.5"), 3502400.5);
  assert.equal(chainageOf("0+075"), 75);
  assert.ok(Number.isNaN(chainageOf("K3502")));
  assert.ok(Number.isNaN(chainageOf("")));
});

test("distances on the ground, and which places have a point", () => {
  assert.ok(Math.abs(distanceM({ lon: 87, lat: 43 }, { lon: 87, lat: 44 }) - 111195) < 50);
  // A degree of longitude shrinks with the cosine of the latitude.
  const east = distanceM({ lon: 87, lat: 60 }, { lon: 88, lat: 60 });
  assert.ok(Math.abs(east - 111195 / 2) < 100, String(east));
  assert.equal(distanceM({ lon: 87.6, lat: 43.8 }, { lon: 87.6, lat: 43.8 }), 0);
  assert.ok(hasPoint({ lon: 87.6, lat: 43.8 }));
  assert.ok(!hasPoint({ lon: "87.6", lat: 43.8 }));
  assert.ok(!hasPoint({ lon: NaN, lat: 43.8 }));
  assert.ok(!hasPoint(null));
});
