// Window slots of a window-aggregator instance, and how they are found by (key index, window start).
//
// The live windows of each key form a doubly linked list whose head, in R_KEYS, is the window created last; while
// the key is not indexed the list is sorted by start, newest first. Key indices are dense (assigned by JS), so
// there is no hashing: a row whose window is its key's newest — every row of an in-order stream but the first of
// each key and window — costs one load from R_KEYS and one compare in the slot it then updates; creating the
// newest window, or freeing the oldest, touches only its neighbour. This replaced an open-addressing hash table
// of every window plus a per-key cache of its slots, whose find-or-create alone was ~12% of the kernel's time on
// bench/windowed-sum-columnar (10k keys). Hashing most windows is what the engine's periodic watermarks punish:
// with ~20 live windows per key between two of them, a variant with 4 slots per key and a table for the rest
// processed rows 3× slower than these lists.
//
// A walk down the list that takes more than DEEP_WALK steps — rows far out of order over many live windows —
// indexes the key instead: all its windows go into the index (window-index.ts), found in O(1) from then on, and
// its new windows are put at the head unsorted. The key leaves the index when its last window is freed. (5M rows
// spread at random over the last 100 windows of 10k keys: 22 s with lists alone, 1.9 s with the index, 2.1 s
// with the former table of every window.)
//
//   key (8 bytes, R_KEYS)    0 i32 head slot (-1 = no window)   4 i32 indexed (0 or 1)
//   slot (64 bytes — one cache line — R_SLOTS; slot ids are stable while the slot lives)
//      0 f64 start      8 f64 count     16 f64 sum      24 f64 min      32 f64 max
//     40 i32 key (-1 = free)   44 i32 pending (1 = EventTimeTrigger timer registered, window not fired)
//     48 i32 older (next in the key's list, -1 = none)   52 i32 newer (-1 = none: the head)
//     56 i32 next slot in its timer bucket (window-timers.ts), or in the free list   60 unused
//
// Freed slots are reused first in, first out, before the slot array grows: windows fire and are freed in the
// order they were created (window-timers.ts), so a stream that visits keys in a steady order keeps visiting slots
// in that order (LIFO reuse measured the same on the bench). Memory stays flat while live windows do.

import { indexFind, indexInit, indexInsert, indexRemove } from './window-index';
import { R_KEYS, R_SLOTS, regionBase, regionCap, regionGrow } from './window-regions';

export const S_START = 0;
export const S_COUNT = 8;
export const S_SUM = 16;
export const S_MIN = 24;
export const S_MAX = 32;
export const S_KEY = 40;
export const S_PENDING = 44;
const S_OLDER = 48;
const S_NEWER = 52;
export const S_NEXT = 56;

// Steps down a key's sorted list after which the key is indexed: each step is a dependent load, likely a cache
// miss, and an index probe costs about one.
const DEEP_WALK = 8;

let liveSlots: i32 = 0;
let slotsUsed: i32 = 0; // slot ids below this have been handed out at least once
let freeHead: i32 = -1;
let freeTail: i32 = -1;
let coveredKeys: i32 = 0; // R_KEYS has an entry for key indices below this

// @ts-ignore: decorator
@inline
export function slotAddr(slot: i32): usize {
  return regionBase(R_SLOTS) + (<usize>slot << 6);
}

/** Address of the R_KEYS entry of `key`, which must be below the bound passed to coverKeys. */
// @ts-ignore: decorator
@inline
export function keyAddr(key: i32): usize {
  return regionBase(R_KEYS) + (<usize>key << 3);
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
  freeHead = freeTail = -1;
  coveredKeys = 0;
  indexInit();
}

/** Makes R_KEYS cover key indices below `keys` (new keys have no windows). Grows R_KEYS: call between rows. */
export function coverKeys(keys: i32): void {
  if (keys <= coveredKeys) return;
  regionGrow(R_KEYS, <u64>keys << 3);
  const from = <usize>coveredKeys << 3;
  coveredKeys = <i32>(regionCap(R_KEYS) >> 3);
  for (let at = regionBase(R_KEYS) + from, end = regionBase(R_KEYS) + (<usize>coveredKeys << 3); at < end; at += 8) {
    store<i32>(at, -1);
    store<i32>(at, 0, 4);
  }
}

/**
 * The slot of (key, start) if it exists (result >= 0); otherwise a new slot holding that key and start, linked and
 * indexed, returned as ~slot (< 0). The walk starts after `newer`, a live window of the key with a larger start,
 * or at the head when `newer` is -1. The caller fills a new slot's other fields. May grow R_SLOTS and R_INDEX.
 */
// @ts-ignore: decorator
@inline
export function findOrCreate(key: i32, start: f64, newer: i32 = -1): i32 {
  const k = keyAddr(key);
  if (load<i32>(k, 4) != 0) return findOrCreateIndexed(key, start);
  let slot = newer >= 0 ? load<i32>(slotAddr(newer), S_OLDER) : load<i32>(k);
  let steps = 0;
  while (slot >= 0) {
    const a = slotAddr(slot);
    const s = load<f64>(a, S_START);
    if (s == start) return slot;
    if (s < start) break;
    if (++steps > DEEP_WALK) {
      indexKey(key);
      return findOrCreateIndexed(key, start);
    }
    newer = slot;
    slot = load<i32>(a, S_OLDER);
  }
  return ~link(key, start, newer, slot);
}

/** Unlinks a live slot from its key's list (and the index) and puts it at the end of the free list. */
// @ts-ignore: decorator
@inline
export function freeSlot(slot: i32): void {
  const a = slotAddr(slot);
  const key = load<i32>(a, S_KEY);
  const older = load<i32>(a, S_OLDER);
  const newer = load<i32>(a, S_NEWER);
  if (older >= 0) store<i32>(slotAddr(older), newer, S_NEWER);
  if (newer >= 0) store<i32>(slotAddr(newer), older, S_OLDER);
  else store<i32>(keyAddr(key), older);
  const k = keyAddr(key);
  if (load<i32>(k, 4) != 0) {
    indexRemove(key, load<f64>(a, S_START), slot);
    if (load<i32>(k) < 0) store<i32>(k, 0, 4); // no window left: the key leaves the index, its list is sorted
  }
  store<i32>(a, -1, S_KEY);
  store<i32>(a, -1, S_NEXT);
  if (freeTail >= 0) store<i32>(slotAddr(freeTail), slot, S_NEXT);
  else freeHead = slot;
  freeTail = slot;
  liveSlots--;
}

/** findOrCreate for an indexed key: the head, then the index; a new window goes at the head. */
function findOrCreateIndexed(key: i32, start: f64): i32 {
  const head = load<i32>(keyAddr(key));
  if (head >= 0 && load<f64>(slotAddr(head), S_START) == start) return head;
  const found = indexFind(key, start);
  if (found >= 0) return found;
  const created = link(key, start, -1, head);
  indexInsert(key, start, created);
  return ~created;
}

/** Puts every window of `key` in the index. */
function indexKey(key: i32): void {
  for (let slot = load<i32>(keyAddr(key)); slot >= 0; slot = load<i32>(slotAddr(slot), S_OLDER)) {
    indexInsert(key, load<f64>(slotAddr(slot), S_START), slot);
  }
  store<i32>(keyAddr(key), 1, 4);
}

/** A new slot holding (key, start), linked between `newer` (-1: it becomes the head) and `older` (-1: the tail). */
// @ts-ignore: decorator
@inline
function link(key: i32, start: f64, newer: i32, older: i32): i32 {
  const created = allocSlot(); // may move the regions after R_SLOTS, never R_KEYS (before it)
  const a = slotAddr(created);
  store<f64>(a, start, S_START);
  store<i32>(a, key, S_KEY);
  store<i32>(a, older, S_OLDER);
  store<i32>(a, newer, S_NEWER);
  if (older >= 0) store<i32>(slotAddr(older), created, S_NEWER);
  if (newer >= 0) store<i32>(slotAddr(newer), created, S_OLDER);
  else store<i32>(keyAddr(key), created);
  liveSlots++;
  return created;
}

// @ts-ignore: decorator
@inline
function allocSlot(): i32 {
  const free = freeHead;
  if (free >= 0) {
    freeHead = load<i32>(slotAddr(free), S_NEXT);
    if (freeHead < 0) freeTail = -1;
    return free;
  }
  const slot = slotsUsed++;
  regionGrow(R_SLOTS, <u64>slotsUsed << 6);
  return slot;
}
