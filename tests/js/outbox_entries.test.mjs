// Unit tests of static/js/outbox/entries.js: finding photos keep their old shape and address;
// photos of other records (inspection items) carry theirs and wait for the record they belong
// to; each entry records its maker (shared phones); read-back compares what was kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { normalise, ownUuid, photoUrl, sameEntry, summary } from "../../static/js/outbox/entries.js";
import { entryDeps } from "../../static/js/outbox/sync.js";

const bytes = new ArrayBuffer(16);
const FINDING = "F0000000-0000-4000-8000-000000000001";
const ITEM = "a0000000-0000-4000-8000-000000000002";
const INSPECTION = "B0000000-0000-4000-8000-000000000003";

test("a finding's photo keeps its shape, address and dependency", () => {
  const entry = normalise({ finding_uuid: FINDING, photo_uuid: "P1", bytes, type: "image/jpeg" });
  assert.equal(entry.kind, "photo");
  assert.equal(entry.finding_uuid, FINDING.toLowerCase());
  assert.equal(entry.photo_uuid, "p1");
  assert.equal(ownUuid(entry), "p1");
  assert.equal(entry.url, undefined);
  assert.equal(entry.parent_uuid, undefined);
  assert.equal(entry.size, 16);
  assert.equal(entry.attention, null);
  assert.match(entry.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  assert.equal(photoUrl(entry), `/api/v1/findings/${FINDING.toLowerCase()}/photos`);
  assert.deepEqual(entryDeps(entry), [FINDING.toLowerCase()]);
});

test("a photo without its own UUID is given one; EXIF left out is null", () => {
  const entry = normalise({ finding_uuid: FINDING, bytes });
  assert.match(entry.photo_uuid, /^[0-9a-f-]{36}$/);
  assert.equal(entry.type, "image/jpeg");
  assert.equal(entry.stage, "site");
  assert.deepEqual([entry.sha256, entry.exif_taken_at, entry.exif_lon, entry.exif_lat], [null, null, null, null]);
  assert.equal(normalise({ finding_uuid: FINDING, bytes, exif_lon: 0, exif_lat: 0 }).exif_lon, 0);
});

test("a photo entry stored by an older page (finding_uuid only) is still sent to its finding", () => {
  const old = { kind: "photo", finding_uuid: "f1", photo_uuid: "p1" };
  assert.equal(photoUrl(old), "/api/v1/findings/f1/photos");
  assert.deepEqual(entryDeps(old), ["f1"]);
});

test("an inspection item's photo goes to its own address and waits for the inspection", () => {
  const entry = normalise({
    url: `/api/v1/inspection-items/${ITEM}/photos`,
    parent_uuid: ITEM,
    deps: [INSPECTION, null],
    photo_uuid: "P2",
    bytes,
  });
  assert.equal(entry.finding_uuid, undefined);
  assert.equal(entry.parent_uuid, ITEM);
  assert.equal(photoUrl(entry), `/api/v1/inspection-items/${ITEM}/photos`);
  assert.deepEqual(entryDeps(entry), [ITEM, INSPECTION.toLowerCase()]);
});

test("photo bytes must be an ArrayBuffer (OFFLINE.md rule 1)", () => {
  assert.throws(() => normalise({ finding_uuid: FINDING, bytes: "not bytes" }), /ArrayBuffer/);
  assert.throws(() => normalise({ finding_uuid: FINDING, bytes: new Uint8Array(4) }), /ArrayBuffer/);
});

test("records: deps lower-cased, own UUID first; where the answer names the UUID", () => {
  const finding = normalise({ url: "/api/v1/findings", uuid: FINDING, deps: ["P", null], body: {} });
  assert.equal(finding.kind, "record");
  assert.equal(finding.method, "POST");
  assert.equal(finding.answer_uuid, undefined);
  assert.deepEqual(entryDeps(finding), [FINDING.toLowerCase(), "p"]);
  const inspection = normalise({
    url: "/api/v1/inspections", uuid: INSPECTION, answer_uuid: "inspection.client_uuid", body: {},
  });
  assert.equal(inspection.answer_uuid, "inspection.client_uuid");
  assert.deepEqual(entryDeps(inspection), [INSPECTION.toLowerCase()]);
});

test("an entry records the page's user, trimmed, or the maker given; none when nobody is signed in", () => {
  assert.equal(normalise({ url: "/api/v1/findings", uuid: FINDING, body: {} }, " crew1 ").maker, "crew1");
  assert.equal(normalise({ url: "/api/v1/findings", uuid: FINDING, body: {}, maker: " crew2 " }, "crew1").maker, "crew2");
  assert.equal(normalise({ finding_uuid: FINDING, bytes, maker: "crew2" }).maker, "crew2");
  assert.equal(normalise({ url: "/api/v1/findings", uuid: FINDING, body: {} }, "").maker, undefined);
});

test("read-back: the same record body, or a photo with all its bytes, counts as kept", () => {
  const record = normalise({ url: "/api/v1/findings", uuid: FINDING, body: { a: 1 } });
  assert.ok(sameEntry(summary(record), record));
  assert.ok(!sameEntry({ ...record, body: { a: 2 } }, record));
  assert.ok(!sameEntry(undefined, record));
  const photo = normalise({ finding_uuid: FINDING, bytes });
  assert.ok(sameEntry(summary(photo), photo, new ArrayBuffer(16)));
  assert.ok(!sameEntry(summary(photo), photo, new ArrayBuffer(15)));
  assert.ok(!sameEntry(summary(photo), photo, null));
  assert.ok(!sameEntry(record, photo, bytes));
});
