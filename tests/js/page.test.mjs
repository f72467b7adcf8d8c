// Unit tests of static/js/lib/page.js: the page's JSON blocks, and the outbox's facade the
// pages' modules wait for (on stand-in window and document objects).
import { test } from "node:test";
import assert from "node:assert/strict";
import { outboxReady, readJsonBlock } from "../../static/js/lib/page.js";

/* Run fn with globalThis.window and globalThis.document set to stand-ins, then put them back. */
async function withPage(page, fn) {
  const before = { window: globalThis.window, document: globalThis.document };
  globalThis.window = page.window;
  globalThis.document = page.document;
  try {
    return await fn();
  } finally {
    globalThis.window = before.window;
    globalThis.document = before.document;
  }
}

function standIns(readyState, blocks = {}) {
  const listeners = { window: {}, document: {} };
  const on = (where) => (type, fn) => (listeners[where][type] = listeners[where][type] || []).push(fn);
  return {
    listeners,
    fire: (where, type) => (listeners[where][type] || []).forEach((fn) => fn({})),
    window: { addEventListener: on("window") },
    document: {
      readyState,
      addEventListener: on("document"),
      getElementById: (id) => (id in blocks ? { textContent: blocks[id] } : null),
    },
  };
}

test("the facade at once when the outbox module ran first", async () => {
  const page = standIns("interactive");
  page.window.Outbox = { name: "facade" };
  assert.equal(await withPage(page, () => outboxReady()), page.window.Outbox);
});

test("no facade on a page without the outbox (a user who is not a field user)", async () => {
  const page = standIns("interactive");
  assert.equal(await withPage(page, () => outboxReady()), null);
});

test("a page still loading waits for the outbox:ready event", async () => {
  const page = standIns("loading");
  await withPage(page, async () => {
    const ready = outboxReady();
    page.window.Outbox = { name: "late" };
    page.fire("window", "outbox:ready");
    assert.equal(await ready, page.window.Outbox);
  });
});

test("a page still loading without an outbox settles after DOMContentLoaded", async () => {
  const page = standIns("loading");
  await withPage(page, async () => {
    const ready = outboxReady();
    page.fire("document", "DOMContentLoaded");
    assert.equal(await ready, null);
  });
});

test("JSON blocks: parsed, or null when missing or broken", async () => {
  const page = standIns("complete", { words: '{"saved": "已保存"}', broken: "{" });
  await withPage(page, () => {
    assert.deepEqual(readJsonBlock("words"), { saved: "已保存" });
    assert.equal(readJsonBlock("broken"), null);
    assert.equal(readJsonBlock("missing"), null);
  });
});
