/* Photos on the phone: read the EXIF first (time, GPS), then resize (canvas drops EXIF), then
 * hash. OFFLINE.md rule 9: long side ≤ 2048 px, JPEG 0.85; formats the browser cannot decode
 * (HEIC) are kept as they are for the server. Used by the finding form (finding_form.js) and
 * the inspection walk page. Plain ES2017; also loads in node for the unit tests (tests/js).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory(root);
  else root.PhotoPrep = factory(root);
})(typeof self !== "undefined" ? self : typeof globalThis !== "undefined" ? globalThis : this, function (root) {
  "use strict";

  var LONG_SIDE = 2048;

  function newUuid() {
    return root.Outbox ? root.Outbox.uuid() : root.crypto.randomUUID();
  }

  var TYPE_SIZES = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

  /* DateTimeOriginal (+ OffsetTimeOriginal) and the GPS position of a JPEG; never throws. */
  function readExif(buffer) {
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

  function readBuffer(blob) {
    if (blob.arrayBuffer) return blob.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        resolve(reader.result);
      };
      reader.onerror = function () {
        reject(reader.error);
      };
      reader.readAsArrayBuffer(blob);
    });
  }

  /* Decode with the EXIF rotation applied, draw with the long side ≤ 2048 px, encode JPEG 0.85. */
  async function resize(file) {
    if (typeof createImageBitmap !== "function") throw new Error("no createImageBitmap");
    var bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      bitmap = await createImageBitmap(file); // engines that do not know the option
    }
    var scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    var blob = await new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", 0.85);
    });
    canvas.width = 0;
    canvas.height = 0;
    if (!blob) throw new Error("the photo could not be encoded");
    return { bytes: await readBuffer(blob), type: "image/jpeg" };
  }

  var SHA_K = null;
  var SHA_H = null;

  function shaConstants() {
    SHA_K = [];
    SHA_H = [];
    for (var n = 2; SHA_K.length < 64; n++) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) {
        if (n % d === 0) {
          prime = false;
          break;
        }
      }
      if (!prime) continue;
      if (SHA_H.length < 8) SHA_H.push((Math.pow(n, 1 / 2) * 0x100000000) | 0);
      SHA_K.push((Math.pow(n, 1 / 3) * 0x100000000) | 0);
    }
  }

  /* SHA-256 in plain JS for pages without crypto.subtle (plain http). */
  function sha256Js(buffer) {
    if (!SHA_K) shaConstants();
    var length = buffer.byteLength;
    var total = ((length + 9 + 63) >> 6) << 6;
    var padded = new Uint8Array(total);
    padded.set(new Uint8Array(buffer));
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(total - 8, Math.floor(length / 0x20000000));
    view.setUint32(total - 4, (length * 8) >>> 0);
    var h = SHA_H.slice();
    var w = new Int32Array(64);
    for (var block = 0; block < total; block += 64) {
      var i;
      for (i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
      for (i = 16; i < 64; i++) {
        var x = w[i - 15];
        var y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], e = h[4], f = h[5], g = h[6], d2 = h[3], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
          ((e & f) ^ (~e & g)) + SHA_K[i] + w[i]) | 0;
        var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
          ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g;
        g = f;
        f = e;
        e = (d2 + t1) | 0;
        d2 = c;
        c = b;
        b = a;
        a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0;
      h[1] = (h[1] + b) | 0;
      h[2] = (h[2] + c) | 0;
      h[3] = (h[3] + d2) | 0;
      h[4] = (h[4] + e) | 0;
      h[5] = (h[5] + f) | 0;
      h[6] = (h[6] + g) | 0;
      h[7] = (h[7] + k) | 0;
    }
    return h.map(function (word) {
      return ("0000000" + (word >>> 0).toString(16)).slice(-8);
    }).join("");
  }

  function sha256(buffer) {
    if (root.crypto && root.crypto.subtle && root.crypto.subtle.digest) {
      return root.crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
        return Array.prototype.map.call(new Uint8Array(digest), function (byte) {
          return (byte + 0x100).toString(16).slice(1);
        }).join("");
      }, function () {
        return sha256Js(buffer);
      });
    }
    return Promise.resolve(sha256Js(buffer));
  }

  async function preparePhoto(file) {
    var original = await readBuffer(file);
    var exif = readExif(original);
    var prepared;
    try {
      prepared = await resize(file);
    } catch (error) {
      // HEIC and other formats the browser cannot decode: the server takes the original.
      prepared = { bytes: original, type: file.type || "application/octet-stream" };
    }
    return {
      photo_uuid: newUuid(),
      bytes: prepared.bytes,
      type: prepared.type,
      sha256: await sha256(prepared.bytes),
      exif_taken_at: exif.taken_at,
      exif_lon: exif.lon,
      exif_lat: exif.lat,
      name: file.name || "",
    };
  }

  return {
    LONG_SIDE: LONG_SIDE,
    readExif: readExif,
    sha256Js: sha256Js,
    sha256: sha256,
    resize: resize,
    preparePhoto: preparePhoto,
  };
});
