/* Vector tiles of the record layers (findings, hazards, repairs) at low zoom, drawn by the vendored
   protomaps-leaflet on canvas tiles. Below zoom 12 the server sends one dot per 4 × 4 px cell with
   how many records it holds ("count") and the most urgent status among them; a dot grows with its
   count and takes the colours of the GeoJSON layers. map.js decides when a layer uses tiles and
   builds them through window.inspectionTiles; this module runs before it. */

export const FINDING_COLOURS = { open: "#ff8c1a", hazard_raised: "#c0392b", resolved: "#7f8c8d" };
export const HAZARD_COLOURS = {
  reported: "#f2c200",
  rectifying: "#1f6fd1",
  awaiting_verification: "#8e44ad",
  closed: "#2e9e44"
};
export const OVERDUE_COLOUR = "#d7191c";
export const REPAIR_COLOUR = "#0fb5c9";

/* The dot's radius in px: 3 for one record, growing with the logarithm of the count, at most 9. */
export function radius(count) {
  var n = Number(count) > 1 ? Number(count) : 1;
  return Math.min(9, 3 + 1.2 * Math.log2(n));
}

export function colour(layerId, p) {
  if (layerId === "hazards") return p.overdue ? OVERDUE_COLOUR : (HAZARD_COLOURS[p.state] || "#555");
  if (layerId === "findings") return FINDING_COLOURS[p.status] || FINDING_COLOURS.open;
  return REPAIR_COLOUR;
}

/* Fill in a tile URL template ({z}/{y}/{x}) with the layer's filters as its query. */
export function tileUrl(template, params) {
  var query = params && params.toString();
  return template + (query ? "?" + query : "");
}

export function paintRules(layerId, CircleSymbolizer) {
  return [{
    dataLayer: layerId,
    symbolizer: new CircleSymbolizer({
      radius: function (z, f) { return radius(f.props.count); },
      fill: function (z, f) { return colour(layerId, f.props); },
      stroke: "#222",
      width: 1,
      opacity: 0.9
    })
  }];
}

/* Build the Leaflet layer of one record layer's tiles, in its pane. */
export function tileLayer(layerId, url, pane) {
  var P = window.protomapsL;
  return P.leafletLayer({
    url: url,
    pane: pane,
    paintRules: paintRules(layerId, P.CircleSymbolizer),
    labelRules: [],
    attribution: "",
    levelDiff: 0, // one data tile per 256 px tile, as the server cuts them
    maxDataZoom: 22
  });
}

/* The layers' features under a point of the map (a click zooms in on a dot). */
export function dotsAt(layer, latlng) {
  var found = layer.queryTileFeaturesDebug(latlng.lng, latlng.lat, 8);
  var count = 0;
  found.forEach(function (features) { count += features.length; });
  return count;
}

if (typeof window !== "undefined") {
  window.inspectionTiles = { tileLayer: tileLayer, tileUrl: tileUrl, dotsAt: dotsAt };
}
