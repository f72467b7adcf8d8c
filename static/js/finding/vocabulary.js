/* The kinds of finding and their items, as the new-finding form offers them: the distress types
 * of a pavement (JTG 5210), the items of a subgrade kind, the severities an item is graded in,
 * the unit its quantity is counted in. The vocabulary is the page's (#finding-vocabulary:
 * {kinds, distress: {asphalt: [item], concrete: [item]}, subgrade: {kind: [item]},
 * severity_words}); an item is {code, name, severities: [null | "light" | …], unit, guide}.
 * Pure: node tests it (tests/js/finding_rules.test.mjs). Plain ES2017 (no ?. or ??).
 */

export const PAVEMENT_DISTRESS = "pavement_distress";
export const POTHOLE = "pothole";
export const SAFETY_HAZARD = "safety_hazard";

/* The distress types of a pavement ("asphalt" when none is chosen). */
export function distressItems(vocabulary, pavement) {
  return ((vocabulary || {}).distress || {})[pavement || "asphalt"] || [];
}

/* The items of a subgrade kind (shoulder, slope, drainage), or null for other kinds. */
export function subgradeItems(vocabulary, kind) {
  return ((vocabulary || {}).subgrade || {})[kind] || null;
}

/* The item a finding is of. choice: {pavement, distress, subgrade} (the codes chosen); a
 * pothole is the asphalt distress "pothole"; kinds without items give null. */
export function itemOf(vocabulary, kind, choice) {
  let code;
  let list;
  if (kind === PAVEMENT_DISTRESS) {
    code = choice.distress;
    list = distressItems(vocabulary, choice.pavement);
  } else if (kind === POTHOLE) {
    code = "pothole";
    list = distressItems(vocabulary, "asphalt");
  } else if (subgradeItems(vocabulary, kind)) {
    code = choice.subgrade;
    list = subgradeItems(vocabulary, kind);
  } else {
    return null;
  }
  for (let i = 0; i < list.length; i++) if (list[i].code === code) return list[i];
  return null;
}

/* Whether an item is graded (has severities to choose from). */
export function graded(item) {
  return Boolean(item && item.severities.some(function (s) {
    return s !== null;
  }));
}

/* The severities to offer for an item: [{value, label}] (none for an item that is not graded). */
export function severityChoices(vocabulary, item) {
  if (!graded(item)) return [];
  const names = (vocabulary || {}).severity_words || {};
  return item.severities.filter(function (s) {
    return s !== null;
  }).map(function (s) {
    return { value: s, label: names[s] || s };
  });
}

/* The label of the quantity field: the area for a pothole, else the quantity in the item's unit.
 * words: {area, quantity: "Quantity (%(unit)s)", units: {m2: "m²", …}}; fmt fills a template. */
export function quantityLabel(kind, item, words, fmt) {
  if (kind === POTHOLE) return words.area;
  const unit = item && item.unit ? (words.units || {})[item.unit] || item.unit : "";
  return fmt(words.quantity, { unit: unit });
}

/* Whether a part of the form marked data-kinds="a b" is shown for a kind. */
export function shownFor(kinds, kind) {
  return Boolean(kind) && String(kinds || "").split(" ").indexOf(kind) >= 0;
}

/* The severity a pothole's depth suggests (deeper than 25 mm: heavy), "" without a depth. */
export function severityFromDepth(depth) {
  if (!(depth > 0)) return "";
  return depth > 25 ? "heavy" : "light";
}
