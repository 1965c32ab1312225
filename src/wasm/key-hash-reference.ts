/**
 * Plain-TypeScript reference for the key-hashing kernel (assembly/index.ts): the same functions, bit for bit, over
 * the same canonical key bytes (key-encoding.ts). Differential tests hold the wasm kernel to it; nothing on a hot
 * path should call it per record.
 *
 *   keyHash(key)            = murmur3_32(encodeKey(key), seed 0)                 unsigned 32-bit
 *   keyGroup(key, maxP)     = flinkMurmurHash(keyHash(key) as int32) % maxP      SEMANTICS.md §5.2
 */
import { encodeKey } from './key-encoding.ts';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function scrambleBlock(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * MurmurHash3_x86_32 (smhasher `MurmurHash3_x86_32`, Austin Appleby, public domain) of `bytes` with `seed`, as an
 * unsigned 32-bit integer. Blocks and the tail are read little-endian, as on x86.
 */
export function murmur3_32(bytes: Uint8Array, seed = 0): number {
  const length = bytes.length;
  const blocksEnd = length & ~3;
  let h = seed | 0;
  for (let i = 0; i < blocksEnd; i += 4) {
    const block = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    h ^= scrambleBlock(block);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = length & 3;
  if (tail !== 0) {
    let k = bytes[blocksEnd]!;
    if (tail >= 2) k |= bytes[blocksEnd + 1]! << 8;
    if (tail === 3) k |= bytes[blocksEnd + 2]! << 16;
    h ^= scrambleBlock(k);
  }
  return fmix32(h ^ length) >>> 0;
}

/**
 * Flink's `MathUtils.murmurHash(int code)` (flink-core `org.apache.flink.util.MathUtils`): `code` is taken as a
 * Java int (any number is truncated to 32 bits), all arithmetic wraps at 32 bits, and the result is folded to be
 * non-negative: `code >= 0 ? code : code != Integer.MIN_VALUE ? -code : 0`.
 */
export function flinkMurmurHash(code: number): number {
  let h = scrambleBlock(code | 0);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h = fmix32(h ^ 4) | 0;
  if (h >= 0) return h;
  return h !== -0x80000000 ? -h : 0;
}

/** `KeyGroupRangeAssignment.computeKeyGroupForKeyHash`: the key group (0..maxP-1) of a 32-bit key hash. */
export function keyGroupForHash(hash: number, maxParallelism: number): number {
  return flinkMurmurHash(hash) % maxParallelism;
}

/** The canonical 32-bit hash of a key, unsigned (0..2^32-1). */
export function referenceKeyHash(key: unknown): number {
  return murmur3_32(encodeKey(key));
}

/** The key group of a key under `maxParallelism` (caller validates it: an integer in 1..32768). */
export function referenceKeyGroup(key: unknown, maxParallelism: number): number {
  return keyGroupForHash(referenceKeyHash(key), maxParallelism);
}
