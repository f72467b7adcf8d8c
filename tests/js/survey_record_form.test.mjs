// Unit tests of the pure parts of the survey record form (static/js/survey_record_form.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  chainageOf,
  checkRecord,
  photosUrl,
  recordBody,
  recordEntries,
  recordsUrl,
  waitingOfUnit,
} from "../../static/js/survey_record_form.js";

const UUID = "BBBBBBBB-0000-4000-8000-000000000002";
const WORDS = new Proxy({}, { get: (_, name) => `<${String(name)}>` });
const CONTEXT = {
  campaign_id: 7,
  unit_id: 42,
  start_chainage: 3502000,
  end_chainage: 3503000,
  items: [
    { code: "alligator_cracking", family: "pavement", severities: ["light", "medium", "heavy"] },
    { code: "bleeding", family: "pavement", severities: [null] },
    { code: "slope_collapse", family: "subgrade", severities: ["light", "medium", "heavy"] },
  ],
};

test("stakes become chainage", () => {
  assert.equal(chainageOf("K3502+400"), 3502400);
  assert.equal(chainageOf("k3502 + 400.5"), 3502400.5);
  assert.ok(Number.isNaN(chainageOf("3502")));
});

test("the body names its unit, family and client UUID", () => {
  const body = recordBody({ item_code: "slope_collapse", severity: "heavy", quantity: "2",
    stake: "k3502+400", note: " 右侧 " }, CONTEXT, UUID);
  assert.deepEqual(body, {
    client_uuid: UUID, unit_id: 42, item_code: "slope_collapse", severity: "heavy", quantity: 2,
    stake: "K3502+400", note: "右侧", family: "subgrade",
  });
  assert.deepEqual(checkRecord(body, CONTEXT, WORDS), {});
  const ungraded = recordBody({ item_code: "bleeding", quantity: "0" }, CONTEXT, UUID);
  assert.deepEqual(checkRecord(ungraded, CONTEXT, WORDS), {});
});

test("what the phone can tell is named field by field", () => {
  assert.deepEqual(checkRecord(recordBody({ quantity: "" }, CONTEXT, UUID), CONTEXT, WORDS),
    { item_code: "<choose_item>", quantity: "<required>" });
  assert.deepEqual(
    checkRecord(recordBody({ item_code: "alligator_cracking", quantity: "-1", stake: "K3504+000" },
      CONTEXT, UUID), CONTEXT, WORDS),
    { severity: "<required>", quantity: "<not_negative>", stake: "<not_in_unit>" });
  assert.deepEqual(
    checkRecord(recordBody({ item_code: "bleeding", severity: "heavy", quantity: "x", stake: "K35" },
      CONTEXT, UUID), CONTEXT, WORDS),
    { severity: "<required>", quantity: "<not_negative>", stake: "<stake_format>" });
});

test("entries: the record, then its photos at the record's UUID address", () => {
  const body = recordBody({ item_code: "bleeding", quantity: "3" }, CONTEXT, UUID);
  const photo = { photo_uuid: "p1", bytes: new ArrayBuffer(4), type: "image/jpeg", sha256: "cd" };
  const [record, first] = recordEntries(7, body, [photo], "G30 单元 3: 泛油, 3", "照片");
  const own = UUID.toLowerCase();
  assert.deepEqual([record.url, record.uuid, record.answer_uuid, record.deps], [recordsUrl(7), own, "uuid", []]);
  assert.equal(recordsUrl(7), "/api/v1/surveys/7/records");
  assert.equal(first.url, `/api/v1/surveys/records/by-uuid/${own}/photos`);
  assert.equal(first.url, photosUrl(own));
  assert.deepEqual([first.parent_uuid, first.deps, first.stage, first.label], [own, [own], "site", "照片"]);
});

test("the waiting records of one unit", () => {
  const entries = [
    { kind: "record", uuid: "a", url: recordsUrl(7), body: { unit_id: 42 } },
    { kind: "record", uuid: "b", url: recordsUrl(7), body: { unit_id: 43 } },
    { kind: "record", uuid: "c", url: recordsUrl(8), body: { unit_id: 42 } },
    { kind: "photo", photo_uuid: "p", url: photosUrl("a") },
  ];
  assert.deepEqual(waitingOfUnit(entries, 7, 42).map((e) => e.uuid), ["a"]);
});
