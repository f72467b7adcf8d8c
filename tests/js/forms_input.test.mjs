// Unit tests of the typed values of the phone forms (static/js/lib/forms.js): numbers as typed,
// and an input the GPS may fill in until the crew types into it; on a stand-in input.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  forgetSuggested,
  numberOrNull,
  resetTyping,
  suggest,
  typed,
  watchTyping,
} from "../../static/js/lib/forms.js";

class Input {
  constructor(value = "") {
    this.value = value;
    this.attrs = {};
    this.listeners = {};
  }
  getAttribute(name) {
    return name in this.attrs ? this.attrs[name] : null;
  }
  setAttribute(name, value) {
    this.attrs[name] = String(value);
  }
  removeAttribute(name) {
    delete this.attrs[name];
  }
  addEventListener(type, fn) {
    (this.listeners[type] = this.listeners[type] || []).push(fn);
  }
  type(text) {
    this.value = text;
    (this.listeners.input || []).forEach((fn) => fn({ target: this }));
  }
}

test("typed numbers: empty is none, rubbish is NaN, full-width digits count", () => {
  assert.equal(numberOrNull(""), null);
  assert.equal(numberOrNull("  "), null);
  assert.equal(numberOrNull(null), null);
  assert.equal(numberOrNull(undefined), null);
  assert.equal(numberOrNull("0.6"), 0.6);
  assert.equal(numberOrNull(" 12 "), 12);
  assert.equal(numberOrNull("１２．５"), 12.5);
  assert.equal(numberOrNull(0), 0);
  assert.ok(Number.isNaN(numberOrNull("abc")));
  assert.ok(Number.isNaN(numberOrNull("Infinity")));
});

test("the GPS fills an input until the crew types into it", () => {
  const input = new Input();
  const after = [];
  watchTyping(input, (node) => after.push(node.value));
  assert.equal(suggest(input, "K3505+000"), true);
  assert.equal(input.value, "K3505+000");
  assert.equal(input.getAttribute("data-from-gps"), "yes");
  input.type("K3506+200");
  assert.deepEqual(after, ["K3506+200"]);
  assert.ok(typed(input));
  assert.equal(input.getAttribute("data-from-gps"), null);
  assert.equal(suggest(input, "K3505+000"), false); // a typed stake is the crew's
  assert.equal(input.value, "K3506+200");
  assert.equal(forgetSuggested(input), false); // and a change of road keeps it
  assert.equal(input.value, "K3506+200");
  input.type(""); // emptied: the GPS may fill it again
  assert.ok(!typed(input));
  assert.equal(suggest(input, "K3505+000"), true);
});

test("a suggested value goes when the road changes; a new record forgets both marks", () => {
  const input = new Input();
  suggest(input, "K3505+000");
  assert.equal(forgetSuggested(input), true);
  assert.equal(input.value, "");
  assert.equal(input.getAttribute("data-from-gps"), null);
  input.setAttribute("data-typed", "yes");
  input.setAttribute("data-from-gps", "yes");
  resetTyping(input);
  assert.deepEqual(input.attrs, {});
  watchTyping(input); // without a callback
  input.type("K1+000");
  assert.ok(typed(input));
});
