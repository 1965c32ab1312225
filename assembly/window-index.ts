// The index of a window-aggregator instance for keys with many live windows: (key index, window start) → slot for
// every window of an indexed key (window-table.ts indexes a key once finding a window in its list takes more than
// DEEP_WALK steps, as rows far out of order over many live windows do). Empty, and never probed, while no key is
// indexed — in-order streams never index one.
//
// Open addressing, linear probing, load factor <= 1/2, power-of-two size; deletion by backward shift (no
// tombstones). Bucket (16 bytes, region R_INDEX): 0 f64 start | 8 i32 key | 12 i32 slot (-1 = empty). Starts
// compare as f64 (so -0 == 0); they are integers in the safe range, hashed through i64.

import { R_FREED, R_INDEX, regionBase, regionGrow } from './window-regions';

const MIN_BUCKETS: u32 = 64;

let entries: i32 = 0;
let bucketMask: u32 = 0;

// @ts-ignore: decorator
@inline
function hashOf(key: i32, start: f64): u32 {
  let h = (<u64><i64>start) * 0x9e3779b97f4a7c15 + (<u64><u32>key) * 0xc2b2ae3d27d4eb4f;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9;
  return <u32>(h >> 32);
}

// @ts-ignore: decorator
@inline
function bucketAddr(i: u32): usize {
  return regionBase(R_INDEX) + (<usize>i << 4);
}

export function indexInit(): void {
  entries = 0;
  bucketMask = 0;
}

/** The slot of (key, start), or -1. */
export function indexFind(key: i32, start: f64): i32 {
  if (entries == 0) return -1;
  let i = hashOf(key, start) & bucketMask;
  while (true) {
    const b = bucketAddr(i);
    const slot = load<i32>(b, 12);
    if (slot < 0) return -1;
    if (load<i32>(b, 8) == key && load<f64>(b) == start) return slot;
    i = (i + 1) & bucketMask;
  }
}

/** Adds (key, start) → slot; the pair must be absent. Grows R_INDEX; may use R_FREED as scratch. */
export function indexInsert(key: i32, start: f64, slot: i32): void {
  if (<u32>(entries + 1) << 1 > bucketMask + 1) rehash(max<u32>(MIN_BUCKETS, (bucketMask + 1) << 1));
  place(key, start, slot);
  entries++;
}

/** Removes (key, start) → slot, which must be present. */
export function indexRemove(key: i32, start: f64, slot: i32): void {
  let i = hashOf(key, start) & bucketMask;
  while (load<i32>(bucketAddr(i), 12) != slot) i = (i + 1) & bucketMask;
  // Backward-shift deletion: move later members of the probe run into the hole when their home bucket is not
  // cyclically inside (hole, j].
  let j = i;
  while (true) {
    j = (j + 1) & bucketMask;
    const bj = bucketAddr(j);
    if (load<i32>(bj, 12) < 0) break;
    const home = hashOf(load<i32>(bj, 8), load<f64>(bj)) & bucketMask;
    const stays = i <= j ? i < home && home <= j : i < home || home <= j;
    if (stays) continue;
    memory.copy(bucketAddr(i), bj, 16);
    i = j;
  }
  store<i32>(bucketAddr(i), -1, 12);
  entries--;
}

function place(key: i32, start: f64, slot: i32): void {
  let i = hashOf(key, start) & bucketMask;
  while (load<i32>(bucketAddr(i), 12) >= 0) i = (i + 1) & bucketMask;
  const b = bucketAddr(i);
  store<f64>(b, start);
  store<i32>(b, key, 8);
  store<i32>(b, slot, 12);
}

/**
 * Resizes the table to `buckets` (a power of two) and re-inserts its entries, copied aside to R_FREED — an
 * output of advance only, which never inserts, so it is free scratch here (snapshots use it alike).
 */
function rehash(buckets: u32): void {
  const old = entries > 0 ? bucketMask + 1 : 0;
  regionGrow(R_INDEX, <u64>buckets << 4);
  regionGrow(R_FREED, <u64>old << 4); // R_FREED lies after R_INDEX, so grow it second
  const scratch = regionBase(R_FREED);
  memory.copy(scratch, bucketAddr(0), <usize>old << 4);
  bucketMask = buckets - 1;
  memory.fill(bucketAddr(0), 0xff, <usize>buckets << 4);
  for (let i: u32 = 0; i < old; i++) {
    const b = scratch + (<usize>i << 4);
    const slot = load<i32>(b, 12);
    if (slot >= 0) place(load<i32>(b, 8), load<f64>(b), slot);
  }
}
