// Unit tests of the field home's rules (static/js/field/patrol.js): which patrol is open on the
// phone while starts and ends wait in the outbox, and the start and end requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  endBody,
  fromServer,
  pageKnows,
  patrolFacts,
  reconcile,
  recordWaiting,
  startBody,
  startedPatrol,
  typedStake,
  waitingFindings,
} from "../../static/js/field/patrol.js";

const SERVER = {
  uuid: "a0000000-0000-4000-8000-000000000001",
  road: "G30",
  direction: "up",
  kind: "routine",
  crew: "一班",
  vehicle: "新A·12345",
  weather: "sunny",
  started_at: "2026-05-01T09:00:00+08:00",
  start_stake: "K3500+000",
  voided: false,
  id: 7, // the server's own fields are not kept on the phone
};
const OTHER = "b0000000-0000-4000-8000-000000000002";
const record = (uuid) => ({ kind: "record", uuid, url: "/api/v1/patrols" });
const knowsAll = () => true;
const knowsNothing = () => false;

test("the server's open patrol becomes the phone's", () => {
  const found = reconcile(SERVER, null, [], knowsAll);
  assert.equal(found.keep, "set");
  assert.deepEqual(found.patrol, fromServer(SERVER));
  assert.equal(found.patrol.ended, false);
  assert.equal(found.patrol.id, undefined);
});

test("a patrol ended on this phone stays ended while its end is on its way", () => {
  const local = { ...fromServer(SERVER), ended: true };
  assert.deepEqual(reconcile(SERVER, local, [record(SERVER.uuid)], knowsAll), { patrol: null, keep: "" });
  assert.deepEqual(reconcile(SERVER, local, [], knowsNothing), { patrol: null, keep: "" });
  // The end arrived, yet this page (fetched later) still shows it open: the server is right.
  assert.equal(reconcile(SERVER, local, [], knowsAll).keep, "set");
});

test("a patrol started here after the page was made wins over the page's", () => {
  const local = { ...fromServer(SERVER), uuid: OTHER };
  assert.deepEqual(reconcile(SERVER, local, [record(OTHER)], knowsAll), { patrol: local, keep: "" });
  assert.deepEqual(reconcile(SERVER, local, [], knowsNothing), { patrol: local, keep: "" });
  // Sent long before this page was fetched: the page's patrol is the open one.
  assert.equal(reconcile(SERVER, local, [], knowsAll).patrol.uuid, SERVER.uuid);
});

test("without a patrol on the server, the phone's stays only while the server may not know it", () => {
  const local = { ...fromServer(SERVER), uuid: OTHER };
  assert.deepEqual(reconcile(null, local, [record(OTHER)], knowsAll), { patrol: local, keep: "" });
  assert.deepEqual(reconcile(null, local, [], knowsAll), { patrol: null, keep: "clear" });
  assert.deepEqual(reconcile({ ...SERVER, voided: true }, local, [], knowsAll), { patrol: null, keep: "clear" });
  assert.deepEqual(reconcile(null, { ...local, ended: true }, [], knowsAll), { patrol: null, keep: "" });
  assert.deepEqual(reconcile(null, null, [], knowsAll), { patrol: null, keep: "" });
});

test("the page knows a patrol unless it came from the cache or before the last answer", () => {
  const loaded = 1_000_000;
  assert.equal(pageKnows(null, loaded, false), true);
  assert.equal(pageKnows(loaded - 5000, loaded, false), true);
  assert.equal(pageKnows(loaded - 1000, loaded, false), false); // within 2 s of loading
  assert.equal(pageKnows(loaded + 1000, loaded, false), false);
  assert.equal(pageKnows(null, loaded, true), false);
});

test("records waiting, and the findings among them", () => {
  const finding = { kind: "record", uuid: "f1", url: "/api/v1/findings", label: "G30 K1+000" };
  const photo = { kind: "photo", uuid: "f1", photo_uuid: "p1", url: "/api/v1/findings" };
  assert.ok(recordWaiting([record("x"), finding], "f1"));
  assert.ok(!recordWaiting([photo], "f1"));
  assert.ok(!recordWaiting(null, "f1"));
  assert.deepEqual(waitingFindings([record("x"), finding, photo]), { f1: finding });
  assert.deepEqual(waitingFindings(null), {});
});

test("typed stakes: empty is none, a bad one is an error", () => {
  assert.deepEqual(typedStake(""), { value: "", error: false });
  assert.deepEqual(typedStake(" k3500 + 120 "), { value: "K3500+120", error: false });
  assert.deepEqual(typedStake("3500"), { value: "3500", error: true });
});

test("the start: road and direction apart, words trimmed, the fix kept raw", () => {
  const fix = { lon: 87.61, lat: 43.82, accuracy: 6.5, at: "2026-05-01T09:00:00+08:00" };
  const body = startBody({
    road: "G30|up", kind: "routine", crew: " 一班 ", vehicle: " 新A·12345", weather: "", stake: "K3500+000",
  }, "u1", "2026-05-01T09:00:05+08:00", fix);
  assert.deepEqual(body, {
    client_uuid: "u1",
    road: "G30",
    direction: "up",
    kind: "routine",
    crew: "一班",
    vehicle: "新A·12345",
    weather: "",
    started_at: "2026-05-01T09:00:05+08:00",
    start_stake: "K3500+000",
    gps: fix,
  });
  assert.ok(!("gps" in startBody({ road: "G30|up" }, "u2", "t", null)));
  assert.deepEqual(startedPatrol(body), {
    uuid: "u1", road: "G30", direction: "up", kind: "routine", crew: "一班", vehicle: "新A·12345",
    weather: "", started_at: "2026-05-01T09:00:05+08:00", start_stake: "K3500+000", ended: false,
  });
  assert.equal(startedPatrol({ ...body, start_stake: "" }).start_stake, null);
});

test("the end, with or without a stake and a fix", () => {
  assert.deepEqual(endBody("", "t", null), { ended_at: "t", end_stake: "" });
  assert.deepEqual(endBody("K3520+000", "t", { lon: 1, lat: 2 }), {
    ended_at: "t", end_stake: "K3520+000", gps: { lon: 1, lat: 2 },
  });
});

test("the facts shown of the open patrol, in the page's words", () => {
  const facts = patrolFacts({ ...fromServer(SERVER), crew: "", vehicle: null, start_stake: null }, {
    patrol_kinds: { routine: "日常巡查" },
    weather: { sunny: "晴" },
  }, {
    roadLabel: (code, direction) => `${code} ${direction}`,
    time: (iso) => iso.slice(11, 16),
  });
  assert.deepEqual(facts, {
    road: "G30 up",
    kind: "日常巡查",
    started_at: "09:00",
    start_stake: "—",
    crew: "—",
    vehicle: "—",
    driver: "—",
    weather: "晴",
  });
  const bare = patrolFacts({ road: "G30", kind: "night", started_at: "" }, {}, {
    roadLabel: () => "G30", time: () => "x",
  });
  assert.equal(bare.kind, "night");
  assert.equal(bare.started_at, "");
  assert.equal(bare.weather, "—");
});
