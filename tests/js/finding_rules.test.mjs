// Unit tests of the new-finding form's rules: the kinds' items and severities
// (static/js/finding/vocabulary.js) and the record the phone saves (static/js/finding/record.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  distressItems,
  graded,
  itemOf,
  quantityLabel,
  severityChoices,
  severityFromDepth,
  shownFor,
  subgradeItems,
} from "../../static/js/finding/vocabulary.js";
import {
  FINDINGS_URL,
  attentionFindings,
  checkFinding,
  choosePatrol,
  findingBody,
  findingLabel,
  goneFromOutbox,
  nearbyQuery,
  photoEntries,
  withoutEmptyStakes,
} from "../../static/js/finding/record.js";
import { format } from "../../static/js/lib/text.js";

// The shape of field_vocabulary() (inspection/patrols/views.py), a few items of each.
const VOCABULARY = {
  kinds: { pavement_distress: "路面病害", pothole: "坑槽", drainage: "排水", safety_hazard: "安全隐患" },
  distress: {
    asphalt: [
      { code: "alligator_cracking", name: "龟裂", unit: "m2", severities: ["light", "medium", "heavy"], guide: "块度" },
      { code: "pothole", name: "坑槽", unit: "m2", severities: ["light", "heavy"], guide: "" },
      { code: "bleeding", name: "泛油", unit: "m2", severities: [null], guide: "" },
    ],
    concrete: [{ code: "broken_slab", name: "破碎板", unit: "m2", severities: ["light", "heavy"], guide: "" }],
  },
  subgrade: {
    drainage: [
      { code: "ditch_blocked", name: "边沟堵塞", severities: [null] },
      { code: "ditch_damaged", name: "边沟损坏", severities: ["light", "medium", "heavy"] },
    ],
  },
  severity_words: { light: "轻", medium: "中", heavy: "重" },
};
const WORDS = new Proxy({
  area: "面积 (m²)",
  quantity: "数量 (%(unit)s)",
  units: { m2: "m²", m: "m" },
  finding_label: "%(road)s %(stake)s %(kind)s",
  gps_only: "仅GPS",
}, { get: (words, name) => (name in words ? words[name] : `<${String(name)}>`) });

test("the items of a kind: distress by pavement, a pothole's own, subgrade by kind", () => {
  assert.deepEqual(distressItems(VOCABULARY, "").map((i) => i.code), ["alligator_cracking", "pothole", "bleeding"]);
  assert.deepEqual(distressItems(VOCABULARY, "concrete").map((i) => i.code), ["broken_slab"]);
  assert.deepEqual(distressItems({}, "asphalt"), []);
  assert.equal(subgradeItems(VOCABULARY, "drainage").length, 2);
  assert.equal(subgradeItems(VOCABULARY, "pothole"), null);
  const choice = { pavement: "asphalt", distress: "alligator_cracking", subgrade: "ditch_damaged" };
  assert.equal(itemOf(VOCABULARY, "pavement_distress", choice).name, "龟裂");
  assert.equal(itemOf(VOCABULARY, "pavement_distress", { ...choice, pavement: "concrete" }), null);
  assert.equal(itemOf(VOCABULARY, "pothole", {}).code, "pothole");
  assert.equal(itemOf(VOCABULARY, "drainage", choice).code, "ditch_damaged");
  assert.equal(itemOf(VOCABULARY, "safety_hazard", choice), null);
});

test("severities offered for graded items only, in the page's words", () => {
  const [cracking, pothole, bleeding] = VOCABULARY.distress.asphalt;
  assert.ok(graded(cracking));
  assert.ok(!graded(bleeding));
  assert.ok(!graded(null));
  assert.deepEqual(severityChoices(VOCABULARY, pothole), [{ value: "light", label: "轻" }, { value: "heavy", label: "重" }]);
  assert.deepEqual(severityChoices(VOCABULARY, bleeding), []);
  assert.deepEqual(severityChoices({}, pothole).map((c) => c.label), ["light", "heavy"]);
});

test("the quantity's label, the parts shown per kind, a pothole's severity from its depth", () => {
  const [cracking] = VOCABULARY.distress.asphalt;
  assert.equal(quantityLabel("pothole", cracking, WORDS, format), "面积 (m²)");
  assert.equal(quantityLabel("pavement_distress", cracking, WORDS, format), "数量 (m²)");
  assert.equal(quantityLabel("pavement_distress", { unit: "site" }, WORDS, format), "数量 (site)");
  assert.equal(quantityLabel("pavement_distress", null, WORDS, format), "数量 ()");
  assert.ok(shownFor("pavement_distress pothole", "pothole"));
  assert.ok(!shownFor("pavement_distress pothole", "pot"));
  assert.ok(!shownFor("pothole", ""));
  assert.equal(severityFromDepth(40), "heavy");
  assert.equal(severityFromDepth(25), "light");
  assert.equal(severityFromDepth(0), "");
  assert.equal(severityFromDepth(null), "");
});

test("the patrol a finding belongs to", () => {
  const server = { uuid: "s", road: "G30" };
  assert.equal(choosePatrol({ uuid: "l", ended: false }, server).uuid, "l");
  assert.equal(choosePatrol(null, server), server);
  assert.equal(choosePatrol({ uuid: "s", ended: true }, server), null); // ended here, end on its way
  assert.equal(choosePatrol({ uuid: "x", ended: true }, server), server);
  assert.equal(choosePatrol(null, { ...server, voided: true }), null);
  assert.equal(choosePatrol(null, null), null);
});

const FIX = { lon: 87.61, lat: 43.82, accuracy: 8, at: "2026-05-01T09:30:00+08:00", extra: 1 };
const RECORD = { uuid: "f1", observed_at: "2026-05-01T09:31:00+08:00", gps: FIX, patrol_uuid: "p1" };

test("a pothole's body: numbers as numbers, the raw fix, the patrol", () => {
  const body = findingBody({
    kind: "pothole", road: "G30|up", stake: "K3505+000", end_stake: "", note: " 深 ", onsite_action: "",
    lane: " 2 ", side: "right", severity: "heavy", quantity: "0.6", depth_mm: "40", count: "",
    pavement: "asphalt", distress: "", subgrade: "",
  }, VOCABULARY, RECORD);
  assert.deepEqual(body, {
    client_uuid: "f1",
    kind: "pothole",
    road: "G30",
    direction: "up",
    stake: "K3505+000",
    end_stake: "",
    note: "深",
    onsite_action: "",
    lane: "2",
    observed_at: RECORD.observed_at,
    gps: { lon: 87.61, lat: 43.82, accuracy: 8, at: FIX.at },
    patrol_uuid: "p1",
    side: "right",
    severity: "heavy",
    quantity: 0.6,
    depth_mm: 40,
  });
  assert.deepEqual(checkFinding(body, itemOf(VOCABULARY, "pothole", {}), WORDS), {});
});

test("the item code of a distress or subgrade kind; a hazard's own fields", () => {
  const distress = findingBody({ kind: "pavement_distress", road: "G30|up", distress: "alligator_cracking" },
    VOCABULARY, { ...RECORD, gps: null, patrol_uuid: null });
  assert.equal(distress.pavement, "asphalt");
  assert.equal(distress.item_code, "alligator_cracking");
  assert.ok(!("gps" in distress) && !("patrol_uuid" in distress) && !("quantity" in distress));
  const drainage = findingBody({ kind: "drainage", road: "G30|up", subgrade: "ditch_blocked", distress: "x" }, VOCABULARY, RECORD);
  assert.equal(drainage.item_code, "ditch_blocked");
  const hazard = findingBody({
    kind: "safety_hazard", road: "G30|up",
    hazard: { category: "traffic_safety", grade: "major", description: " 护栏缺失 ", interim_measures: "" },
  }, VOCABULARY, RECORD);
  assert.deepEqual(hazard.hazard, {
    category: "traffic_safety", grade: "major", description: "护栏缺失", interim_measures: "",
  });
  assert.ok(!("item_code" in hazard));
});

test("what the phone refuses before saving", () => {
  const words = WORDS;
  const cracking = VOCABULARY.distress.asphalt[0];
  const bare = findingBody({ kind: "pavement_distress" }, VOCABULARY, { ...RECORD, gps: null });
  assert.deepEqual(Object.keys(checkFinding(bare, null, words)).sort(), ["item_code", "quantity", "road", "stake"]);
  assert.equal(checkFinding(bare, null, words).stake, "<need_location>");
  const body = findingBody({
    kind: "pavement_distress", road: "G30|up", stake: "K35", end_stake: "K3506+000",
    distress: "alligator_cracking", quantity: "abc",
  }, VOCABULARY, RECORD);
  assert.deepEqual(checkFinding(body, cracking, words), {
    stake: "<stake_format>", severity: "<required>", quantity: "<positive>",
  });
  // An end stake needs a start; a fix within 50 m stands in for a stake; a poor one does not.
  const gpsOnly = { ...body, stake: "", end_stake: "", severity: "light", quantity: 3 };
  assert.deepEqual(checkFinding(gpsOnly, cracking, words), {});
  assert.equal(checkFinding({ ...gpsOnly, end_stake: "K3506+000" }, cracking, words).stake, "<required>");
  assert.equal(checkFinding({ ...gpsOnly, gps: { ...FIX, accuracy: 80 } }, cracking, words).stake, "<need_location>");
  const pothole = { kind: "pothole", road: "G30", stake: "K1+000", quantity: 1, depth_mm: -1, count: 1.5 };
  assert.deepEqual(checkFinding(pothole, VOCABULARY.distress.asphalt[1], words), {
    depth_mm: "<positive>", count: "<whole>",
  });
  const hazard = { kind: "safety_hazard", road: "G30", stake: "K1+000", hazard: { category: "", grade: "", description: "" } };
  assert.deepEqual(Object.keys(checkFinding(hazard, null, words)), ["hazard.category", "hazard.grade", "hazard.description"]);
});

test("the body as sent, its label, its photos", () => {
  const sent = withoutEmptyStakes({ client_uuid: "f1", stake: "", end_stake: "", road: "G30", kind: "pothole" });
  assert.deepEqual(sent, { client_uuid: "f1", road: "G30", kind: "pothole" });
  assert.equal(withoutEmptyStakes({ stake: "K1+000" }).stake, "K1+000");
  assert.equal(findingLabel(sent, VOCABULARY, WORDS, format), "G30 仅GPS 坑槽");
  assert.equal(findingLabel({ road: "G30", stake: "K1+000", kind: "odd" }, VOCABULARY, WORDS, format), "G30 K1+000 odd");
  const bytes = new ArrayBuffer(4);
  const [entry] = photoEntries([{
    photo_uuid: "p1", bytes, type: "image/jpeg", sha256: "ab", exif_taken_at: null, exif_lon: 87, exif_lat: 43, name: "a.jpg",
  }], "f1", "照片 G30");
  assert.deepEqual(entry, {
    finding_uuid: "f1", photo_uuid: "p1", stage: "site", bytes, type: "image/jpeg", sha256: "ab",
    exif_taken_at: null, exif_lon: 87, exif_lat: 43, label: "照片 G30",
  });
  assert.deepEqual(photoEntries(null, "f1", ""), []);
});

test("near-duplicates are asked by the stake, else by a good fix, else not at all", () => {
  assert.equal(nearbyQuery("pothole", "G30", "K3510+000", FIX), "road=G30&kind=pothole&stake=K3510%2B000");
  assert.equal(nearbyQuery("pothole", "G30", "", FIX), "road=G30&kind=pothole&lon=87.61&lat=43.82");
  assert.equal(nearbyQuery("pothole", "G30", "K35", { ...FIX, accuracy: 60 }), "");
  assert.equal(nearbyQuery("", "G30", "K3510+000", FIX), "");
  assert.equal(nearbyQuery("pothole", "", "K3510+000", FIX), "");
});

test("refused findings wait for the crew; one corrected elsewhere has left the outbox", () => {
  const refused = { id: 3, kind: "record", url: FINDINGS_URL, attention: { message: "x" } };
  const walk = { id: 4, kind: "record", url: "/api/v1/inspections", attention: { message: "y" } };
  const current = { attention: [refused, walk], entries: [refused, walk] };
  assert.deepEqual(attentionFindings(current), [refused]);
  assert.deepEqual(attentionFindings(null), []);
  assert.equal(goneFromOutbox(current, 3), false);
  assert.equal(goneFromOutbox({ attention: [], entries: [{ id: 3 }] }, 3), false);
  assert.equal(goneFromOutbox({ attention: [], entries: [] }, 3), true);
  assert.equal(goneFromOutbox(null, 3), false);
});
