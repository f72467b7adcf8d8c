// Unit tests of the pure parts of the phone's vehicle defect form (static/js/vehicle_defect_form.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DEFECTS_URL,
  checkDefect,
  defaultVehicle,
  defectBody,
  defectEntry,
  vehicleNumber,
  waitingDefects,
} from "../../static/js/vehicle_defect_form.js";
import { normalise, sameEntry } from "../../static/js/outbox/entries.js";

const UUID = "CCCCCCCC-0000-4000-8000-000000000003";
const AT = "2026-01-12T09:30:00+08:00";
const WORDS = new Proxy({}, { get: (_, name) => `<${String(name)}>` });
const CONTEXT = {
  vehicles: [
    { id: 3, number: "新A12345", kind: "patrol_vehicle", status: "fit" },
    { id: 9, number: "LD-02", kind: "loader", status: "defective" },
  ],
  default_vehicle: 9,
};

test("the body the API takes: lower-case UUID, the unit's id as a number, trimmed text", () => {
  const body = defectBody({ vehicle_id: "3", description: "  刹车异响 " }, UUID, AT);
  assert.deepEqual(body, {
    client_uuid: UUID.toLowerCase(),
    vehicle_id: 3,
    description: "刹车异响",
    reported_at: AT,
  });
  assert.equal(defectBody({ vehicle_id: "" }, UUID, AT).vehicle_id, null);
});

test("the phone refuses no unit, an unknown unit, no description and a too long one", () => {
  assert.deepEqual(checkDefect(defectBody({ vehicle_id: "3", description: "漏油" }, UUID, AT), CONTEXT, WORDS), {});
  assert.deepEqual(checkDefect(defectBody({}, UUID, AT), CONTEXT, WORDS), {
    vehicle_id: "<choose_vehicle>",
    description: "<describe>",
  });
  const unknown = defectBody({ vehicle_id: "4", description: "x".repeat(501) }, UUID, AT);
  assert.deepEqual(checkDefect(unknown, CONTEXT, WORDS), {
    vehicle_id: "<choose_vehicle>",
    description: "<too_long>",
  });
});

test("the outbox entry is a record confirmed by the answer's uuid, and round-trips the store's shape", () => {
  const body = defectBody({ vehicle_id: "9", description: "液压管渗油" }, UUID, AT);
  const entry = defectEntry(body, "报修：LD-02");
  assert.equal(entry.url, DEFECTS_URL);
  assert.equal(entry.answer_uuid, "uuid");
  assert.equal(entry.uuid, UUID.toLowerCase());
  const stored = normalise(entry, "赵养护");
  assert.equal(stored.kind, "record");
  assert.equal(stored.answer_uuid, "uuid");
  assert.ok(sameEntry(stored, stored));
});

test("waiting reports are the defect records only", () => {
  const mine = { kind: "record", url: DEFECTS_URL, uuid: "a" };
  const entries = [mine, { kind: "record", url: "/api/v1/repairs", uuid: "b" }, { kind: "photo" }];
  assert.deepEqual(waitingDefects(entries), [mine]);
  assert.deepEqual(waitingDefects(undefined), []);
});

test("the default unit: this phone's last one, else the crew's last patrol's, when still listed", () => {
  assert.equal(defaultVehicle(CONTEXT, 3), 3);
  assert.equal(defaultVehicle(CONTEXT, null), 9);
  assert.equal(defaultVehicle(CONTEXT, 77), 9); // sealed or scrapped since: not listed
  assert.equal(defaultVehicle({ vehicles: CONTEXT.vehicles, default_vehicle: null }, null), null);
  assert.equal(vehicleNumber(CONTEXT, 9), "LD-02");
  assert.equal(vehicleNumber(CONTEXT, 5), "5");
});
