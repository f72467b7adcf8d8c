// Unit tests of the pure parts of the phone check page (static/js/diagnostics.js), and of its
// IndexedDB probe on a stand-in database.
import { test } from "node:test";
import assert from "node:assert/strict";
import { answerOf, checkIndexedDb, gpsFailure, isWechatIos } from "../../static/js/diagnostics.js";

const WORDS = {
  yes: "是", no: "否", unknown: "未知",
  not_secure: "不是 https", gps_error: "无法定位：%(reason)s",
};

test("answers in the page's words", () => {
  assert.deepEqual(answerOf(true, WORDS), { word: "是", result: "yes" });
  assert.deepEqual(answerOf(false, WORDS), { word: "否", result: "no" });
  assert.deepEqual(answerOf(null, WORDS), { word: "未知", result: "unknown" });
});

test("WeChat on an iPhone, and only there", () => {
  const wechatIos = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.49";
  const wechatAndroid = "Mozilla/5.0 (Linux; Android 13; Pixel 7) Chrome/116 XWEB/1160065 MicroMessenger/8.0.47";
  const safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Version/17.4 Mobile/15E148 Safari/604.1";
  assert.equal(isWechatIos(wechatIos), true);
  assert.equal(isWechatIos(wechatAndroid), false);
  assert.equal(isWechatIos(safari), false);
});

test("why the GPS gave nothing", () => {
  assert.equal(gpsFailure({ code: 0, message: "unavailable" }, WORDS), "无法定位：不是 https");
  assert.equal(gpsFailure({ code: 1, message: "User denied Geolocation" }, WORDS), "无法定位：User denied Geolocation");
  assert.equal(gpsFailure({ code: 3, message: "" }, WORDS), "无法定位：3");
  assert.equal(gpsFailure(null, WORDS), "无法定位：");
});

/* An IndexedDB that keeps what is put, and answers asynchronously like the real one. */
function fakeIndexedDb({ keep = true } = {}) {
  const data = {};
  const deleted = [];
  const later = (fn) => setTimeout(fn, 0);
  const db = {
    closed: false,
    close() {
      this.closed = true;
    },
    createObjectStore() {},
    transaction() {
      const tx = {
        objectStore: () => ({
          put(value, key) {
            if (keep) data[key] = value;
            later(() => tx.oncomplete && tx.oncomplete());
          },
          get(key) {
            const request = {};
            later(() => {
              request.result = data[key];
              request.onsuccess();
            });
            return request;
          },
        }),
      };
      return tx;
    },
  };
  return {
    db,
    deleted,
    open() {
      const request = { result: db };
      later(() => {
        request.onupgradeneeded();
        request.onsuccess();
      });
      return request;
    },
    deleteDatabase(name) {
      deleted.push(name);
    },
  };
}

test("IndexedDB counts only when bytes written come back; the probe is deleted", async () => {
  const working = fakeIndexedDb();
  assert.equal(await checkIndexedDb(working), true);
  assert.deepEqual(working.deleted, ["inspection-diagnostics"]);
  assert.ok(working.db.closed);
  assert.equal(await checkIndexedDb(fakeIndexedDb({ keep: false })), false);
  assert.equal(await checkIndexedDb(null), false);
  assert.equal(await checkIndexedDb({ open() { throw new Error("SecurityError"); } }), false);
});
