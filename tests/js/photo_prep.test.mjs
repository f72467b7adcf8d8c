// Unit tests of static/js/photo_prep.js parts that need no canvas: EXIF reading and SHA-256.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const PhotoPrep = require("../../static/js/photo_prep.js");

/* A minimal big-endian JPEG whose APP1 holds DateTimeOriginal, OffsetTimeOriginal and GPS. */
function jpegWithExif() {
  const out = [];
  const u16 = (v) => out.push((v >> 8) & 255, v & 255);
  const u32 = (v) => out.push((v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255);
  const tiff = [];
  const t16 = (v) => tiff.push((v >> 8) & 255, v & 255);
  const t32 = (v) => tiff.push((v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255);
  const ascii = (s) => [...s].map((c) => c.charCodeAt(0)).concat([0]);
  // Layout (offsets from the TIFF header): IFD0 at 8 with 2 entries (ExifIFD, GPSIFD).
  const ifd0 = 8;
  const exifIfd = ifd0 + 2 + 2 * 12 + 4; // 38
  const exifData = exifIfd + 2 + 2 * 12 + 4; // 68
  const date = ascii("2026:05:01 09:30:15"); // 20 bytes
  const offset = ascii("+08:00"); // 7 bytes
  const gpsIfd = exifData + date.length + offset.length + 1; // even
  const gpsData = gpsIfd + 2 + 4 * 12 + 4;
  t16(0x4d4d); t16(42); t32(ifd0);
  t16(2);
  t16(0x8769); t16(4); t32(1); t32(exifIfd);
  t16(0x8825); t16(4); t32(1); t32(gpsIfd);
  t32(0);
  t16(2);
  t16(0x9003); t16(2); t32(date.length); t32(exifData);
  t16(0x9011); t16(2); t32(offset.length); t32(exifData + date.length);
  t32(0);
  tiff.push(...date, ...offset, 0);
  t16(4);
  t16(1); t16(2); t32(2); tiff.push(78, 0, 0, 0); // N
  t16(2); t16(5); t32(3); t32(gpsData);
  t16(3); t16(2); t32(2); tiff.push(69, 0, 0, 0); // E
  t16(4); t16(5); t32(3); t32(gpsData + 24);
  t32(0);
  for (const [num, den] of [[43, 1], [52, 1], [1234, 100], [87, 1], [37, 1], [3, 1]]) { t32(num); t32(den); }
  u16(0xffd8);
  u16(0xffe1); u16(2 + 6 + tiff.length);
  out.push(0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff);
  u16(0xffd9);
  return new Uint8Array(out).buffer;
}

test("EXIF time with its offset and GPS position are read from a JPEG", () => {
  const exif = PhotoPrep.readExif(jpegWithExif());
  assert.equal(exif.taken_at, "2026-05-01T09:30:15+08:00");
  assert.equal(exif.lat, 43.8700944);
  assert.equal(exif.lon, 87.6175);
});

test("no EXIF, or not a JPEG: nothing, and no error", () => {
  assert.deepEqual(PhotoPrep.readExif(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]).buffer),
    { taken_at: null, lon: null, lat: null });
  assert.deepEqual(PhotoPrep.readExif(new Uint8Array([1, 2, 3]).buffer),
    { taken_at: null, lon: null, lat: null });
});

test("SHA-256 in plain JS matches node's, across block boundaries", async () => {
  for (const size of [0, 3, 55, 56, 64, 1000]) {
    const data = new Uint8Array(size).map((_, i) => (i * 31) & 255);
    const expected = createHash("sha256").update(data).digest("hex");
    assert.equal(PhotoPrep.sha256Js(data.buffer), expected, `size ${size}`);
    assert.equal(await PhotoPrep.sha256(data.buffer), expected, `size ${size} (subtle)`);
  }
});
