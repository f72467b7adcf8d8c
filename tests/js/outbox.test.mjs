// Unit tests of the outbox's pure parts (static/js/outbox.js): finding photos keep their old
// shape and address; photos of other records (inspection items) carry theirs and wait for the
// record they belong to. outbox.js is a browser script: it runs here in a vm with a bare window.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

function loadOutbox() {
  const noop = () => {};
  const document = {
    readyState: "loading", // start() waits for DOMContentLoaded, which never comes here
    addEventListener: noop,
    getElementById: () => null,
    querySelector: () => null,
    querySelectorAll: () => [],
  };
  const window = { crypto: globalThis.crypto, addEventListener: noop, setInterval: noop };
  const context = vm.createContext({ window, document, navigator: {}, console });
  const source = readFileSync(new URL("../../static/js/outbox.js", import.meta.url), "utf8");
  vm.runInContext(source, context);
  return { Outbox: window.Outbox, context };
}

const { Outbox, context } = loadOutbox();
// Arrays made in the vm have that realm's prototype: compare them as plain arrays.
const plain = (list) => Array.from(list);
const bytes = vm.runInContext("new ArrayBuffer(16)", context); // an ArrayBuffer of that realm
const FINDING = "F0000000-0000-4000-8000-000000000001";
const ITEM = "a0000000-0000-4000-8000-000000000002";
const INSPECTION = "B0000000-0000-4000-8000-000000000003";

test("a finding's photo keeps its shape, address and dependency", () => {
  const entry = Outbox.normalise({ finding_uuid: FINDING, photo_uuid: "P1", bytes, type: "image/jpeg" });
  assert.equal(entry.kind, "photo");
  assert.equal(entry.finding_uuid, FINDING.toLowerCase());
  assert.equal(entry.photo_uuid, "p1");
  assert.equal(entry.url, undefined);
  assert.equal(entry.parent_uuid, undefined);
  assert.equal(entry.size, 16);
  assert.equal(Outbox.photoUrl(entry), `/api/v1/findings/${FINDING.toLowerCase()}/photos`);
  assert.deepEqual(plain(Outbox.entryDeps(entry)), [FINDING.toLowerCase()]);
});

test("a photo entry stored by an older page (finding_uuid only) is still sent to its finding", () => {
  const old = { kind: "photo", finding_uuid: "f1", photo_uuid: "p1" };
  assert.equal(Outbox.photoUrl(old), "/api/v1/findings/f1/photos");
  assert.deepEqual(plain(Outbox.entryDeps(old)), ["f1"]);
});

test("an inspection item's photo goes to its own address and waits for the inspection", () => {
  const entry = Outbox.normalise({
    url: `/api/v1/inspection-items/${ITEM}/photos`,
    parent_uuid: ITEM,
    deps: [INSPECTION, null],
    photo_uuid: "P2",
    bytes,
  });
  assert.equal(entry.finding_uuid, undefined);
  assert.equal(entry.parent_uuid, ITEM);
  assert.equal(Outbox.photoUrl(entry), `/api/v1/inspection-items/${ITEM}/photos`);
  assert.deepEqual(plain(Outbox.entryDeps(entry)), [ITEM, INSPECTION.toLowerCase()]);
});

test("photo bytes must be an ArrayBuffer (OFFLINE.md rule 1)", () => {
  assert.throws(() => Outbox.normalise({ finding_uuid: FINDING, bytes: "not bytes" }));
});

test("records: deps lower-cased, own UUID first; where the answer names the UUID", () => {
  const finding = Outbox.normalise({ url: "/api/v1/findings", uuid: FINDING, deps: ["P", null], body: {} });
  assert.equal(finding.kind, "record");
  assert.equal(finding.answer_uuid, undefined);
  assert.deepEqual(plain(Outbox.entryDeps(finding)), [FINDING.toLowerCase(), "p"]);
  const inspection = Outbox.normalise({
    url: "/api/v1/inspections", uuid: INSPECTION, answer_uuid: "inspection.client_uuid", body: {},
  });
  assert.equal(inspection.answer_uuid, "inspection.client_uuid");
  assert.deepEqual(plain(Outbox.entryDeps(inspection)), [INSPECTION.toLowerCase()]);
});

test("the UUID an answer names, at the entry's path", () => {
  assert.equal(Outbox.answeredUuid({ uuid: FINDING }), FINDING.toLowerCase());
  assert.equal(Outbox.answeredUuid({ inspection: { client_uuid: INSPECTION } }, "inspection.client_uuid"),
    INSPECTION.toLowerCase());
  assert.equal(Outbox.answeredUuid({ inspection: null }, "inspection.client_uuid"), "");
  assert.equal(Outbox.answeredUuid({ uuid: INSPECTION }, "inspection.client_uuid"), "");
  assert.equal(Outbox.answeredUuid("<html>Wi-Fi login</html>"), "");
  assert.equal(Outbox.answeredUuid({}), "");
});

// Shared phones: each entry records its maker and goes out only under that user's session.
test("an entry records the maker given, trimmed; none when nobody is signed in", () => {
  const mine = Outbox.normalise({ url: "/api/v1/findings", uuid: FINDING, body: {}, maker: " crew2 " });
  assert.equal(mine.maker, "crew2");
  const photo = Outbox.normalise({ finding_uuid: FINDING, bytes, maker: "crew2" });
  assert.equal(photo.maker, "crew2");
  // This vm page has no #outbox-words block, so no signed-in user: no maker recorded.
  const nobody = Outbox.normalise({ url: "/api/v1/findings", uuid: FINDING, body: {} });
  assert.equal(nobody.maker, undefined);
});

test("entries of another maker are skipped; own (any case) and maker-less ones are sent", () => {
  const entries = [
    { id: 1, kind: "record", uuid: "a", maker: "crew2" },
    { id: 2, kind: "photo", finding_uuid: "a", photo_uuid: "p", maker: "crew2" },
    { id: 3, kind: "record", uuid: "b", maker: "Crew1" },
    { id: 4, kind: "record", uuid: "c" }, // made before makers were recorded
    { id: 5, kind: "record", uuid: "d", maker: "crew3" },
  ];
  const sent = entries.filter((e) => Outbox.sendableBy(e, "crew1")).map((e) => e.id);
  assert.deepEqual(sent, [3, 4]);
  assert.deepEqual(
    JSON.parse(JSON.stringify(Outbox.othersWaiting(entries, " CREW1 "))),
    [{ user: "crew2", records: 1, photos: 1 }, { user: "crew3", records: 1, photos: 0 }],
  );
  // Without a signed-in user (the sign-in page) only maker-less entries count as this page's.
  assert.deepEqual(entries.filter((e) => Outbox.sendableBy(e, "")).map((e) => e.id), [4]);
  assert.equal(Outbox.othersWaiting(entries, "crew2").length, 2);
});
