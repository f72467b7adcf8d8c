/* Where the phone is: the raw GPS fix (WGS84, as the browser gives it: OFFLINE.md rule 8) and the
 * stake the server derives from it. Plain ES2017 (no ?. or ??).
 */
import { isoLocal } from "./text.js";
import { getJson } from "./net.js";

/* The fix as the outbox keeps it: {lon, lat, accuracy (m, one decimal), at (local ISO time)}. */
export function fixOf(p) {
  return {
    lon: p.coords.longitude,
    lat: p.coords.latitude,
    accuracy: Math.round(p.coords.accuracy * 10) / 10,
    at: isoLocal(p.timestamp || Date.now()),
  };
}

/* The phone's position; rejects with the GeolocationPositionError ({code: 0} when there is no
 * geolocation, e.g. outside a secure context). */
export function position(maxAgeMs) {
  return new Promise(function (resolve, reject) {
    if (!globalThis.isSecureContext || !globalThis.navigator || !navigator.geolocation) {
      reject({ code: 0, message: "unavailable" });
      return;
    }
    navigator.geolocation.getCurrentPosition(function (p) {
      resolve(fixOf(p));
    }, reject, { enableHighAccuracy: true, timeout: 20000, maximumAge: maxAgeMs || 0 });
  });
}

/* The server's candidates on the road and direction asked for (any when no road is given). */
export function matchCandidates(candidates, road, direction) {
  return (candidates || []).filter(function (c) {
    return !road || (c.road === road && (!direction || direction === "both" ||
      c.direction === direction || c.direction === "both"));
  });
}

/* Ask the server which stake of a road a fix lies at: {candidate, status, message}; rejects when
 * there is no connection (or no answer the phone can read). */
export function locate(fix, road, direction, get) {
  const url = "/api/v1/locate?lon=" + encodeURIComponent(fix.lon) + "&lat=" + encodeURIComponent(fix.lat) +
    (road ? "&road=" + encodeURIComponent(road) : "");
  return (get || getJson)(url).then(function (answer) {
    if (answer.ok && answer.body && answer.body.candidates) {
      const matching = matchCandidates(answer.body.candidates, road, direction);
      return { candidate: matching[0] || null, status: answer.status, message: "" };
    }
    if (!answer.body) throw new Error("no answer from the server");
    const error = answer.body.error || {};
    return { candidate: null, status: answer.status, message: error.message || "" };
  });
}
