/* Distances on the ground between two WGS84 positions {lon, lat} (degrees), as the phone needs
 * them: the nearest sites of a walk, the speed a track point implies. Pure (tests/js/geo.test.mjs).
 * Plain ES2017 (no ?. or ??).
 */

const EARTH_RADIUS_M = 6371008.8; // the mean Earth radius

function radians(degrees) {
  return (degrees * Math.PI) / 180;
}

/* Great-circle distance in metres between two {lon, lat} (haversine, mean Earth radius). */
export function distanceM(a, b) {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
    Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/* Whether a place has a usable position. */
export function hasPoint(place) {
  return Boolean(place) && typeof place.lon === "number" && typeof place.lat === "number" &&
    isFinite(place.lon) && isFinite(place.lat);
}
