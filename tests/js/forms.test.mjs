// Unit tests of static/js/lib/forms.js, on a few stand-in nodes (just what the helpers touch):
// errors by field name in place or in the list of others, cleared again; busy buttons; radios.
import { test } from "node:test";
import assert from "node:assert/strict";
import { busy, clearErrors, radioValue, setRadio, show, showErrors } from "../../static/js/lib/forms.js";

/* Simple selectors only: tag, .class, [attr], [attr="value"], :checked, joined by commas. */
function matches(node, selector) {
  return selector.split(",").some((one) => {
    const m = /^\s*(\w+)?(?:\.([\w-]+))?(?:\[([\w-]+)(?:="([^"]*)")?\])?(:checked)?\s*$/.exec(one);
    if (!m) throw new Error(`selector not understood: ${one}`);
    const [, tag, cls, attr, value, checked] = m;
    if (tag && node.tag !== tag) return false;
    if (cls && !node.classList.contains(cls)) return false;
    if (attr && !(attr in node.attrs) && !(attr === "hidden" && node.hidden)) return false;
    if (attr && value !== undefined && node.attrs[attr] !== value) return false;
    if (checked && !node.checked) return false;
    return true;
  });
}

class Node {
  constructor(tag, attrs = {}, children = [], document = null) {
    this.tag = tag;
    this.attrs = { ...attrs };
    this.hidden = "hidden" in attrs;
    this.children = [];
    this.parentElement = null;
    this.textContent = "";
    this.value = attrs.value || "";
    this.checked = "checked" in attrs;
    this.scrolled = 0;
    const classes = new Set((attrs.class || "").split(" ").filter(Boolean));
    this.classList = {
      add: (c) => classes.add(c),
      remove: (c) => classes.delete(c),
      contains: (c) => classes.has(c),
    };
    this.ownerDocument = document || { createElement: (t) => new Node(t, {}, [], this.ownerDocument) };
    children.forEach((child) => this.appendChild(child));
  }
  appendChild(child) {
    child.parentElement = this;
    this.children.push(child);
    return child;
  }
  all() {
    return this.children.flatMap((child) => [child, ...child.all()]);
  }
  querySelectorAll(selector) {
    return this.all().filter((node) => matches(node, selector));
  }
  querySelector(selector) {
    return this.querySelectorAll(selector)[0] || null;
  }
  closest(selector) {
    for (let node = this; node; node = node.parentElement) if (matches(node, selector)) return node;
    return null;
  }
  scrollIntoView() {
    this.scrolled += 1;
  }
}

function page() {
  const error = (name) => new Node("p", { class: "field-error", "data-error-for": name, hidden: "" });
  const stake = error("stake");
  const item = error("item.u1");
  const hiddenSeverity = error("severity");
  const other = new Node("ul", { hidden: "" });
  const form = new Node("form", {}, [
    new Node("div", { class: "field" }, [new Node("input", { name: "stake" }), stake]),
    new Node("div", { class: "walk-item" }, [item]),
    new Node("div", { class: "group", hidden: "" }, [hiddenSeverity]),
    new Node("input", { name: "kind", value: "pothole" }),
    new Node("input", { name: "kind", value: "crack", checked: "" }),
  ]);
  return { form, stake, item, hiddenSeverity, other };
}

test("errors go to their visible places and mark their holders; the rest to the list of others", () => {
  const { form, stake, item, hiddenSeverity, other } = page();
  const placed = showErrors(form, { stake: "桩号格式：K3501+200", severity: "必填", road: "请选择路线" }, { other });
  assert.deepEqual(placed, ["stake"]);
  assert.equal(stake.textContent, "桩号格式：K3501+200");
  assert.equal(stake.hidden, false);
  assert.ok(stake.parentElement.classList.contains("has-error"));
  assert.equal(stake.scrolled, 1); // the first error is brought into view
  assert.equal(hiddenSeverity.hidden, true); // its group is hidden: listed instead
  assert.deepEqual(other.children.map((li) => li.textContent), ["severity: 必填", "road: 请选择路线"]);
  assert.equal(other.hidden, false);
  assert.equal(item.hidden, true);

  clearErrors(form, other);
  assert.equal(stake.hidden, true);
  assert.equal(stake.textContent, "");
  assert.ok(!stake.parentElement.classList.contains("has-error"));
  assert.equal(other.hidden, true);
  assert.equal(other.textContent, "");
});

test("the walk's items: their own holder is marked and scrolled to", () => {
  const { form, item, other } = page();
  showErrors(form, { "item.u1": "请选择结果" }, { other, holders: ".field, .group, .walk-item", scrollToHolder: true });
  assert.equal(item.textContent, "请选择结果");
  assert.ok(item.parentElement.classList.contains("has-error"));
  assert.equal(item.parentElement.scrolled, 1);
});

test("without a list of others, unplaced errors are only not shown (no failure)", () => {
  const { form } = page();
  assert.deepEqual(showErrors(form, { nowhere: "x" }), []);
});

test("notices: text, style and hidden when empty", () => {
  const node = new Node("p", { hidden: "" });
  show(node, "已保存", "ok");
  assert.deepEqual([node.textContent, node.className, node.hidden], ["已保存", "notice notice-ok", false]);
  show(node, "");
  assert.deepEqual([node.textContent, node.className, node.hidden], ["", "notice notice-ok", true]);
  show(node, "x", "");
  assert.equal(node.className, "notice");
});

test("radio groups: read and set by name", () => {
  const { form } = page();
  assert.equal(radioValue(form, "kind"), "crack");
  setRadio(form, "kind", "pothole");
  assert.equal(radioValue(form, "kind"), "pothole");
  setRadio(form, "kind", "");
  assert.equal(radioValue(form, "kind"), "");
});

test("a busy button is disabled while the work runs, and again usable after it, even on failure", async () => {
  const button = { disabled: false };
  let during = null;
  const result = await busy(button, async () => {
    during = button.disabled;
    return 7;
  });
  assert.equal(during, true);
  assert.equal(result, 7);
  assert.equal(button.disabled, false);
  await assert.rejects(busy(button, async () => {
    throw new Error("full");
  }), /full/);
  assert.equal(button.disabled, false);
  await assert.rejects(busy(button, () => {
    throw new Error("at once");
  }), /at once/);
  assert.equal(button.disabled, false);
});
