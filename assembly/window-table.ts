// Window slots of a window-aggregator instance and the hash table that finds them by (key index, window start).
//
// Slot record (64 bytes — one cache line — region R_SLOTS, slot ids are stable while the slot lives):
//
//    0 f64 start      8 f64 count     16 f64 sum      24 f64 min      32 f64 max      40 f64 maxTimestamp
//   48 i32 key (-1 = free)   52 i32 timer generation (window-timers.ts)
//   56 i32 pending (1 = EventTimeTrigger timer registered)   60 i32 next free slot
//
// Freed slots go on a LIFO free list and are reused before the slot array grows, so memory stays flat while the
// number of live windows does.
//
// Hash table (region R_TABLE): open addressing, linear probing, load factor <= 1/2, power-of-two size; deletion
// by backward shift (no tombstones). Bucket (16 bytes): 0 f64 start | 8 i32 key | 12 i32 slot (-1 = empty).
// Starts compare as f64 (so -0 == 0); they are integers in the safe range, hashed through i64.

import { R_SLOTS, R_TABLE, regionBase, regionGrow } from './window-regions';

export const S_START = 0;
export const S_COUNT = 8;
export const S_SUM = 16;
export const S_MIN = 24;
export const S_MAX = 32;
export const S_MAX_TS = 40;
export const S_KEY = 48;
export const S_TIMER_GEN = 52;
export const S_PENDING = 56;
const S_NEXT_FREE = 60;

const INITIAL_BUCKETS: u32 = 64;

let bucketMask: u32 = 0;
let liveSlots: i32 = 0;
let slotsUsed: i32 = 0; // slot ids below this have been handed out at least once
let freeHead: i32 = -1;

// @ts-ignore: decorator
@inline
export function slotAddr(slot: i32): usize {
  return regionBase(R_SLOTS) + (<usize>slot << 6);
}

export function liveSlotCount(): i32 {
  return liveSlots;
}

/** Slot ids below this may be live (scan bound). */
export function slotIdLimit(): i32 {
  return slotsUsed;
}

export function tableInit(): void {
  liveSlots = 0;
  slotsUsed = 0;
  freeHead = -1;
  setBuckets(INITIAL_BUCKETS);
}

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
  return regionBase(R_TABLE) + (<usize>i << 4);
}

/**
 * The slot of (key, start) if it exists (result >= 0); otherwise a new slot holding that key and start, returned
 * as ~slot (< 0). The caller fills a new slot's other fields.
 */
export function findOrCreate(key: i32, start: f64): i32 {
  if (<u32>(liveSlots + 1) << 1 > bucketMask + 1) setBuckets((bucketMask + 1) << 1);
  let i = hashOf(key, start) & bucketMask;
  while (true) {
    const b = bucketAddr(i);
    const slot = load<i32>(b, 12);
    if (slot < 0) break;
    if (load<i32>(b, 8) == key && load<f64>(b) == start) return slot;
    i = (i + 1) & bucketMask;
  }
  const slot = allocSlot(); // grows R_SLOTS, which lies after R_TABLE: bucket addresses stay valid
  const b = bucketAddr(i);
  store<f64>(b, start);
  store<i32>(b, key, 8);
  store<i32>(b, slot, 12);
  const a = slotAddr(slot);
  store<f64>(a, start, S_START);
  store<i32>(a, key, S_KEY);
  liveSlots++;
  return ~slot;
}

/** Removes a live slot from the table and puts it on the free list. */
export function freeSlot(slot: i32): void {
  const a = slotAddr(slot);
  const key = load<i32>(a, S_KEY);
  const start = load<f64>(a, S_START);
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
  store<i32>(a, -1, S_KEY);
  store<i32>(a, load<i32>(a, S_TIMER_GEN) + 1, S_TIMER_GEN); // its timer entry, if any, is stale now
  store<i32>(a, freeHead, S_NEXT_FREE);
  freeHead = slot;
  liveSlots--;
}

function allocSlot(): i32 {
  const free = freeHead;
  if (free >= 0) {
    freeHead = load<i32>(slotAddr(free), S_NEXT_FREE);
    return free;
  }
  const slot = slotsUsed++;
  regionGrow(R_SLOTS, <u64>slotsUsed << 6);
  store<i32>(slotAddr(slot), 0, S_TIMER_GEN);
  return slot;
}

/** Resizes the table to `buckets` (a power of two) and re-inserts every live slot. */
function setBuckets(buckets: u32): void {
  regionGrow(R_TABLE, <u64>buckets << 4);
  bucketMask = buckets - 1;
  memory.fill(bucketAddr(0), 0xff, <usize>buckets << 4);
  for (let slot = 0; slot < slotsUsed; slot++) {
    const a = slotAddr(slot);
    const key = load<i32>(a, S_KEY);
    if (key < 0) continue;
    const start = load<f64>(a, S_START);
    let i = hashOf(key, start) & bucketMask;
    while (load<i32>(bucketAddr(i), 12) >= 0) i = (i + 1) & bucketMask;
    const b = bucketAddr(i);
    store<f64>(b, start);
    store<i32>(b, key, 8);
    store<i32>(b, slot, 12);
  }
}
