// Unit tests of static/js/lib/text.js (templates from the server, local times, sizes) and
// static/js/lib/local.js (conveniences in localStorage that never throw).
import { test } from "node:test";
import assert from "node:assert/strict";
import { format, isoLocal, megabytes, showTime } from "../../static/js/lib/text.js";
import { localGet, localSet } from "../../static/js/lib/local.js";

test("templates fill %(name)s and %(name)d; absent names become empty", () => {
  assert.equal(format("待发送：%(records)s 条记录，%(photos)d 张照片", { records: 2, photos: 0 }), "待发送：2 条记录，0 张照片");
  assert.equal(format("%(a)s-%(b)s", { a: "x", b: null }), "x-");
  assert.equal(format(undefined, {}), "");
  assert.equal(format("%(a)s", undefined), "");
});

test("local ISO time carries the phone's offset and agrees with the instant", () => {
  const when = new Date(Date.UTC(2026, 4, 1, 1, 30, 5));
  const text = isoLocal(when);
  assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:05[+-]\d\d:\d\d$/);
  assert.equal(Date.parse(text), when.getTime());
  assert.equal(Date.parse(isoLocal(when.getTime())), when.getTime());
  assert.ok(Math.abs(Date.parse(isoLocal()) - Date.now()) < 2000);
});

test("sizes in MB and GB; times shown even with a language the engine does not know", () => {
  assert.equal(megabytes(null), "?");
  assert.equal(megabytes(5 * 1024 * 1024), "5.0 MB");
  assert.equal(megabytes(3 * 1024 * 1024 * 1024), "3.0 GB");
  assert.ok(showTime(Date.UTC(2026, 4, 1), "zh-CN").length > 0);
  assert.ok(showTime(Date.UTC(2026, 4, 1), "no-such-language-!!").length > 0);
});

test("local conveniences: JSON in and out; null removes; no storage is no error", () => {
  assert.equal(localGet("k"), null); // node has no localStorage
  localSet("k", { a: 1 });
  const items = new Map();
  globalThis.localStorage = {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, v),
    removeItem: (k) => items.delete(k),
  };
  try {
    localSet("inspection.patrol", { uuid: "p1", road: "G30" });
    assert.deepEqual(localGet("inspection.patrol"), { uuid: "p1", road: "G30" });
    localSet("inspection.patrol", null);
    assert.equal(localGet("inspection.patrol"), null);
    items.set("broken", "{not json");
    assert.equal(localGet("broken"), null);
    globalThis.localStorage.setItem = () => {
      throw new Error("QuotaExceededError");
    };
    localSet("full", [1, 2, 3]); // a full storage loses the convenience, silently
  } finally {
    delete globalThis.localStorage;
  }
});
