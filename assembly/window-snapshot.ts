// Key groups of a window-aggregator instance and the per-key-group snapshot of its windows (SEMANTICS.md §2.6,
// §5.2: state and timers are snapshotted per key group; watermarks are not). Little-endian throughout:
//
//   header (40 bytes)
//     0 u32 magic 0x31415752 ("RWA1")   4 i32 key group   8 u32 record count   12 u32 kind (0 tumbling, 1 sliding)
//    16 f64 size                        24 f64 slide (= size for tumbling)     32 f64 offset
//   record (48 bytes) × count, sorted by key index, then start — so equal state gives equal bytes
//     0 i32 key index    4 u32 flags (bit 0: EventTimeTrigger timer pending, i.e. the window has not fired yet)
//     8 f64 start       16 f64 count      24 f64 sum      32 f64 min      40 f64 max
//
// The window end is start + size; the cleanup timer is implied (maxTimestamp + allowedLateness of the restoring
// operator). src/wasm/window-agg-reference.ts writes and reads the same bytes.

import { R_GROUPS, regionBase, regionCap, regionGrow } from './window-regions';
import { S_COUNT, S_KEY, S_MAX, S_MIN, S_PENDING, S_START, S_SUM, slotAddr, slotIdLimit } from './window-table';

export const SNAPSHOT_MAGIC: u32 = 0x31415752;
export const SNAPSHOT_HEADER_BYTES: usize = 40;
export const SNAPSHOT_RECORD_BYTES: usize = 48;

export function setKeyGroup(key: i32, group: i32): void {
  const have = regionCap(R_GROUPS) >> 2;
  if (<usize>key >= have) {
    regionGrow(R_GROUPS, (<u64>key + 1) << 2);
    memory.fill(regionBase(R_GROUPS) + (have << 2), 0xff, regionCap(R_GROUPS) - (have << 2));
  }
  store<i32>(regionBase(R_GROUPS) + (<usize>key << 2), group);
}

/** Key group of `key`, or -1 if none was set. */
export function keyGroupOf(key: i32): i32 {
  return <usize>key < regionCap(R_GROUPS) >> 2 ? load<i32>(regionBase(R_GROUPS) + (<usize>key << 2)) : -1;
}

/**
 * Counts the live windows of keys in `group`; returns -(key + 1) for the first live window whose key has no key
 * group (every key must have one before a snapshot).
 */
export function countGroup(group: i32): i32 {
  const limit = slotIdLimit();
  let count = 0;
  for (let slot = 0; slot < limit; slot++) {
    const key = load<i32>(slotAddr(slot), S_KEY);
    if (key < 0) continue;
    const g = keyGroupOf(key);
    if (g < 0) return -(key + 1);
    if (g == group) count++;
  }
  return count;
}

/** Writes the snapshot of the `count` live windows of `group` at `out`, using `scratch` (i32[count]) to sort. */
export function writeSnapshot(
  out: usize,
  scratch: usize,
  group: i32,
  count: i32,
  kind: i32,
  size: f64,
  slide: f64,
  offset: f64,
): void {
  const limit = slotIdLimit();
  let n = 0;
  for (let slot = 0; slot < limit; slot++) {
    const key = load<i32>(slotAddr(slot), S_KEY);
    if (key >= 0 && keyGroupOf(key) == group) store<i32>(scratch + (<usize>(n++) << 2), slot);
  }
  sortSlots(scratch, count);
  store<u32>(out, SNAPSHOT_MAGIC);
  store<i32>(out, group, 4);
  store<u32>(out, <u32>count, 8);
  store<u32>(out, <u32>kind, 12);
  store<f64>(out, size, 16);
  store<f64>(out, slide, 24);
  store<f64>(out, offset, 32);
  for (let i = 0; i < count; i++) {
    const a = slotAddr(load<i32>(scratch + (<usize>i << 2)));
    const r = out + SNAPSHOT_HEADER_BYTES + <usize>i * SNAPSHOT_RECORD_BYTES;
    store<i32>(r, load<i32>(a, S_KEY));
    store<u32>(r, load<i32>(a, S_PENDING) != 0 ? 1 : 0, 4);
    store<f64>(r, load<f64>(a, S_START), 8);
    store<f64>(r, load<f64>(a, S_COUNT), 16);
    store<f64>(r, load<f64>(a, S_SUM), 24);
    store<f64>(r, load<f64>(a, S_MIN), 32);
    store<f64>(r, load<f64>(a, S_MAX), 40);
  }
}

// @ts-ignore: decorator
@inline
function before(slotA: i32, slotB: i32): bool {
  const a = slotAddr(slotA);
  const b = slotAddr(slotB);
  const keyA = load<i32>(a, S_KEY);
  const keyB = load<i32>(b, S_KEY);
  return keyA < keyB || (keyA == keyB && load<f64>(a, S_START) < load<f64>(b, S_START));
}

/** Heapsort of the slot ids at `ids` (i32[n]) by (key, start); in place, O(n log n), no allocation. */
function sortSlots(ids: usize, n: i32): void {
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(ids, i, n);
  for (let end = n - 1; end > 0; end--) {
    const top = load<i32>(ids);
    store<i32>(ids, load<i32>(ids + (<usize>end << 2)));
    store<i32>(ids + (<usize>end << 2), top);
    siftDown(ids, 0, end);
  }
}

function siftDown(ids: usize, i: i32, n: i32): void {
  const item = load<i32>(ids + (<usize>i << 2));
  while (true) {
    let child = (i << 1) + 1;
    if (child >= n) break;
    let childItem = load<i32>(ids + (<usize>child << 2));
    if (child + 1 < n) {
      const right = load<i32>(ids + (<usize>(child + 1) << 2));
      if (before(childItem, right)) {
        child++;
        childItem = right;
      }
    }
    if (!before(item, childItem)) break;
    store<i32>(ids + (<usize>i << 2), childItem);
    i = child;
  }
  store<i32>(ids + (<usize>i << 2), item);
}
