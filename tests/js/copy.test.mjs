// Unit tests of the copy buttons (static/js/copy.js) on stand-in page objects: the Clipboard
// API, the selection as the fallback, and the button's words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFrom } from "../../static/js/copy.js";

function button() {
  const attrs = { "data-copy": "paragraph", "data-copied": "已复制", "data-failed": "请选中后复制" };
  return {
    textContent: "复制中文段落",
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
    setAttribute: (name, value) => {
      attrs[name] = value;
    },
  };
}

function page({ clipboard, secure = true, execCommand = () => true }) {
  const timers = [];
  const selected = [];
  const env = {
    document: {
      getElementById: (id) => (id === "paragraph" ? { textContent: "  2026年共巡查 1234 公里。 " } : null),
      createRange: () => ({ selectNodeContents: (node) => selected.push(node.textContent.trim()) }),
      execCommand,
    },
    navigator: { clipboard },
    secure,
    getSelection: () => ({ removeAllRanges() {}, addRange() {} }),
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
  };
  return { env, timers, selected };
}

test("the Clipboard API copies the trimmed text; the button says so, then its label again", async () => {
  const copied = [];
  const { env, timers } = page({ clipboard: { writeText: async (text) => copied.push(text) } });
  const b = button();
  assert.equal(await copyFrom(b, env), "copied");
  assert.deepEqual(copied, ["2026年共巡查 1234 公里。"]);
  assert.equal(b.textContent, "已复制");
  assert.equal(timers[0].ms, 2000);
  timers[0].fn();
  assert.equal(b.textContent, "复制中文段落");
});

test("a refused clipboard, or none (plain http), falls back to the selection", async () => {
  const refused = page({ clipboard: { writeText: () => Promise.reject(new Error("denied")) } });
  assert.equal(await copyFrom(button(), refused.env), "copied");
  assert.deepEqual(refused.selected, ["2026年共巡查 1234 公里。"]);
  const insecure = page({ clipboard: { writeText: () => assert.fail("not in plain http") }, secure: false });
  assert.equal(await copyFrom(button(), insecure.env), "copied");
});

test("when nothing copies, the text stays selected and the button says to copy it by hand", async () => {
  const { env, selected } = page({ clipboard: undefined, execCommand: () => { throw new Error("no"); } });
  const b = button();
  assert.equal(await copyFrom(b, env), "failed");
  assert.equal(b.textContent, "请选中后复制");
  assert.equal(selected.length, 1);
  const none = page({ clipboard: undefined, execCommand: () => false });
  assert.equal(await copyFrom(button(), none.env), "failed");
});

test("a button naming nothing does nothing", async () => {
  const b = button();
  b.setAttribute("data-copy", "missing");
  assert.equal(await copyFrom(b, page({}).env), "");
  assert.equal(b.textContent, "复制中文段落");
});
