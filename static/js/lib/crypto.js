/* UUIDs and SHA-256 checksums: the browser's own (crypto.randomUUID, crypto.subtle.digest) where
 * it has them, which is in a secure context; the hand-written fallbacks for plain-http pages live
 * here and only here, tested against known vectors (tests/js/crypto.test.mjs).
 * Plain ES2017 (no ?. or ??); no DOM.
 */

function webCrypto() {
  return typeof globalThis !== "undefined" && globalThis.crypto ? globalThis.crypto : null;
}

function hex(bytes) {
  return Array.prototype.map.call(bytes, function (b) {
    return (b + 0x100).toString(16).slice(1);
  }).join("");
}

/* A version-4 UUID from 16 random bytes (the bytes are changed in place). */
export function uuidFromBytes(bytes) {
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = hex(bytes);
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

/* A random UUID: randomUUID in a secure context; getRandomValues (everywhere) otherwise. */
export function uuid() {
  const c = webCrypto();
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c && c.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return uuidFromBytes(bytes);
}

let K = null;
let H = null;

/* The SHA-256 constants: fractional parts of the square and cube roots of the first primes. */
function constants() {
  K = [];
  H = [];
  for (let n = 2; K.length < 64; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (!prime) continue;
    if (H.length < 8) H.push((Math.pow(n, 1 / 2) * 0x100000000) | 0);
    K.push((Math.pow(n, 1 / 3) * 0x100000000) | 0);
  }
}

/* SHA-256 (FIPS 180-4) in plain JS, as hex, for pages without crypto.subtle (plain http). */
export function sha256Js(buffer) {
  if (!K) constants();
  const length = buffer.byteLength;
  const total = ((length + 9 + 63) >> 6) << 6;
  const padded = new Uint8Array(total);
  padded.set(new Uint8Array(buffer));
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(total - 8, Math.floor(length / 0x20000000));
  view.setUint32(total - 4, (length * 8) >>> 0);
  const h = H.slice();
  const w = new Int32Array(64);
  for (let block = 0; block < total; block += 64) {
    let i;
    for (i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
    for (i = 16; i < 64; i++) {
      const x = w[i - 15];
      const y = w[i - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (i = 0; i < 64; i++) {
      const t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0;
    h[1] = (h[1] + b) | 0;
    h[2] = (h[2] + c) | 0;
    h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0;
    h[5] = (h[5] + f) | 0;
    h[6] = (h[6] + g) | 0;
    h[7] = (h[7] + k) | 0;
  }
  return h.map(function (word) {
    return ("0000000" + (word >>> 0).toString(16)).slice(-8);
  }).join("");
}

/* The SHA-256 of an ArrayBuffer as hex: crypto.subtle when there is one, else sha256Js. */
export function sha256(buffer) {
  const c = webCrypto();
  if (c && c.subtle && c.subtle.digest) {
    return c.subtle.digest("SHA-256", buffer).then(function (digest) {
      return hex(new Uint8Array(digest));
    }, function () {
      return sha256Js(buffer);
    });
  }
  return Promise.resolve(sha256Js(buffer));
}
