/* Walking a survey unit: once an item is picked, offer only its severities and show the unit its
 * quantity is counted in. The form works without this script; the server checks everything.
 * The pure parts (severityView, unitWord) are tested in tests/js/survey_unit.test.mjs. Plain ES2017.
 */
import { readJsonBlock } from "./lib/page.js";
import { radioValue } from "./lib/forms.js";

/* What the form offers for an item ({severities: [null | "light" | …], guide}): {allowed: the
 * severities, "" standing for none; graded: whether one must be chosen; guide}. */
export function severityView(item) {
  const allowed = item.severities.map(function (s) {
    return s === null ? "" : s;
  });
  return { allowed: allowed, graded: allowed.indexOf("") === -1, guide: item.guide || "" };
}

/* The word of the unit an item's quantity is counted in at a severity (item.units: {severity:
 * unit code}; the first severity's without one chosen), "" when it has none. */
export function unitWord(item, severity, unitWords) {
  const unit = item.units[severity || ""] || item.units[severityView(item).allowed[0]];
  return unit ? (unitWords || {})[unit] || unit : "";
}

function start() {
  const form = document.getElementById("record-form");
  const vocabulary = readJsonBlock("survey-vocabulary");
  if (!form || !vocabulary) return;
  const items = {};
  (vocabulary.items || []).forEach(function (item) {
    items[item.code] = item;
  });
  const guide = document.getElementById("severity-guide");
  const unitLabel = document.getElementById("quantity-unit");
  const group = document.getElementById("severity-group");

  function update() {
    const item = items[radioValue(form, "item_code")];
    if (!item) return;
    const view = severityView(item);
    form.querySelectorAll("[data-severity]").forEach(function (label) {
      const value = label.getAttribute("data-severity");
      const ok = view.allowed.indexOf(value) !== -1;
      label.hidden = !ok;
      const input = label.querySelector("input");
      if (!ok && input.checked) input.checked = false;
      if (!view.graded && value === "") input.checked = true;
    });
    group.hidden = !view.graded;
    guide.textContent = view.guide;
    guide.hidden = !view.guide;
    const unit = unitWord(item, radioValue(form, "severity"), vocabulary.units);
    unitLabel.textContent = unit ? "(" + unit + ")" : "";
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "item_code" || event.target.name === "severity") update();
  });
  update();
}

if (typeof document !== "undefined") start();
