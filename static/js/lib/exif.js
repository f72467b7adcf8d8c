/* The EXIF a phone camera writes into a JPEG: when the photo was taken (DateTimeOriginal with
 * OffsetTimeOriginal) and where (GPS). OFFLINE.md rules 8 and 9: read before resizing, because a
 * canvas drops EXIF. Pure: bytes in, {taken_at, lon, lat} out; never throws.
 * Plain ES2017 (no ?. or ??).
 */

const TYPE_SIZES = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

/* DateTimeOriginal (+ OffsetTimeOriginal) and the GPS position of a JPEG; never throws. */
export function readExif(buffer) {
  var out = { taken_at: null, lon: null, lat: null };
  try {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return out;
    var offset = 2;
    while (offset + 4 <= view.byteLength) {
      if (view.getUint8(offset) !== 0xff) return out;
      var marker = view.getUint8(offset + 1);
      if (marker === 0xff) {
        offset += 1;
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
        offset += 2;
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return out;
      var length = view.getUint16(offset + 2);
      if (marker === 0xe1 && length > 8 && view.getUint32(offset + 4) === 0x45786966 &&
          view.getUint16(offset + 8) === 0) {
        readTiff(new DataView(buffer, offset + 10, Math.min(length - 8, view.byteLength - offset - 10)), out);
        return out;
      }
      offset += 2 + length;
    }
  } catch (error) {
    /* malformed EXIF must not cost the crew their photo */
  }
  return out;
}

function readTiff(view, out) {
  var order = view.getUint16(0);
  var little = order === 0x4949;
  if (!little && order !== 0x4d4d) return;
  function u16(at) {
    return view.getUint16(at, little);
  }
  function u32(at) {
    return view.getUint32(at, little);
  }
  if (u16(2) !== 42) return;
  function ifd(at) {
    var tags = {};
    if (!at || at + 2 > view.byteLength) return tags;
    var count = u16(at);
    for (var i = 0; i < count && at + 2 + i * 12 + 12 <= view.byteLength; i++) {
      var entry = at + 2 + i * 12;
      var type = u16(entry + 2);
      var n = u32(entry + 4);
      var size = (TYPE_SIZES[type] || 1) * n;
      tags[u16(entry)] = { type: type, n: n, at: size <= 4 ? entry + 8 : u32(entry + 8), raw: entry + 8 };
    }
    return tags;
  }
  function text(tag) {
    if (!tag || tag.type !== 2) return null;
    var chars = [];
    for (var i = 0; i < tag.n && tag.at + i < view.byteLength; i++) {
      var c = view.getUint8(tag.at + i);
      if (c === 0) break;
      chars.push(String.fromCharCode(c));
    }
    return chars.join("").trim();
  }
  function rational(tag, index) {
    var at = tag.at + index * 8;
    var denominator = u32(at + 4);
    return denominator ? u32(at) / denominator : NaN;
  }
  function degrees(tag, ref, negative) {
    if (!tag || tag.type !== 5 || tag.n < 3) return null;
    var value = rational(tag, 0) + rational(tag, 1) / 60 + rational(tag, 2) / 3600;
    if (!isFinite(value)) return null;
    return ref === negative ? -value : value;
  }
  var root = ifd(u32(4));
  if (root[0x8769]) {
    var exif = ifd(u32(root[0x8769].raw));
    var written = text(exif[0x9003]);
    var match = written && /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)/.exec(written);
    if (match && match[1] !== "0000") {
      out.taken_at = match[1] + "-" + match[2] + "-" + match[3] + "T" + match[4] + ":" + match[5] + ":" + match[6];
      var offset = text(exif[0x9011]);
      if (offset && /^[+-]\d\d:\d\d$/.test(offset)) out.taken_at += offset;
    }
  }
  if (root[0x8825]) {
    var gps = ifd(u32(root[0x8825].raw));
    var lat = degrees(gps[2], text(gps[1]), "S");
    var lon = degrees(gps[4], text(gps[3]), "W");
    if (lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && (lat || lon)) {
      out.lat = Math.round(lat * 1e7) / 1e7;
      out.lon = Math.round(lon * 1e7) / 1e7;
    }
  }
}
