// Unit tests of the pure parts of the repair form (static/js/repair_form.js) and of what the
// phone forms share (static/js/outbox_forms.js). Run by tests/unit/test_js.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  REPAIRS_URL,
  checkRepair,
  formValues,
  repairBody,
  repairEntries,
  repairLabel,
} from "../../static/js/repair_form.js";
import {
  attentionRecords,
  controlName,
  entriesOf,
  normaliseStake,
  numberOrNull,
  photoEntry,
} from "../../static/js/outbox_forms.js";

const UUID = "AAAAAAAA-0000-4000-8000-000000000001";
const RULES = {
  shoulder: { single_stake: false, count_required: false, area_required: true },
  slope: { single_stake: false, count_required: false, area_required: true },
  pothole: { single_stake: true, count_required: true, area_required: true },
};
const WORDS = new Proxy({}, { get: (_, name) => `<${String(name)}>` });

function values(overrides = {}) {
  return {
    road: "G30/up",
    kind: "shoulder",
    direction: "",
    side: "right",
    stake: " k3504 + 000 ",
    end_stake: "K３５０４+３００",
    completed_on: "2026-05-01",
    area_m2: "450",
    count: "",
    depth_mm: "",
    crew: " 养护一班 ",
    method: "人工整修",
    cost_yuan: "12500.5",
    note: "",
    materials: [
      { name: "砂砾", quantity: "30", unit: "m3" },
      { name: "", quantity: "", unit: "t" },
      { name: "水泥", quantity: "1.5", unit: "t" },
      { name: "", quantity: "", unit: "t" },
      { name: "", quantity: "", unit: "t" },
    ],
    findings: [],
    ...overrides,
  };
}

function photo(stage, n) {
  return {
    photo_uuid: `p${n}`,
    bytes: new ArrayBuffer(8),
    type: "image/jpeg",
    sha256: "ab".repeat(32),
    exif_taken_at: "2026-05-01T09:30:00+08:00",
    exif_lon: 87.6,
    exif_lat: 43.8,
    stage,
  };
}

test("stakes and numbers are read as the server reads them", () => {
  assert.equal(normaliseStake(" k3504 + 000 "), "K3504+000");
  assert.equal(normaliseStake("K３５０４+３００"), "K3504+300");
  assert.equal(numberOrNull(""), null);
  assert.equal(numberOrNull(" 1.5 "), 1.5);
  assert.ok(Number.isNaN(numberOrNull("1,5")));
  assert.equal(controlName("materials.0.quantity"), "materials-0-quantity");
});

test("the body is the API's shape: road split, stakes folded, empty trailing rows dropped", () => {
  const body = repairBody(values(), UUID);
  assert.equal(body.client_uuid, UUID);
  assert.deepEqual([body.road, body.direction, body.side], ["G30", "up", "right"]);
  assert.deepEqual([body.stake, body.end_stake], ["K3504+000", "K3504+300"]);
  assert.deepEqual([body.area_m2, body.count, body.depth_mm, body.cost_yuan], [450, null, null, 12500.5]);
  assert.equal(body.crew, "养护一班");
  // The empty row between keeps its place: the server names errors by index.
  assert.deepEqual(body.materials.map((m) => m.name), ["砂砾", "", "水泥"]);
  assert.deepEqual(body.materials[0], { name: "砂砾", quantity: 30, unit: "m3" });
  // An undivided road takes the direction typed.
  assert.equal(repairBody(values({ road: "S21/both", direction: "down" }), UUID).direction, "down");
  assert.equal(repairBody(values({ road: "S21/both" }), UUID).direction, "both");
});

test("a good repair passes the phone's checks", () => {
  assert.deepEqual(checkRepair(repairBody(values(), UUID), RULES, "2026-05-02", WORDS), {});
  const pothole = repairBody(values({ kind: "pothole", end_stake: "", count: "3", area_m2: "2.5" }), UUID);
  assert.deepEqual(checkRepair(pothole, RULES, "2026-05-02", WORDS), {});
});

test("what the phone can tell is named field by field", () => {
  const body = repairBody(values({
    road: "", stake: "3504", end_stake: "", completed_on: "2026-06-01", area_m2: "-1",
    count: "1.5", depth_mm: "x", cost_yuan: "-5",
    materials: [{ name: "", quantity: "3", unit: "t" }, { name: "砂", quantity: "0", unit: "t" }],
  }), UUID);
  assert.deepEqual(checkRepair(body, RULES, "2026-05-02", WORDS), {
    road: "<choose_road>",
    stake: "<stake_format>",
    end_stake: "<need_end_stake>",
    completed_on: "<future>",
    area_m2: "<area>",
    count: "<whole>",
    depth_mm: "<positive>",
    cost_yuan: "<not_negative>",
    "materials.0.name": "<material_name>",
    "materials.1.quantity": "<positive>",
  });
  const pothole = repairBody(values({ kind: "pothole", end_stake: "", area_m2: "" }), UUID);
  assert.deepEqual(Object.keys(checkRepair(pothole, RULES, "2026-05-02", WORDS)).sort(), ["area_m2", "count"]);
  assert.deepEqual(Object.keys(checkRepair(repairBody(values({ kind: "" }), UUID), RULES, "", WORDS)), ["kind"]);
});

test("entries: the record under its UUID, then before and after photos waiting for it", () => {
  const body = repairBody(values({ findings: ["f1"] }), UUID);
  const label = repairLabel(body, { shoulder: "整修路肩" });
  assert.equal(label, "整修路肩 · G30 K3504+000–K3504+300");
  const entries = repairEntries(body, [photo("before", 1), photo("after", 2)], label,
    { before: "整修前", after: "整修后" });
  assert.equal(entries.length, 3);
  const [record, before, after] = entries;
  assert.deepEqual(
    { method: record.method, url: record.url, uuid: record.uuid, answer_uuid: record.answer_uuid, deps: record.deps },
    { method: "POST", url: REPAIRS_URL, uuid: UUID.toLowerCase(), answer_uuid: "uuid", deps: ["f1"] },
  );
  assert.equal(record.body, body);
  const photos = `/api/v1/repairs/${UUID.toLowerCase()}/photos`;
  assert.deepEqual([before.url, before.parent_uuid, before.deps, before.stage],
    [photos, UUID.toLowerCase(), [UUID.toLowerCase()], "before"]);
  assert.deepEqual([after.stage, after.photo_uuid, after.label], ["after", "p2", `整修后 · ${label}`]);
  assert.ok(before.bytes instanceof ArrayBuffer);
  assert.deepEqual([before.sha256, before.exif_lon, before.exif_lat], ["ab".repeat(32), 87.6, 43.8]);
});

test("a refused record's body goes back into the form", () => {
  const body = repairBody(values(), UUID);
  const filled = formValues(body, ["", "G30/up", "G30/down", "S21/both"]);
  assert.equal(filled.road, "G30/up");
  assert.equal(filled.direction, "");
  assert.equal(filled["materials-2-name"], "水泥");
  assert.equal(filled.area_m2, "450");
  assert.equal(filled.count, "");
  const undivided = formValues({ ...body, road: "S21", direction: "down" }, ["S21/both"]);
  assert.deepEqual([undivided.road, undivided.direction], ["S21/both", "down"]);
});

test("entries of a record and what needs attention are found in the outbox's list", () => {
  const entries = [
    { kind: "record", uuid: "r1", url: REPAIRS_URL, attention: { message: "no" } },
    { kind: "photo", parent_uuid: "r1", photo_uuid: "p1", deps: ["r1"] },
    { kind: "record", uuid: "r2", url: "/api/v1/findings", attention: { message: "no" } },
    { kind: "record", uuid: "r3", url: REPAIRS_URL, attention: null },
  ];
  assert.deepEqual(entriesOf(entries, "R1").map((e) => e.uuid || e.photo_uuid), ["r1", "p1"]);
  assert.deepEqual(attentionRecords(entries, (url) => url === REPAIRS_URL).map((e) => e.uuid), ["r1"]);
  const entry = photoEntry({ photo_uuid: "p9", bytes: new ArrayBuffer(1), type: "image/jpeg" },
    { url: "/x", parent: "r1", deps: ["r1", "r0"] });
  assert.deepEqual([entry.deps, entry.stage, entry.exif_lon, entry.sha256], [["r1", "r0"], "site", null, null]);
});
