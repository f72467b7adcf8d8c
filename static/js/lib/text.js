/* Words, times and sizes as the phone shows them. Pure: no DOM, so node runs it (tests/js).
 * Plain ES2017 (no ?. or ??) so that older Android WebViews run it.
 */

/* Fill a server-made template: "%(name)s" and "%(name)d" take params[name] ("" when absent). */
export function format(template, params) {
  return String(template || "").replace(/%\((\w+)\)[sd]/g, function (all, name) {
    return params && params[name] !== undefined && params[name] !== null ? String(params[name]) : "";
  });
}

function pad(n) {
  return (n < 10 ? "0" : "") + n;
}

/* ISO 8601 in the phone's local time with its offset, e.g. 2026-05-01T09:30:00+08:00. */
export function isoLocal(date) {
  const d = date instanceof Date ? date : new Date(date === undefined ? Date.now() : date);
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
    pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) +
    sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
}

/* The phone's local date as YYYY-MM-DD. */
export function localDate(date) {
  const d = date instanceof Date ? date : new Date(date === undefined ? Date.now() : date);
  return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
}

/* A short local date and time in the page's language ("5/1 09:30"). */
export function showTime(ms, lang) {
  try {
    return new Date(ms).toLocaleString(lang || undefined, {
      month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
    });
  } catch (error) {
    return new Date(ms).toLocaleString();
  }
}

export function megabytes(bytes) {
  if (bytes === undefined || bytes === null) return "?";
  if (bytes >= 1024 * 1024 * 1024) return (bytes / 1024 / 1024 / 1024).toFixed(1) + " GB";
  return (bytes / 1024 / 1024).toFixed(1) + " MB";
}
