// Unit tests of static/js/lib/exif.js with small JPEGs built here, byte by byte: the time the
// photo was taken (with its offset) and its GPS position, in both byte orders; nothing (and no
// error) from photos without EXIF or with broken EXIF.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readExif } from "../../static/js/lib/exif.js";

const NOTHING = { taken_at: null, lon: null, lat: null };

/* A JPEG whose APP1 holds DateTimeOriginal, OffsetTimeOriginal (unless offset is null) and GPS. */
function jpegWithExif({
  little = false, date = "2026:05:01 09:30:15", offset = "+08:00", latRef = "N", lonRef = "E", app0 = false,
} = {}) {
  const tiff = [];
  const t16 = (v) => (little ? tiff.push(v & 255, (v >> 8) & 255) : tiff.push((v >> 8) & 255, v & 255));
  const t32 = (v) => (little
    ? tiff.push(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255)
    : tiff.push((v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255));
  const ascii = (s) => [...s].map((c) => c.charCodeAt(0)).concat([0]);
  const dateBytes = ascii(date);
  const offsetBytes = offset === null ? [] : ascii(offset);
  const exifCount = offset === null ? 1 : 2;
  // Offsets from the TIFF header: IFD0 at 8 with 2 entries (ExifIFD, GPSIFD), then the Exif IFD,
  // its strings, the GPS IFD and its rationals.
  const ifd0 = 8;
  const exifIfd = ifd0 + 2 + 2 * 12 + 4;
  const exifData = exifIfd + 2 + exifCount * 12 + 4;
  let gpsIfd = exifData + dateBytes.length + offsetBytes.length;
  const padding = gpsIfd % 2;
  gpsIfd += padding;
  const gpsData = gpsIfd + 2 + 4 * 12 + 4;
  tiff.push(...(little ? [0x49, 0x49] : [0x4d, 0x4d]));
  t16(42); t32(ifd0);
  t16(2);
  t16(0x8769); t16(4); t32(1); t32(exifIfd);
  t16(0x8825); t16(4); t32(1); t32(gpsIfd);
  t32(0);
  t16(exifCount);
  t16(0x9003); t16(2); t32(dateBytes.length); t32(exifData);
  if (offset !== null) {
    t16(0x9011); t16(2); t32(offsetBytes.length); t32(exifData + dateBytes.length);
  }
  t32(0);
  tiff.push(...dateBytes, ...offsetBytes, ...(padding ? [0] : []));
  const ref = (c) => [c.charCodeAt(0), 0, 0, 0];
  t16(4);
  t16(1); t16(2); t32(2); tiff.push(...ref(latRef));
  t16(2); t16(5); t32(3); t32(gpsData);
  t16(3); t16(2); t32(2); tiff.push(...ref(lonRef));
  t16(4); t16(5); t32(3); t32(gpsData + 24);
  t32(0);
  for (const [num, den] of [[43, 1], [52, 1], [1234, 100], [87, 1], [37, 1], [3, 1]]) { t32(num); t32(den); }
  const out = [0xff, 0xd8];
  if (app0) out.push(0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0); // JFIF first
  const length = 2 + 6 + tiff.length;
  out.push(0xff, 0xe1, (length >> 8) & 255, length & 255, 0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff);
  out.push(0xff, 0xd9);
  return new Uint8Array(out).buffer;
}

test("EXIF time with its offset and GPS position are read from a big-endian (Motorola) JPEG", () => {
  assert.deepEqual(readExif(jpegWithExif()), { taken_at: "2026-05-01T09:30:15+08:00", lat: 43.8700944, lon: 87.6175 });
});

test("the same from a little-endian (Intel) JPEG whose EXIF follows a JFIF segment", () => {
  assert.deepEqual(readExif(jpegWithExif({ little: true, app0: true })),
    { taken_at: "2026-05-01T09:30:15+08:00", lat: 43.8700944, lon: 87.6175 });
});

test("south and west are negative; a time without its offset stays a local time", () => {
  const exif = readExif(jpegWithExif({ latRef: "S", lonRef: "W", offset: null }));
  assert.equal(exif.taken_at, "2026-05-01T09:30:15");
  assert.equal(exif.lat, -43.8700944);
  assert.equal(exif.lon, -87.6175);
});

test("a camera's blank date ('0000:00:00') and a malformed offset are left out", () => {
  assert.equal(readExif(jpegWithExif({ date: "0000:00:00 00:00:00" })).taken_at, null);
  assert.equal(readExif(jpegWithExif({ offset: "08:00 " })).taken_at, "2026-05-01T09:30:15");
});

test("no EXIF, not a JPEG, or cut short: nothing, and no error", () => {
  assert.deepEqual(readExif(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer), NOTHING);
  assert.deepEqual(readExif(new Uint8Array([1, 2, 3]).buffer), NOTHING);
  assert.deepEqual(readExif(new ArrayBuffer(0)), NOTHING);
  const whole = new Uint8Array(jpegWithExif());
  for (const cut of [6, 20, 40, 90, whole.length - 60]) {
    const exif = readExif(whole.slice(0, cut).buffer);
    assert.equal(typeof exif, "object", `cut at ${cut}`);
  }
  assert.deepEqual(readExif(whole.slice(0, 20).buffer), NOTHING);
});
