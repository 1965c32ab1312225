/**
 * Every stored blob is framed so that a torn, truncated or bit-flipped write is detected on read:
 *
 * ```
 *  offset  0        4        5         8              12             16
 *          ┌────────┬────────┬─────────┬──────────────┬──────────────┬─────────────────────┐
 *          │ magic  │version │reserved │ payload len  │ crc32c       │ payload             │
 *          │ "RVSB" │ 0x01   │ 0,0,0   │ u32 LE       │ u32 LE       │ `len` bytes         │
 *          └────────┴────────┴─────────┴──────────────┴──────────────┴─────────────────────┘
 * ```
 *
 * The checksum covers the payload; the length must equal the stored size minus the 16-byte header exactly.
 */
import { crc32c } from './crc32c.ts';
import { CorruptBlobError } from './state-backend.ts';

export const BLOB_HEADER_BYTES = 16;
const MAGIC = [0x52, 0x56, 0x53, 0x42]; // "RVSB": Rivulet State Blob
const VERSION = 1;

/** A new buffer holding header + a copy of `payload`. */
export function frameBlob(payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const framed = new Uint8Array(BLOB_HEADER_BYTES + payload.length);
  framed.set(MAGIC, 0);
  framed[4] = VERSION;
  const view = new DataView(framed.buffer);
  view.setUint32(8, payload.length, true);
  view.setUint32(12, crc32c(payload), true);
  framed.set(payload, BLOB_HEADER_BYTES);
  return framed;
}

/** The payload of a framed blob (a view into `framed`); throws CorruptBlobError naming `path` if it fails a check. */
export function unframeBlob(path: string, framed: Uint8Array): Uint8Array {
  if (framed.length < BLOB_HEADER_BYTES)
    throw new CorruptBlobError(path, `${framed.length} bytes, shorter than header`);
  if (MAGIC.some((b, i) => framed[i] !== b)) throw new CorruptBlobError(path, 'bad magic');
  if (framed[4] !== VERSION) throw new CorruptBlobError(path, `unknown version ${framed[4]}`);
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  const length = view.getUint32(8, true);
  if (length !== framed.length - BLOB_HEADER_BYTES) {
    throw new CorruptBlobError(
      path,
      `header says ${length} payload bytes, ${framed.length - BLOB_HEADER_BYTES} stored`,
    );
  }
  const payload = framed.subarray(BLOB_HEADER_BYTES);
  if (crc32c(payload) !== view.getUint32(12, true)) throw new CorruptBlobError(path, 'checksum mismatch');
  return payload;
}
