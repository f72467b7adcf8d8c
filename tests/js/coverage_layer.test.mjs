// Unit tests of static/js/coverage_layer.js: the colour bands of the patrol coverage layer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { band, rows, style } from "../../static/js/coverage_layer.js";

test("days since last patrolled fall in the bands of the legend", () => {
  assert.deepEqual([0, 1, 2, 7, 8, 30, 31, 400].map((d) => band(d).name),
    ["fresh", "fresh", "recent", "recent", "stale", "stale", "old", "old"]);
  assert.equal(band(null).name, "old");
  assert.equal(band(undefined).name, "old");
});

test("a stretch not at its frequency is dashed; the popup says never for no patrol", () => {
  assert.equal(style({ days_since: 0, at_frequency: true }).dashArray, undefined);
  assert.equal(style({ days_since: 3, at_frequency: false }).dashArray, "8 6");
  const words = { coverage: { never: "never", yes: "yes", no: "no", days_since: "Days since" } };
  const shown = rows({ passes: 0, days: 0, last_patrolled: null, days_since: null, at_frequency: false,
    period_from: "2026-05-01", period_to: "2026-05-30" }, words);
  assert.deepEqual(shown.find((r) => r[0] === "Days since"), ["Days since", "never"]);
});
