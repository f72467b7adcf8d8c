import { test } from "node:test";
import assert from "node:assert/strict";

import {
  CHECKS_URL,
  blockedLocally,
  checkBody,
  checkErrors,
  judgeCheck,
  parseAlcohol,
  pretripEntry,
  rememberCheck,
  waitingChecks,
} from "../../static/js/crew/pretrip_rules.js";

const T = { alcohol_drink_mg: 20, alcohol_drunk_mg: 80, systolic_max: 160, diastolic_max: 100 };
const CODES = ["brakes", "lights", "tyres"];
const FINE = { brakes: true, lights: true, tyres: true };
const WORDS = new Proxy({}, { get: (_, name) => String(name) });
const CONTEXT = { vehicles: [{ id: 3 }], drivers: [{ id: 7 }] };

test("alcohol boundaries: 19.9 passes, 20 is drink, 79.9 drink, 80 drunk", () => {
  const result = (mg) => judgeCheck(FINE, mg, 120, 80, T, CODES).alcohol;
  assert.equal(result(0), "passed");
  assert.equal(result(19.9), "passed");
  assert.equal(result(20), "drink");
  assert.equal(result(79.9), "drink");
  assert.equal(result(80), "drunk");
  // Floating point near a threshold the branch set with a decimal (e.g. 19.5).
  const t = { ...T, alcohol_drink_mg: 19.5 };
  assert.equal(judgeCheck(FINE, 19.4, 120, 80, t, CODES).alcohol, "passed");
  assert.equal(judgeCheck(FINE, 19.5, 120, 80, t, CODES).alcohol, "drink");
});

test("blood pressure: 159/99 fit, 160/99 and 159/100 unfit", () => {
  const fit = (s, d) => judgeCheck(FINE, 0, s, d, T, CODES).blood_pressure_passed;
  assert.equal(fit(159, 99), true);
  assert.equal(fit(160, 99), false);
  assert.equal(fit(159, 100), false);
});

test("a fault fails the vehicle, and the whole check, not the driver", () => {
  const verdict = judgeCheck({ ...FINE, lights: false }, 0, 120, 80, T, CODES);
  assert.deepEqual(verdict.faults, ["lights"]);
  assert.equal(verdict.vehicle_passed, false);
  assert.equal(verdict.alcohol_passed && verdict.blood_pressure_passed, true);
  assert.equal(verdict.passed, false);
  // An unanswered item counts as a fault.
  assert.deepEqual(judgeCheck({ brakes: true }, 0, 120, 80, T, CODES).faults, ["lights", "tyres"]);
});

test("readings the phone refuses before saving", () => {
  const base = { vehicle_id: "3", driver_id: "7", alcohol_mg: "0", systolic: "120", diastolic: "80" };
  assert.deepEqual(checkErrors(base, CONTEXT, WORDS), {});
  assert.deepEqual(Object.keys(checkErrors({ ...base, systolic: "0", diastolic: "0" }, CONTEXT, WORDS)).sort(),
    ["diastolic", "systolic"]);
  assert.deepEqual(Object.keys(checkErrors({ ...base, systolic: "400", diastolic: "300" }, CONTEXT, WORDS)).sort(),
    ["diastolic", "systolic"]);
  assert.equal(checkErrors({ ...base, alcohol_mg: "-1" }, CONTEXT, WORDS).alcohol_mg, "alcohol_negative");
  assert.equal(checkErrors({ ...base, alcohol_mg: "12.25" }, CONTEXT, WORDS).alcohol_mg, "one_decimal");
  assert.equal(checkErrors({ ...base, systolic: "120", diastolic: "125" }, CONTEXT, WORDS).diastolic,
    "diastolic_below");
  assert.equal(checkErrors({ ...base, vehicle_id: "4" }, CONTEXT, WORDS).vehicle_id, "choose_vehicle");
  assert.deepEqual(parseAlcohol("12,5"), { value: 12.5 });
});

test("the body and the outbox entry", () => {
  const body = checkBody({ vehicle_id: "3", driver_id: "7", alcohol_mg: "0.0", systolic: "120",
    diastolic: "80", note: " ok " }, FINE, "ABC-1", "2026-05-01T07:40:00+08:00");
  assert.deepEqual(body, {
    client_uuid: "abc-1",
    checked_at: "2026-05-01T07:40:00+08:00",
    vehicle_id: 3,
    driver_id: 7,
    vehicle_items: FINE,
    alcohol_mg: 0,
    systolic: 120,
    diastolic: 80,
    note: "ok",
  });
  const entry = pretripEntry(body, "label");
  assert.equal(entry.url, CHECKS_URL);
  assert.equal(entry.uuid, "abc-1");
  assert.equal(entry.answer_uuid, "uuid");
  assert.deepEqual(waitingChecks([{ kind: "record", url: CHECKS_URL }, { kind: "record", url: "/x" }]).length, 1);
});

test("today's failed check blocks locally until a passed re-check; another day does not", () => {
  const messages = { vehicle: "vehicle failed", driver: "driver failed" };
  const at = (time) => "2026-05-01T" + time + ":00+08:00";
  const body = (uuid, time, vehicle, driver) => ({
    client_uuid: uuid, checked_at: at(time), vehicle_id: vehicle, driver_id: driver,
  });
  let list = rememberCheck([], body("a", "07:00", 3, 7),
    judgeCheck(FINE, 25, 120, 80, T, CODES), messages);
  let blocked = blockedLocally(list, "3", "7", "2026-05-01");
  assert.equal(blocked.vehicle, null);
  assert.equal(blocked.driver.driver_message, "driver failed");
  assert.deepEqual(blockedLocally(list, 3, 8, "2026-05-01"), { vehicle: null, driver: null });
  assert.deepEqual(blockedLocally(list, 3, 7, "2026-05-02"), { vehicle: null, driver: null });
  // A vehicle fault with another driver blocks the vehicle only.
  list = rememberCheck(list, body("b", "07:10", 4, 8),
    judgeCheck({ ...FINE, brakes: false }, 0, 120, 80, T, CODES), messages);
  blocked = blockedLocally(list, 4, 8, "2026-05-01");
  assert.equal(blocked.vehicle.vehicle_message, "vehicle failed");
  assert.equal(blocked.driver, null);
  // A passed re-check of the driver releases them.
  list = rememberCheck(list, body("c", "07:30", 3, 7), judgeCheck(FINE, 0, 120, 80, T, CODES), messages);
  assert.equal(blockedLocally(list, 3, 7, "2026-05-01").driver, null);
  // The next day's first check forgets the day before.
  list = rememberCheck(list, { ...body("d", "07:00", 5, 9), checked_at: "2026-05-02T07:00:00+08:00" },
    judgeCheck(FINE, 0, 120, 80, T, CODES), messages);
  assert.equal(list.length, 1);
});
