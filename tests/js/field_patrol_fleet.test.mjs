// The patrol start names a unit and a driver from the registers (#15): static/js/field/patrol.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  defaultChoice,
  fromServer,
  ownDriver,
  patrolFacts,
  startBody,
  startedPatrol,
} from "../../static/js/field/patrol.js";

const VEHICLES = [{ id: 3, label: "新A12345 · 巡查车" }, { id: 7, label: "新A67890 · 除雪车" }];
const DRIVERS = [
  { id: 11, label: "马师傅 · B2", user_id: null },
  { id: 12, label: "李巡查 · C1", user_id: 40 },
];
const SHOW = { roadLabel: (code) => code, time: () => "" };

test("a unit from the register replaces the typed plate; ids are numbers", () => {
  const body = startBody(
    { road: "G30|up", kind: "routine", vehicle: "新A·99999", vehicle_id: "7", driver_id: "12" },
    "u1", "t", null,
  );
  assert.equal(body.vehicle_id, 7);
  assert.equal(body.driver_id, 12);
  assert.equal(body.vehicle, "");
  assert.deepEqual(startedPatrol(body).vehicle_id, 7);
  assert.deepEqual(startedPatrol(body).driver_id, 12);
});

test("without a choice the body is as before: the typed plate, no ids", () => {
  const body = startBody({ road: "G30|up", vehicle: " 新A·1 ", vehicle_id: "", driver_id: "" }, "u", "t", null);
  assert.equal(body.vehicle, "新A·1");
  assert.ok(!("vehicle_id" in body) && !("driver_id" in body));
  assert.ok(!("vehicle_id" in startedPatrol(body)));
  // Anything but digits is no choice.
  assert.ok(!("vehicle_id" in startBody({ road: "G30|up", vehicle_id: "3; drop" }, "u", "t", null)));
});

test("the selects start on the last choice while it is still offered, else the fallback", () => {
  assert.equal(defaultChoice(VEHICLES, 7, null), "7");
  assert.equal(defaultChoice(VEHICLES, "3", null), "3");
  assert.equal(defaultChoice(VEHICLES, 5, null), ""); // sealed or defective since: not offered
  assert.equal(defaultChoice(VEHICLES, null, null), "");
  assert.equal(defaultChoice([], 3, null), "");
  assert.equal(defaultChoice(undefined, 3, null), "");
  assert.equal(defaultChoice(DRIVERS, null, ownDriver(DRIVERS, 40)), "12");
  assert.equal(defaultChoice(DRIVERS, 11, ownDriver(DRIVERS, 40)), "11");
  assert.equal(ownDriver(DRIVERS, 41), null);
  assert.equal(ownDriver(DRIVERS, null), null);
});

test("the open patrol shows the register's unit and driver, else the server's words or the plate", () => {
  const context = { vehicles: VEHICLES, drivers: DRIVERS };
  const facts = patrolFacts({ road: "G30", vehicle_id: 3, driver_id: 11, vehicle: "" }, context, SHOW);
  assert.equal(facts.vehicle, "新A12345 · 巡查车");
  assert.equal(facts.driver, "马师傅 · B2");
  const server = fromServer({
    uuid: "x", road: "G30", vehicle: "新A55555", vehicle_id: 99, vehicle_number: "新A55555",
    driver_id: 98, driver: "王师傅",
  });
  const fallback = patrolFacts(server, context, SHOW);
  assert.equal(fallback.vehicle, "新A55555");
  assert.equal(fallback.driver, "王师傅");
  const old = patrolFacts(fromServer({ uuid: "y", road: "G30", vehicle: "新A·H1234" }), {}, SHOW);
  assert.equal(old.vehicle, "新A·H1234");
  assert.equal(old.driver, "—");
});
