/* The patrol page's map: the recorded track (thin, grey) and the covered intervals (thick,
   green), read from the track's GeoJSON. No base map is needed: the lines are the picture. */
import { circleMarker, geoJSON, map as makeMap } from "../vendor/leaflet/leaflet-src.esm.js";

const config = JSON.parse(document.getElementById("track-config").textContent);
const words = config.words;
const statusEl = document.getElementById("map-status");

function say(text) {
  statusEl.textContent = "";
  if (!text) return;
  const span = document.createElement("span");
  span.textContent = text;
  statusEl.appendChild(span);
}

function popup(properties) {
  const box = document.createElement("div");
  const title = document.createElement("strong");
  title.textContent = words.covered + " · " + (words.travel[properties.travel_direction] || "");
  box.appendChild(title);
  for (const text of properties.stakes || []) {
    const line = document.createElement("div");
    line.textContent = text;
    box.appendChild(line);
  }
  return box;
}

export async function showTrack() {
  const map = makeMap(document.getElementById("map"), { minZoom: 3 });
  map.setView([43.8, 87.6], 8);
  let data;
  try {
    const answer = await fetch(config.track_url, { credentials: "same-origin" });
    if (!answer.ok) throw new Error(String(answer.status));
    data = await answer.json();
  } catch (error) {
    say(words.failed);
    return null;
  }
  const track = data.features.filter((f) => f.properties.kind === "track" && f.geometry);
  const covered = data.features.filter((f) => f.properties.kind === "covered");
  const trackLayer = geoJSON(track, { style: { color: "#555", weight: 2, opacity: 0.8 } }).addTo(map);
  const coveredLayer = geoJSON(covered, {
    style: { color: "#1a9850", weight: 7, opacity: 0.6 },
    // A one-point interval is drawn as a small circle rather than a marker image.
    pointToLayer: (feature, latlng) => circleMarker(latlng, { radius: 5, color: "#1a9850" }),
    onEachFeature: (feature, layer) => layer.bindPopup(popup(feature.properties)),
  }).addTo(map);
  const bounds = trackLayer.getBounds();
  if (coveredLayer.getBounds().isValid()) bounds.extend(coveredLayer.getBounds());
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [20, 20] });
    say("");
  } else {
    say(words.no_track);
  }
  return map;
}

showTrack();
