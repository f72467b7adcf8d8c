/* Photos on the phone: read the EXIF first (time, GPS: lib/exif.js), then resize (a canvas drops
 * EXIF), then hash (lib/crypto.js). OFFLINE.md rule 9: long side ≤ 2048 px, JPEG 0.85; formats the
 * browser cannot decode (HEIC) are kept as they are for the server. An ES module, imported by the
 * finding form (finding_form.js) and the inspection walk page (walk.js).
 * Plain ES2017 (no ?. or ??).
 */
import { readExif } from "./lib/exif.js";
import { sha256, uuid } from "./lib/crypto.js";

export const LONG_SIDE = 2048;

function readBuffer(blob) {
  if (blob.arrayBuffer) return blob.arrayBuffer();
  return new Promise(function (resolve, reject) {
    const reader = new FileReader();
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
export async function resize(file) {
  if (typeof createImageBitmap !== "function") throw new Error("no createImageBitmap");
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch (error) {
    bitmap = await createImageBitmap(file); // engines that do not know the option
  }
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  if (bitmap.close) bitmap.close();
  const blob = await new Promise(function (resolve) {
    canvas.toBlob(resolve, "image/jpeg", 0.85);
  });
  canvas.width = 0;
  canvas.height = 0;
  if (!blob) throw new Error("the photo could not be encoded");
  return { bytes: await readBuffer(blob), type: "image/jpeg" };
}

/* A photo ready for the outbox: its own UUID, the bytes to send, their checksum, the EXIF. */
export async function preparePhoto(file) {
  const original = await readBuffer(file);
  const exif = readExif(original);
  let prepared;
  try {
    prepared = await resize(file);
  } catch (error) {
    // HEIC and other formats the browser cannot decode: the server takes the original.
    prepared = { bytes: original, type: file.type || "application/octet-stream" };
  }
  return {
    photo_uuid: uuid(),
    bytes: prepared.bytes,
    type: prepared.type,
    sha256: await sha256(prepared.bytes),
    exif_taken_at: exif.taken_at,
    exif_lon: exif.lon,
    exif_lat: exif.lat,
    name: file.name || "",
  };
}

export { readExif, sha256 };
