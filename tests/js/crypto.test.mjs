// Unit tests of static/js/lib/crypto.js: the hand-written SHA-256 against the FIPS 180-4 vectors
// and node's own, the browser's digest where there is one, and version-4 UUIDs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { sha256, sha256Js, uuid, uuidFromBytes } from "../../static/js/lib/crypto.js";

const ascii = (text) => new TextEncoder().encode(text).buffer;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("SHA-256 in plain JS gives the published test vectors", () => {
  assert.equal(sha256Js(ascii("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(sha256Js(ascii("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(
    sha256Js(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
  assert.equal(
    sha256Js(ascii("a".repeat(1000000))),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
});

test("SHA-256 in plain JS matches node's across block boundaries; the digest path agrees", async () => {
  for (const size of [0, 3, 55, 56, 63, 64, 65, 119, 120, 1000, 70001]) {
    const data = new Uint8Array(size).map((_, i) => (i * 31) & 255);
    const expected = createHash("sha256").update(data).digest("hex");
    assert.equal(sha256Js(data.buffer), expected, `size ${size}`);
    assert.equal(await sha256(data.buffer), expected, `size ${size} (crypto.subtle)`);
  }
});

test("without crypto.subtle (a plain-http page) the checksum comes from the fallback", async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  Object.defineProperty(globalThis, "crypto", { value: {}, configurable: true });
  try {
    assert.equal(await sha256(ascii("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // No randomUUID and no getRandomValues either: still a well-formed version-4 UUID.
    assert.match(uuid(), UUID_V4);
  } finally {
    Object.defineProperty(globalThis, "crypto", saved);
  }
});

test("UUIDs are version 4, lower-case, and differ", () => {
  const made = new Set(Array.from({ length: 50 }, () => uuid()));
  assert.equal(made.size, 50);
  for (const one of made) assert.match(one, UUID_V4);
  assert.equal(uuidFromBytes(new Uint8Array(16)), "00000000-0000-4000-8000-000000000000");
  assert.equal(uuidFromBytes(new Uint8Array(16).fill(255)), "ffffffff-ffff-4fff-bfff-ffffffffffff");
});
