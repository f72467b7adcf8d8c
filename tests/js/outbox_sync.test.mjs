// Unit tests of static/js/outbox/sync.js, the send rules: order, dependencies, whose entries go
// under which session, which answer proves a record stored, back-off, and what is transient and
// what needs attention (OFFLINE.md rules 2–4).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  REPEATED_ERROR_LIMIT,
  FIRST_BACKOFF_MS, MAX_BACKOFF_MS, answeredUuid, backoff, judge, othersWaiting, sendInOrder, sendableBy, tally,
  trimSent,
} from "../../static/js/outbox/sync.js";

const FINDING = "F0000000-0000-4000-8000-000000000001";
const INSPECTION = "B0000000-0000-4000-8000-000000000003";

test("the UUID an answer names, at the entry's path", () => {
  assert.equal(answeredUuid({ uuid: FINDING }), FINDING.toLowerCase());
  assert.equal(answeredUuid({ inspection: { client_uuid: INSPECTION } }, "inspection.client_uuid"),
    INSPECTION.toLowerCase());
  assert.equal(answeredUuid({ inspection: null }, "inspection.client_uuid"), "");
  assert.equal(answeredUuid({ uuid: INSPECTION }, "inspection.client_uuid"), "");
  assert.equal(answeredUuid("<html>Wi-Fi login</html>"), "");
  assert.equal(answeredUuid({}), "");
  assert.equal(answeredUuid(null), "");
});

// Shared phones: each entry records its maker and goes out only under that user's session.
const SHARED = [
  { id: 1, kind: "record", uuid: "a", maker: "crew2" },
  { id: 2, kind: "photo", finding_uuid: "a", photo_uuid: "p", maker: "crew2" },
  { id: 3, kind: "record", uuid: "b", maker: "Crew1" },
  { id: 4, kind: "record", uuid: "c" }, // made before makers were recorded
  { id: 5, kind: "record", uuid: "d", maker: "crew3" },
];

test("entries of another maker are skipped; own (any case) and maker-less ones are sent", () => {
  assert.deepEqual(SHARED.filter((e) => sendableBy(e, "crew1")).map((e) => e.id), [3, 4]);
  assert.deepEqual(othersWaiting(SHARED, " CREW1 "),
    [{ user: "crew2", records: 1, photos: 1 }, { user: "crew3", records: 1, photos: 0 }]);
  // Without a signed-in user (the sign-in page) only maker-less entries count as this page's.
  assert.deepEqual(SHARED.filter((e) => sendableBy(e, "")).map((e) => e.id), [4]);
  assert.equal(othersWaiting(SHARED, "crew2").length, 2);
});

test("what a page's user sees: own entries in order, counted; others only counted", () => {
  const all = [{ ...SHARED[2], attention: { message: "x" } }, SHARED[4], SHARED[3], SHARED[1], SHARED[0]];
  const seen = tally(all, "crew1");
  assert.deepEqual([seen.records, seen.photos, seen.waiting], [2, 0, 2]);
  assert.deepEqual(seen.entries.map((e) => e.id), [3, 4]);
  assert.deepEqual(seen.attention.map((e) => e.id), [3]);
  assert.deepEqual(seen.others.map((g) => g.user), ["crew2", "crew3"]);
  const crew2 = tally(all, "crew2");
  assert.deepEqual([crew2.records, crew2.photos], [2, 1]);
});

test("back-off doubles from 5 s to at most 5 min, with ±50 % jitter", () => {
  assert.equal(backoff(1, () => 0.5), FIRST_BACKOFF_MS);
  assert.equal(backoff(2, () => 0.5), 2 * FIRST_BACKOFF_MS);
  assert.equal(backoff(4, () => 0.5), 8 * FIRST_BACKOFF_MS);
  assert.equal(backoff(30, () => 0.5), MAX_BACKOFF_MS);
  assert.equal(backoff(1, () => 0), FIRST_BACKOFF_MS / 2);
  assert.equal(backoff(30, () => 0.999999), Math.round(MAX_BACKOFF_MS * 1.499999));
  for (let n = 1; n < 12; n++) {
    const wait = backoff(n);
    assert.ok(wait >= FIRST_BACKOFF_MS / 2 && wait <= MAX_BACKOFF_MS * 1.5, String(wait));
  }
});

const RECORD = { kind: "record", uuid: FINDING.toLowerCase() };

test("a 2xx counts only when it names the entry's UUID", () => {
  assert.deepEqual(judge(RECORD, 201, "Created", { uuid: FINDING }), { ok: true });
  assert.deepEqual(judge(RECORD, 200, "OK", { uuid: "someone-else" }), { transient: true, message: "" });
  assert.deepEqual(judge(RECORD, 200, "OK", null), { transient: true, message: "" }); // a Wi-Fi login page
  const photo = { kind: "photo", photo_uuid: "p1", finding_uuid: "f" };
  assert.deepEqual(judge(photo, 200, "OK", { uuid: "P1" }), { ok: true });
  const inspection = { kind: "record", uuid: "i1", answer_uuid: "inspection.client_uuid" };
  assert.deepEqual(judge(inspection, 200, "OK", { inspection: { client_uuid: "I1" } }), { ok: true });
});

test("network trouble, 5xx, 401/408/425/429 and 3xx wait; other 4xx need attention, with the fields", () => {
  const error = (code, message, fields) => ({ error: { code, message, fields } });
  for (const status of [500, 502, 503, 504, 401, 408, 425, 429, 302]) {
    assert.equal(judge(RECORD, status, "", error("x", "down")).transient, true, String(status));
  }
  assert.deepEqual(judge(RECORD, 409, "Conflict", error("outbox_maker_mismatch", "not yours")), { skip: true });
  assert.deepEqual(judge(RECORD, 400, "Bad", error("csrf_failed", "expired")), { csrf: true, message: "expired" });
  const refused = judge(RECORD, 422, "Unprocessable", error("invalid", "Check the stake", { stake: "K1+2" }));
  assert.equal(refused.attention.status, 422);
  assert.equal(refused.attention.code, "invalid");
  assert.equal(refused.attention.message, "Check the stake");
  assert.deepEqual(refused.attention.fields, { stake: "K1+2" });
  assert.match(refused.attention.at, /^\d{4}-/);
  // A 4xx without a JSON error (a proxy's page) still says what happened.
  assert.equal(judge(RECORD, 404, "Not Found", null).attention.message, "404 Not Found");
  assert.equal(judge(RECORD, 409, "Conflict", error("duplicate", "")).attention.code, "duplicate");
});

function recorder(outcomes) {
  const calls = [];
  return {
    calls,
    effects: {
      send: async (entry) => {
        calls.push(["send", entry.id]);
        return outcomes[entry.id] || { ok: true };
      },
      sent: async (entry) => calls.push(["sent", entry.id]),
      attention: async (entry, attention) => calls.push(["attention", entry.id, attention.code]),
    },
  };
}

test("entries go in the order they were made; a photo waits for its record and later dependants too", async () => {
  const entries = [
    { id: 4, kind: "photo", finding_uuid: "f1", photo_uuid: "p1" },
    { id: 1, kind: "record", uuid: "patrol" },
    { id: 3, kind: "record", uuid: "f1", deps: ["patrol"] },
    { id: 5, kind: "record", uuid: "f2", deps: ["patrol"] },
    { id: 6, kind: "record", uuid: "other" },
  ];
  const { calls, effects } = recorder({ 3: { attention: { code: "invalid" } } });
  assert.deepEqual(await sendInOrder(entries, "crew1", effects), { stopped: false, message: "" });
  assert.deepEqual(calls, [
    ["send", 1], ["sent", 1],
    ["send", 3], ["attention", 3, "invalid"], // its photo (4) waits; f2 (5) does not depend on it
    ["send", 5], ["sent", 5],
    ["send", 6], ["sent", 6],
  ]);
});

test("an entry already needing attention blocks its dependants without being sent", async () => {
  const entries = [
    { id: 1, kind: "record", uuid: "patrol", attention: { code: "x" } },
    { id: 2, kind: "record", uuid: "f1", deps: ["patrol"] },
    { id: 3, kind: "photo", finding_uuid: "f1", photo_uuid: "p1" },
    { id: 4, kind: "record", uuid: "f9" },
  ];
  const { calls, effects } = recorder({});
  await sendInOrder(entries, "crew1", effects);
  assert.deepEqual(calls, [["send", 4], ["sent", 4]]);
});

test("the first transient failure stops the round; another user's entries and a 409 are passed over", async () => {
  const entries = [
    { id: 1, kind: "record", uuid: "mine-before", maker: "crew1" },
    { id: 2, kind: "record", uuid: "theirs", maker: "crew2" },
    { id: 3, kind: "photo", finding_uuid: "theirs", photo_uuid: "p", maker: "crew1" },
    { id: 4, kind: "record", uuid: "skipped" },
    { id: 5, kind: "photo", finding_uuid: "skipped", photo_uuid: "p5" },
    { id: 6, kind: "record", uuid: "down" },
    { id: 7, kind: "record", uuid: "after" },
  ];
  const { calls, effects } = recorder({ 4: { skip: true }, 6: { transient: true, message: "down" } });
  assert.deepEqual(await sendInOrder(entries, "crew1", effects), { stopped: true, message: "down" });
  assert.deepEqual(calls, [["send", 1], ["sent", 1], ["send", 4], ["send", 6]]);
});

test("what was sent is remembered for the newest 200 only", () => {
  const sent = {};
  for (let i = 0; i < 205; i++) sent[`u${i}`] = 1000 + i;
  const kept = trimSent(sent, 200);
  assert.equal(Object.keys(kept).length, 200);
  assert.ok(!("u4" in kept) && "u5" in kept && "u204" in kept);
  assert.deepEqual(trimSent({ a: 1 }, 200), { a: 1 });
});

test("a 500 database_error that keeps repeating puts the entry aside; others behind it go on", async () => {
  const error = { error: { code: "database_error", message: "The database refused this." } };
  const outcome = judge(RECORD, 500, "Internal Server Error", error);
  assert.equal(outcome.transient, true);
  assert.equal(outcome.repeated.code, "database_error");
  // Any other 5xx is a passing fault and never becomes attention.
  assert.equal(judge(RECORD, 500, "", { error: { code: "x" } }).repeated, undefined);
  const entries = [
    { id: 1, kind: "record", uuid: "bad" },
    { id: 2, kind: "record", uuid: "good" },
  ];
  let count = 0;
  const { calls, effects } = recorder({ 1: outcome });
  effects.repeated = () => (count += 1);
  for (let round = 1; round < REPEATED_ERROR_LIMIT; round++) {
    assert.deepEqual(await sendInOrder(entries, "crew1", effects), { stopped: true, message: "The database refused this." });
  }
  assert.deepEqual(await sendInOrder(entries, "crew1", effects), { stopped: false, message: "" });
  assert.deepEqual(calls.slice(-4), [["send", 1], ["attention", 1, "database_error"], ["send", 2], ["sent", 2]]);
  // Without a counter (an older page) it only waits, as before.
  const plain = recorder({ 1: outcome });
  assert.equal((await sendInOrder(entries, "crew1", plain.effects)).stopped, true);
});
