// Unit tests of the pure parts of the survey unit page (static/js/survey_unit.js): the
// severities an item offers and the unit its quantity is counted in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { severityView, unitWord } from "../../static/js/survey_unit.js";

const UNITS = { m2: "m²", m: "m" };
const CRACKING = { code: "alligator_cracking", severities: ["light", "medium", "heavy"], units: { light: "m2", medium: "m2", heavy: "m2" }, guide: "块度" };
const TRANSVERSE = { code: "transverse_cracking", severities: ["light", "heavy"], units: { light: "m", heavy: "m2" }, guide: "" };
const BLEEDING = { code: "bleeding", severities: [null], units: { "": "m2" } };

test("a graded item offers its severities; an ungraded one only none", () => {
  assert.deepEqual(severityView(CRACKING), { allowed: ["light", "medium", "heavy"], graded: true, guide: "块度" });
  assert.deepEqual(severityView(BLEEDING), { allowed: [""], graded: false, guide: "" });
});

test("the unit follows the severity chosen, else the first severity's", () => {
  assert.equal(unitWord(TRANSVERSE, "heavy", UNITS), "m²");
  assert.equal(unitWord(TRANSVERSE, "light", UNITS), "m");
  assert.equal(unitWord(TRANSVERSE, "", UNITS), "m");
  assert.equal(unitWord(TRANSVERSE, null, UNITS), "m");
  assert.equal(unitWord(BLEEDING, "", UNITS), "m²");
  assert.equal(unitWord({ severities: ["light"], units: { light: "site" } }, "light", UNITS), "site");
  assert.equal(unitWord({ severities: ["light"], units: {} }, "light", UNITS), "");
  assert.equal(unitWord(CRACKING, "medium", undefined), "m2");
});
