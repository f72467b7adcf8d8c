// Unit tests of the pure parts of the inspection walk page (static/js/walk_core.js): sites,
// templates, the checklist, the record and its outbox entries.
// Run by `node --test tests/js/` (tests/unit/test_js.py runs it under pytest, so `make test` does).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as Core from "../../static/js/walk_core.js";
import { distanceM } from "../../static/js/lib/geo.js";
import { localDate } from "../../static/js/lib/text.js";

const TOLL = { id: 1, name: "乌鲁木齐收费站", kind: "toll_station", lon: 87.6168, lat: 43.8256 };
const DEPOT = { id: 2, name: "米东养护工区", kind: "maintenance_depot", lon: 87.70, lat: 43.95 };
const SERVICE = { id: 3, name: "达坂城服务区", kind: "service_area", lon: 88.30, lat: 43.36 };

test("distance between two points in metres", () => {
  // One degree of latitude is about 111.2 km.
  const d = distanceM({ lon: 87, lat: 43 }, { lon: 87, lat: 44 });
  assert.ok(Math.abs(d - 111195) < 50, String(d));
  assert.equal(distanceM(TOLL, TOLL), 0);
});

test("sites nearest first from the fix, with their distance", () => {
  const fix = { lon: 87.71, lat: 43.94 };
  const sorted = Core.sortSites([SERVICE, TOLL, DEPOT], fix);
  assert.deepEqual(sorted.map((s) => s.id), [2, 1, 3]);
  assert.ok(sorted[0].distance_m < 2000);
  // The originals are left as they were.
  assert.equal(DEPOT.distance_m, undefined);
});

test("without a fix, or without a point, sites go by name after those with a distance", () => {
  const byName = Core.sortSites([TOLL, SERVICE, DEPOT], null);
  assert.ok(byName.every((s) => s.distance_m === null));
  assert.equal(byName.length, 3);
  const noPoint = { id: 9, name: "A 无坐标", kind: "other" };
  const mixed = Core.sortSites([noPoint, TOLL], { lon: 87.6, lat: 43.8 });
  assert.deepEqual(mixed.map((s) => s.id), [1, 9]);
});

test("the server's newer list wins, adds new sites, and drops inactive ones", () => {
  const newer = [
    { ...TOLL, name: "乌鲁木齐东收费站" },
    { id: 4, name: "新工区", kind: "maintenance_depot", lon: 87.5, lat: 43.7 },
    { ...SERVICE, active: false },
  ];
  const merged = Core.mergeSites([TOLL, DEPOT, SERVICE], newer);
  assert.deepEqual(merged.map((s) => s.id), [1, 2, 4]);
  assert.equal(merged[0].name, "乌鲁木齐东收费站");
  assert.deepEqual(Core.mergeSites(null, undefined), []);
});

test("distances shown in m and km", () => {
  assert.equal(Core.showDistance(null), "");
  assert.equal(Core.showDistance(42.4), "42 m");
  assert.equal(Core.showDistance(1440), "1.4 km");
  assert.equal(Core.showDistance(36400), "36 km");
});

test("a kind's templates first, then those for any kind; inactive and empty ones left out", () => {
  const item = { section: "fire_safety", name: "x", hazard_category: "fire_safety" };
  const templates = [
    { id: 1, name: "综合", kind: null, active: true, items: [item] },
    { id: 2, name: "季节性", kind: "seasonal", active: true, items: [item] },
    { id: 3, name: "旧表", kind: "seasonal", active: false, items: [item] },
    { id: 4, name: "空表", kind: "routine", active: true, items: [] },
  ];
  assert.deepEqual(Core.templatesForKind(templates, "seasonal").map((t) => t.id), [2, 1]);
  assert.deepEqual(Core.templatesForKind(templates, "routine").map((t) => t.id), [1]);
});

test("local date as YYYY-MM-DD", () => {
  assert.equal(localDate(new Date(2026, 0, 5, 23, 59)), "2026-01-05");
});

const LINES = [
  { uuid: "a0000000-0000-4000-8000-000000000001", section: "fire_safety", name: "灭火器", hazard_category: "fire_safety" },
  { uuid: "a0000000-0000-4000-8000-000000000002", section: "electricity", name: "配电箱", hazard_category: "electrical" },
  { uuid: "a0000000-0000-4000-8000-000000000003", section: "office_living", name: "食堂燃气", hazard_category: "office_living" },
];

function walk(answers) {
  return {
    uuid: "b0000000-0000-4000-8000-00000000000b",
    kind: "routine",
    theme: "",
    default_theme: "日常检查 乌鲁木齐收费站",
    today: "2026-05-01",
    site: TOLL,
    template: { id: 7, name: "综合" },
    leader_id: 12,
    lines: LINES,
    answers,
  };
}

test("every item must be answered, and kind, template and site chosen", () => {
  const errors = Core.check({ ...walk({ [LINES[0].uuid]: { result: "meets" } }), site: null, template: null });
  assert.deepEqual(Object.keys(errors).sort(), [
    `item.${LINES[1].uuid}`, `item.${LINES[2].uuid}`, "site", "template",
  ]);
  const bogus = Core.check(walk({
    [LINES[0].uuid]: { result: "meets" },
    [LINES[1].uuid]: { result: "maybe" },
    [LINES[2].uuid]: { result: "not_applicable" },
  }));
  assert.deepEqual(Object.keys(bogus), [`item.${LINES[1].uuid}`]);
});

test("the record: one site, today, every item at the site, a grade only for unmet items", () => {
  const body = Core.buildBody(walk({
    [LINES[0].uuid]: { result: "meets", note: "  ok ", checked_at: "2026-05-01T09:00:00+08:00" },
    [LINES[1].uuid]: { result: "does_not_meet", note: "箱门未锁", grade: "major" },
    [LINES[2].uuid]: { result: "does_not_meet", grade: "bogus" },
  }));
  assert.equal(body.client_uuid, "b0000000-0000-4000-8000-00000000000b");
  assert.equal(body.kind, "routine");
  assert.equal(body.theme, "日常检查 乌鲁木齐收费站"); // empty theme → the default
  assert.equal(body.started_on, "2026-05-01");
  assert.equal(body.ended_on, "2026-05-01");
  assert.deepEqual(body.site_ids, [1]);
  assert.equal(body.template_id, 7);
  assert.equal(body.leader_user_id, 12);
  assert.equal(body.items.length, 3);
  assert.deepEqual(body.items[0], {
    client_uuid: LINES[0].uuid,
    section: "fire_safety",
    name: "灭火器",
    hazard_category: "fire_safety",
    result: "meets",
    note: "ok",
    site_id: 1,
    checked_at: "2026-05-01T09:00:00+08:00",
  });
  assert.equal(body.items[1].grade, "major");
  assert.equal(body.items[2].grade, "general");
  assert.equal(body.items[2].checked_at, undefined);
  assert.ok(!("grade" in body.items[0]));
  assert.equal(Core.buildBody({ ...walk({}), theme: " 节前检查 " }).theme, "节前检查");
});

test("outbox entries: the record first, then each photo waiting for it at its item's address", () => {
  const body = Core.buildBody(walk({
    [LINES[0].uuid]: { result: "meets" },
    [LINES[1].uuid]: { result: "does_not_meet" },
    [LINES[2].uuid]: { result: "does_not_meet" },
  }));
  const bytes = new ArrayBuffer(8);
  const photo = (n) => ({ photo_uuid: `c000000${n}-0000-4000-8000-000000000000`, bytes, type: "image/jpeg", sha256: "ab" });
  const entries = Core.outboxEntries(
    body,
    { [LINES[1].uuid]: [photo(1)], [LINES[2].uuid]: [photo(2), photo(3)], unknown: [photo(4)] },
    "检查 乌鲁木齐收费站 2026-05-01",
    (item) => `照片 ${item.name}`,
  );
  assert.equal(entries.length, 4);
  const [record, ...photos] = entries;
  assert.equal(record.url, "/api/v1/inspections");
  assert.equal(record.method, "POST");
  assert.equal(record.uuid, body.client_uuid);
  assert.equal(record.answer_uuid, "inspection.client_uuid");
  assert.equal(record.body, body);
  assert.deepEqual(photos.map((p) => p.photo_uuid[7]), ["1", "2", "3"]);
  for (const p of photos) {
    assert.deepEqual(p.deps, [body.client_uuid]);
    assert.equal(p.url, `/api/v1/inspection-items/${p.parent_uuid}/photos`);
    assert.equal(p.bytes, bytes);
    assert.equal(p.stage, "site");
  }
  assert.equal(photos[0].parent_uuid, LINES[1].uuid);
  assert.equal(photos[0].label, "照片 配电箱");
});

test("tally of answers", () => {
  assert.deepEqual(Core.tally(LINES, {
    [LINES[0].uuid]: { result: "meets" },
    [LINES[1].uuid]: { result: "does_not_meet" },
  }), { meets: 1, does_not_meet: 1, not_applicable: 0, open: 1 });
});

test("a walk is waiting while its record or photos are in the outbox, then sent", () => {
  const uuid = "B0000000-0000-4000-8000-00000000000B";
  const own = uuid.toLowerCase();
  const record = { kind: "record", uuid: own, attention: null };
  const photo = { kind: "photo", photo_uuid: "p", parent_uuid: "i", deps: [own], attention: null };
  assert.equal(Core.walkState(uuid, [record, photo], null), "waiting");
  assert.equal(Core.walkState(uuid, [photo], null), "waiting");
  assert.equal(Core.walkState(uuid, [{ ...record, attention: { message: "x" } }, photo], null), "attention");
  assert.equal(Core.walkState(uuid, [], 1700000000000), "sent");
  assert.equal(Core.walkState(uuid, [{ kind: "record", uuid: "other" }], null), "");
});

test("the server's site list, as JSON or GeoJSON; anything else is no list", () => {
  assert.deepEqual(Core.serverSites({ sites: [TOLL] }), [TOLL]);
  const geojson = {
    type: "FeatureCollection",
    features: [{
      id: 1,
      geometry: { type: "Point", coordinates: [87.6168, 43.8256] },
      properties: { name: "乌鲁木齐收费站", kind: "toll_station", kind_label: "收费站" },
    }],
  };
  assert.deepEqual(Core.serverSites(geojson), [{
    id: 1, name: "乌鲁木齐收费站", kind: "toll_station", kind_label: "收费站",
    lon: 87.6168, lat: 43.8256, active: undefined,
  }]);
  assert.equal(Core.serverSites(null), null);
  assert.equal(Core.serverSites({ error: { code: "x" } }), null);
});

test("the chooser's list: the page's sites with the phone's last server answer, nearest first", () => {
  const fix = { lon: 87.71, lat: 43.94 };
  const stored = { at: 1, sites: [{ ...DEPOT, name: "米东工区" }, { ...SERVICE, active: false }] };
  const arranged = Core.arrangeSites([TOLL, SERVICE, DEPOT], stored, fix);
  assert.deepEqual(arranged.map((s) => s.id), [2, 1]);
  assert.equal(arranged[0].name, "米东工区");
  assert.deepEqual(Core.arrangeSites(null, null, null), []);
  assert.deepEqual(Core.arrangeSites([TOLL], { at: 1 }, null).map((s) => s.id), [1]);
});

test("a site's label and detail line; the address of the sites near a fix", () => {
  assert.equal(Core.siteLabel({ name: "乌鲁木齐收费站", kind_label: "收费站" }), "乌鲁木齐收费站 · 收费站");
  assert.equal(Core.siteLabel({ name: "无类" }), "无类");
  const words = (distance) => `距离 ${distance}`;
  assert.equal(Core.siteDetail({ kind_label: "收费站", distance_m: 120 }, words), "收费站 · 距离 120 m");
  assert.equal(Core.siteDetail({ kind_label: "", distance_m: null }, words), "");
  assert.equal(Core.siteDetail({ distance_m: 1440 }, words), "距离 1.4 km");
  assert.equal(Core.nearUrl({ lon: 87.6168, lat: 43.8256 }), "/api/v1/sites?near=87.616800%2C43.825600");
});

test("a template's lines each get a fresh UUID; a draft is taken up only for its own template", () => {
  let n = 0;
  const template = {
    id: 7,
    items: [
      { section: "fire_safety", section_label: "消防", name: "灭火器", hazard_category: "fire_safety" },
      { section: "electricity", section_label: "用电", name: "配电箱", hazard_category: "electrical" },
    ],
  };
  const lines = Core.linesOf(template, () => `u${++n}`);
  assert.deepEqual(lines.map((l) => [l.uuid, l.section, l.section_label, l.name]), [
    ["u1", "fire_safety", "消防", "灭火器"],
    ["u2", "electricity", "用电", "配电箱"],
  ]);
  assert.deepEqual(Core.linesOf(null, () => "x"), []);
  assert.equal(Core.draftFits({ template: "7", lines }, template), true);
  assert.equal(Core.draftFits({ template: "8", lines }, template), false);
  assert.equal(Core.draftFits({ template: "7", lines: lines.slice(1) }, template), false);
  assert.equal(Core.draftFits(null, template), false);
  assert.equal(Core.draftFits({ template: "7", lines }, null), false);
});

test("a checklist counts as begun once anything is answered, written or photographed", () => {
  const blank = { result: "", note: "", grade: "general" };
  assert.equal(Core.answered({ a: blank, b: blank }, {}), false);
  assert.equal(Core.answered({ a: blank, b: { ...blank, result: "meets" } }, {}), true);
  assert.equal(Core.answered({ a: { ...blank, note: "门锁坏" } }, {}), true);
  assert.equal(Core.answered({ a: blank }, { a: [{ photo_uuid: "p" }] }), true);
  assert.equal(Core.answered({ a: blank }, { a: [] }), false);
  assert.equal(Core.answered(undefined, undefined), false);
});

test("an unmet item shows its note and photos; the others once opened or filled in", () => {
  assert.equal(Core.itemOpen({ result: "does_not_meet" }, false, 0), true);
  assert.equal(Core.itemOpen({ result: "meets" }, false, 0), false);
  assert.equal(Core.itemOpen({ result: "meets" }, true, 0), true);
  assert.equal(Core.itemOpen({ result: "not_applicable", note: "停用" }, false, 0), true);
  assert.equal(Core.itemOpen({ result: "meets" }, false, 2), true);
});
