import { test } from "node:test";
import assert from "node:assert/strict";

import {
  ZONES_URL,
  applicableSpeed,
  checkZone,
  hasIntrusionAlarm,
  judgeParts,
  removalEntry,
  waitingZones,
  zoneBody,
  zoneEntries,
} from "../../static/js/crew/zone_rules.js";

const TABLE = {
  120: { warning: 1600, buffer: 120 },
  80: { warning: 1200, buffer: 80, termination: 30 },
  40: { warning: 200, buffer: 30, work_area: 0 },
};
const WORDS = new Proxy({}, { get: (_, name) => String(name) });

test("the nearest configured speed at or above the zone's applies; beyond: the fastest", () => {
  assert.deepEqual(applicableSpeed([120, 80, 40], 80), { speed: 80, beyond: false });
  assert.deepEqual(applicableSpeed(["120", "80", "40"], 70), { speed: 80, beyond: false });
  assert.deepEqual(applicableSpeed([120, 80, 40], 5), { speed: 40, beyond: false });
  assert.deepEqual(applicableSpeed([120, 80, 40], 130), { speed: 120, beyond: true });
  assert.deepEqual(applicableSpeed([], 60), { speed: null, beyond: false });
});

test("short parts are flagged in driving order; missing parts and zero minimums are not", () => {
  const judged = judgeParts({ buffer: 50, warning: 1199.9, termination: 30 }, TABLE, 70);
  assert.equal(judged.speed, 80);
  assert.deepEqual(judged.shortfalls, [
    { part: "warning", length_m: 1199.9, minimum_m: 1200 },
    { part: "buffer", length_m: 50, minimum_m: 80 },
  ]);
  assert.deepEqual(judgeParts({ warning: 1200, buffer: 80 }, TABLE, 80).shortfalls, []);
  assert.deepEqual(judgeParts({ work_area: 1 }, TABLE, 40).shortfalls, []);
  assert.deepEqual(judgeParts({ warning: 10 }, {}, 80).shortfalls, []);
  assert.equal(judgeParts({ warning: 1500 }, TABLE, 130).beyond, true);
});

function values(extra) {
  return {
    link: "repair",
    repair_uuid: "5a7e2c10-3b4d-4e8f-9a1b-2c3d4e5f6a7b",
    patrol_uuid: "7a7e2c10-3b4d-4e8f-9a1b-2c3d4e5f6a7b",
    road: "G30/up",
    from_stake: " k3504+000 ",
    to_stake: "K3504+300",
    lanes_closed: "1",
    speed_limit_kmh: "80",
    set_up_at: "2026-05-01T09:10:00+08:00",
    parts: { warning: "1200", buffer: "", termination: "x" },
    devices: { cone: "40", intrusion_radar: true, flagger: false },
    ...extra,
  };
}

test("the body: road and direction split, the chosen link only, numbers read", () => {
  const body = zoneBody(values(), "ABC");
  assert.equal(body.client_uuid, "abc");
  assert.equal(body.road, "G30");
  assert.equal(body.direction, "up");
  assert.equal(body.patrol_uuid, null);
  assert.equal(body.from_stake, "K3504+000");
  assert.equal(body.lanes_closed, 1);
  assert.deepEqual(body.parts.map((p) => p.part), ["warning", "termination"]);
  assert.ok(Number.isNaN(body.parts[1].length_m));
  assert.deepEqual(body.devices, [{ device: "cone", count: 40 }, { device: "intrusion_radar" }]);
  assert.equal(hasIntrusionAlarm(body.devices), true);
});

test("the phone names what it can: link, stakes, lanes, speed, lengths, counts, photos", () => {
  const ok = zoneBody(values({ parts: { warning: "1200" } }), "u");
  assert.deepEqual(checkZone(ok, 1, WORDS), {});
  const bad = zoneBody(values({
    link: "", repair_uuid: "", patrol_uuid: "", from_stake: "3504", lanes_closed: "9",
    speed_limit_kmh: "", devices: { alarm_cone: "" },
  }), "u");
  const errors = checkZone(bad, 7, WORDS);
  assert.deepEqual(Object.keys(errors).sort(), [
    "count_alarm_cone", "from_stake", "lanes_closed", "part_termination", "photo", "repair_uuid",
    "speed_limit_kmh",
  ]);
});

test("entries: the zone (waiting for its links), its photos after it; the removal a PATCH", () => {
  const body = zoneBody(values({ link: "" }), "Z1");
  const photo = { photo_uuid: "p1", bytes: new ArrayBuffer(3), type: "image/jpeg" };
  const entries = zoneEntries(body, [photo], "label");
  assert.equal(entries.length, 2);
  assert.equal(entries[0].url, ZONES_URL);
  assert.equal(entries[0].answer_uuid, "uuid");
  assert.deepEqual(entries[0].deps, [body.patrol_uuid, body.repair_uuid]);
  assert.equal(entries[1].url, ZONES_URL + "/z1/photos");
  assert.equal(entries[1].parent_uuid, "z1");
  const removal = removalEntry("Z1", "2026-05-01T16:00:00+08:00", "r");
  assert.equal(removal.method, "PATCH");
  assert.equal(removal.url, ZONES_URL + "/z1");
  assert.deepEqual(waitingZones([
    { kind: "record", url: ZONES_URL }, { kind: "record", url: "/api/v1/repairs" },
    { kind: "photo", url: ZONES_URL + "/z1/photos" },
  ]).length, 1);
});
