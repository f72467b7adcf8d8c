/* The "Patrol coverage" map layer (OGC collection patrol_coverage): each stretch coloured by the
   days since it was last patrolled — ≤ 1 day green, ≤ 7 yellow-green, ≤ 30 orange, more or never
   red — and dashed where it was not patrolled at its road class's frequency. map.js reads the
   style, popup rows and pane from window.inspectionMapLayers; this module runs before it. */

export const BANDS = [
  { upTo: 1, name: "fresh", colour: "#1a9850" },
  { upTo: 7, name: "recent", colour: "#a6d96a" },
  { upTo: 30, name: "stale", colour: "#fd8d3c" }
];
export const OLD = { upTo: Infinity, name: "old", colour: "#d7191c" };

export function band(daysSince) {
  if (daysSince === null || daysSince === undefined || !Number.isFinite(daysSince)) return OLD;
  return BANDS.find(function (b) { return daysSince <= b.upTo; }) || OLD;
}

export function style(p) {
  var line = { color: band(p.days_since).colour, weight: 8, opacity: 0.85 };
  if (!p.at_frequency) line.dashArray = "8 6";
  return line;
}

export function rows(p, words) {
  var w = words.coverage || {};
  return [
    [w.passes || "passes", p.passes],
    [w.days || "days", p.days],
    [w.last_patrolled || "last_patrolled", p.last_patrolled || w.never],
    [w.days_since || "days_since", p.days_since === null ? w.never : p.days_since],
    [w.at_frequency || "at_frequency", p.at_frequency ? w.yes : w.no],
    [w.period || "period", p.period_from + " – " + p.period_to]
  ];
}

if (typeof window !== "undefined") {
  window.inspectionMapLayers = Object.assign(window.inspectionMapLayers || {}, {
    patrol_coverage: { style: style, rows: rows, pane: "units" }
  });
}
