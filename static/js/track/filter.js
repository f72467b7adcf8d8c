/* Which GPS points of a patrol track are kept on the phone (pure: no window, no DOM).
 *
 * The server refuses the same points (inspection/tracks/kinds.py: MAX_ACCURACY_M, MAX_SPEED_KMH);
 * dropping them here saves the crew's data and keeps a bad fix from becoming the anchor that
 * the next points are measured from.
 *
 * A point is {t: ISO text, ms: epoch milliseconds, lon, lat, accuracy, speed, heading}.
 * Times are sent to the second (isoLocal), and the server keeps one point per patrol and
 * second, so a point is kept only when its second is later than the last kept point's.
 * ES2017 (no ?. or ??), like outbox.js, for older Android WebViews.
 */

import { distanceM } from "../lib/geo.js";

export { distanceM };

export const MAX_ACCURACY_M = 50;
export const MAX_SPEED_KMH = 200;
// After this many points in a row were dropped as too fast from the anchor, while agreeing
// with each other, the anchor was the bad point: the newest of them becomes the anchor.
export const REANCHOR_AFTER = 5;

function second(ms) {
  return Math.floor(ms / 1000);
}

function finite(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/* Speed in km/h that going from `a` to `b` implies (Infinity when no time passed). */
export function impliedKmh(a, b) {
  const seconds = (b.ms - a.ms) / 1000;
  const metres = distanceM(a, b);
  if (seconds <= 0) return metres === 0 ? 0 : Infinity;
  return (metres / seconds) * 3.6;
}

/* Why a point is not kept after `last` (the last kept point, or null): "" when it is kept.
 * "invalid" (no usable position or time), "repeat" (not later than the last kept second),
 * "accuracy" (worse than MAX_ACCURACY_M), "speed" (faster than MAX_SPEED_KMH from `last`). */
export function judge(point, last, options = {}) {
  const maxAccuracy = finite(options.maxAccuracyM) ? options.maxAccuracyM : MAX_ACCURACY_M;
  const maxKmh = finite(options.maxSpeedKmh) ? options.maxSpeedKmh : MAX_SPEED_KMH;
  if (
    !point ||
    !finite(point.lon) ||
    !finite(point.lat) ||
    !finite(point.ms) ||
    Math.abs(point.lon) > 180 ||
    Math.abs(point.lat) > 90
  ) {
    return "invalid";
  }
  if (last && second(point.ms) <= second(last.ms)) return "repeat";
  if (!finite(point.accuracy) || point.accuracy > maxAccuracy) return "accuracy";
  if (last && impliedKmh(last, point) > maxKmh) return "speed";
  return "";
}

/* The filter of one patrol's track: remembers the last kept point and counts the drops.
 * `last` may be given to go on after a reload. Repeats are not counted as dropped: they are
 * the same fix given twice, not a position lost. */
export class TrackFilter {
  constructor({ last = null, maxAccuracyM, maxSpeedKmh } = {}) {
    this.last = last;
    this.options = { maxAccuracyM, maxSpeedKmh };
    this.tooFast = []; // the points dropped as too fast in a row, since the last kept one
  }

  /* Return {keep, reason} for a point and remember it when kept. */
  offer(point) {
    const reason = judge(point, this.last, this.options);
    if (!reason) {
      this.tooFast = [];
      this.last = point;
      return { keep: true, reason: "" };
    }
    if (reason === "speed") return this.tooFastPoint(point);
    return { keep: false, reason };
  }

  tooFastPoint(point) {
    const previous = this.tooFast[this.tooFast.length - 1];
    if (previous && judge(point, previous, this.options)) this.tooFast = [];
    this.tooFast.push(point);
    if (this.tooFast.length >= REANCHOR_AFTER) {
      // The points agree with each other and not with the anchor: the anchor was wrong
      // (a fix whose accuracy was claimed better than it was). Go on from the newest.
      this.tooFast = [];
      this.last = point;
      return { keep: true, reason: "reanchored" };
    }
    return { keep: false, reason: "speed" };
  }
}

/* A browser GeolocationPosition as a track point; `iso` turns epoch ms into ISO text. */
export function pointFromPosition(position, iso) {
  const c = position.coords;
  const ms = finite(position.timestamp) && position.timestamp > 0 ? position.timestamp : Date.now();
  return {
    t: iso(ms),
    ms,
    lon: c.longitude,
    lat: c.latitude,
    accuracy: finite(c.accuracy) ? Math.round(c.accuracy * 10) / 10 : c.accuracy,
    speed: finite(c.speed) ? Math.round(c.speed * 100) / 100 : null,
    heading: finite(c.heading) ? Math.round(c.heading * 10) / 10 : null,
  };
}
