// Unit tests of the pure parts of a hazard's evidence on the phone (static/js/hazard_evidence.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  actionsUrl,
  checkEvidence,
  evidenceEntries,
  hazardKey,
  photoEntries,
  photosUrl,
  waitingOfHazard,
} from "../../static/js/hazard_evidence.js";

const WORDS = new Proxy({}, { get: (_, name) => `<${String(name)}>` });
const photo = (n) => ({ photo_uuid: `p${n}`, bytes: new ArrayBuffer(4), type: "image/jpeg", sha256: "ef" });

test("photos of a hazard go to its address at their stage", () => {
  const [entry] = photoEntries(12, [photo(1)], "before", "YH-2026-0001");
  assert.deepEqual([entry.url, entry.parent_uuid, entry.deps, entry.stage, entry.photo_uuid],
    [photosUrl(12), hazardKey(12), ["hazard-12"], "before", "p1"]);
  assert.equal(photosUrl(12), "/api/v1/hazards/12/photos");
});

test("the evidence: after photos, then the submit naming them under its own UUID", () => {
  const entries = evidenceEntries({ id: 12, version: 3 }, [photo(1), photo(2)], " 已更换 ",
    "CCCCCCCC-0000-4000-8000-000000000003", { photo: "整改后照片", record: "整改证据" });
  assert.deepEqual(entries.map((e) => e.stage || e.method), ["after", "after", "POST"]);
  const action = entries[2];
  const uuid = "cccccccc-0000-4000-8000-000000000003";
  assert.deepEqual(
    [action.url, action.uuid, action.answer_uuid, action.deps, action.label],
    [actionsUrl(12), uuid, "action_uuid", ["p1", "p2"], "整改证据"]);
  assert.deepEqual(action.body, {
    action: "submit", version: 3, note: "已更换", after_photo_ids: ["p1", "p2"], client_uuid: uuid,
  });
});

test("evidence needs a photo and a note", () => {
  assert.deepEqual(checkEvidence([], " ", WORDS), { evidence_photo: "<need_photo>", note: "<required>" });
  assert.deepEqual(checkEvidence([photo(1)], "done", WORDS), {});
});

test("what of a hazard waits on the phone", () => {
  const entries = [
    { kind: "record", url: actionsUrl(12), attention: { message: "stale" } },
    { kind: "photo", url: photosUrl(12), attention: null },
    { kind: "photo", url: photosUrl(13), attention: null },
  ];
  const waiting = waitingOfHazard(entries, 12);
  assert.deepEqual([waiting.actions, waiting.photos, waiting.attention.length], [1, 1, 1]);
});
