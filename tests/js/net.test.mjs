// Unit tests of static/js/lib/net.js (JSON answers, time limits) and the outbox's pure bits of
// device.js (the export file's bytes) and ui.js (what waits for other users), with a stand-in fetch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fetchWithTimeout, getJson, responseJson } from "../../static/js/lib/net.js";
import { exportDocument, toBase64 } from "../../static/js/outbox/device.js";
import { othersText } from "../../static/js/outbox/ui.js";

function answer(status, body, type = "application/json") {
  return new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status, headers: { "Content-Type": type },
  });
}

test("a JSON answer is read; a page that is not JSON (a Wi-Fi login) is null", async () => {
  assert.deepEqual(await responseJson(answer(200, { uuid: "u" })), { uuid: "u" });
  assert.equal(await responseJson(answer(200, "<html>登录</html>", "text/html")), null);
  assert.equal(await responseJson(answer(200, "{broken", "application/json")), null);
});

test("getJson: status, ok and body, with the session and without the HTTP cache", async () => {
  const real = globalThis.fetch;
  let asked = null;
  globalThis.fetch = async (url, options) => {
    asked = { url, options };
    return answer(404, { error: { code: "not_found" } });
  };
  try {
    assert.deepEqual(await getJson("/api/v1/me"), { status: 404, ok: false, body: { error: { code: "not_found" } } });
    assert.equal(asked.url, "/api/v1/me");
    assert.equal(asked.options.credentials, "same-origin");
    assert.equal(asked.options.cache, "no-store");
    assert.ok(asked.options.signal);
  } finally {
    globalThis.fetch = real;
  }
});

test("a request that takes too long is aborted and rejects", async () => {
  const real = globalThis.fetch;
  let signal = null;
  globalThis.fetch = (url, options) => {
    signal = options.signal;
    return new Promise(() => {}); // never answers
  };
  try {
    await assert.rejects(fetchWithTimeout("/slow", {}, 20), /timeout/);
    assert.equal(signal.aborted, true);
  } finally {
    globalThis.fetch = real;
  }
});

test("the export file keeps photo bytes exactly, in base64, also beyond one chunk", () => {
  const bytes = new Uint8Array(0x8000 * 2 + 5).map((_, i) => (i * 7) & 255);
  assert.equal(toBase64(bytes.buffer), Buffer.from(bytes).toString("base64"));
  assert.equal(toBase64(new ArrayBuffer(0)), "");
  const file = exportDocument([{ id: 1 }], new Date());
  assert.equal(file.version, 1);
  assert.match(file.exported_at, /^\d{4}-/);
  assert.deepEqual(file.entries, [{ id: 1 }]);
});

test("what waits for other users, in the server's words", () => {
  const words = { waiting_for_user: "%(records)s 条记录、%(photos)s 张照片等待 %(user)s" };
  const current = { others: [{ user: "crew2", records: 1, photos: 2 }, { user: "crew3", records: 3, photos: 0 }] };
  assert.equal(othersText(words, current), "1 条记录、2 张照片等待 crew2 3 条记录、0 张照片等待 crew3");
  assert.equal(othersText(words, { others: [] }), "");
});
