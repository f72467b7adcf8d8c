// Unit tests of static/js/tile_layer.js: the dots the map draws from the vector tiles.
import { test } from "node:test";
import assert from "node:assert/strict";
import { colour, paintRules, radius, tileUrl } from "../../static/js/tile_layer.js";

test("a dot grows with the records it stands for, up to 9 px", () => {
  assert.equal(radius(undefined), 3);
  assert.equal(radius(1), 3);
  assert.ok(radius(2) > radius(1) && radius(100) > radius(10));
  assert.equal(radius(1e6), 9);
});

test("dots take the colours of the GeoJSON layers, an overdue hazard red", () => {
  assert.equal(colour("findings", { status: "hazard_raised" }), "#c0392b");
  assert.equal(colour("findings", {}), "#ff8c1a");
  assert.equal(colour("hazards", { state: "reported", overdue: true }), "#d7191c");
  assert.equal(colour("hazards", { state: "closed", overdue: false }), "#2e9e44");
  assert.equal(colour("repairs", { kind: "pothole" }), "#0fb5c9");
});

test("the layer's filters go into the tile URL's query, its {z}/{y}/{x} stay", () => {
  const template = "/ogc/collections/findings/tiles/WebMercatorQuad/{z}/{y}/{x}";
  assert.equal(tileUrl(template, new URLSearchParams()), template);
  assert.equal(tileUrl(template, new URLSearchParams({ kind: "pothole", road: "G30" })),
    template + "?kind=pothole&road=G30");
});

test("one circle rule a layer, reading the dot's count and status", () => {
  class Circle { constructor(options) { this.options = options; } }
  const [rule] = paintRules("hazards", Circle);
  assert.equal(rule.dataLayer, "hazards");
  const feature = { props: { count: 8, state: "rectifying", overdue: false } };
  assert.equal(rule.symbolizer.options.fill(10, feature), "#1f6fd1");
  assert.equal(rule.symbolizer.options.radius(10, feature), radius(8));
});
