// The event-time timers of a window-aggregator instance (SEMANTICS.md §3.2, §3.4), as buckets of slots that share
// a timer time. Every live slot is in exactly one bucket: at its maxTimestamp until the watermark passes that,
// then (if allowedLateness keeps it alive) at its cleanup time maxTimestamp + allowedLateness. Whether the slot
// fires at maxTimestamp is its pending flag (window-table.ts), so a row that re-registers the EventTimeTrigger
// timer of a restored, already fired window only sets the flag: a slot never leaves its bucket early.
//
// Windows share few distinct end times (tumbling: one per window period), so a bucket holds many slots and timers
// cost O(1) per window plus O(log buckets) per distinct time — against O(log windows) per window for the binary
// heap of slots this replaced, whose sift-down alone was ~16% of the kernel's time on bench/windowed-sum-columnar.
//
// Region R_TIMERS holds record i (32 bytes) = heap entry i | bucket i; the heap never holds more entries than
// there are buckets:
//
//    0 f64 time   8 i32 bucket   12 unused                     heap entry i: a binary min-heap by time
//   16 f64 time (NaN = free)   24 i32 first slot   28 i32 last slot
//                                                               bucket i; a free bucket's first-slot word links
//                                                               the next free bucket
//
// A slot's bucket list is linked through the slots' S_NEXT words, in scheduling order, so windows fire (and are
// freed) in the order they were created or re-scheduled. Ties between buckets pop in any order.
//
// Lookup: a direct-mapped cache of LOOKUP_WAYS entries, time → bucket, validated by the bucket's time. A miss
// opens a new bucket, so two buckets may share a time — harmless, as both fire when the watermark passes it.

import { R_TIMERS, regionBase, regionGrow } from './window-regions';
import { S_NEXT, slotAddr } from './window-table';

const LOOKUP_WAYS = 64; // a power of two; sliding windows schedule up to size/slide times in turn
const lookup = memory.data(LOOKUP_WAYS << 2); // i32 bucket per way, -1 = none

// Bucket fields, in its record.
const B_TIME = 16;
const B_FIRST = 24;
const B_LAST = 28;

let heapSize: i32 = 0;
let bucketsUsed: i32 = 0; // bucket ids below this have been handed out at least once
let freeBucket: i32 = -1;

// @ts-ignore: decorator
@inline
function bucketAddr(bucket: i32): usize {
  return regionBase(R_TIMERS) + (<usize>bucket << 5);
}

// @ts-ignore: decorator
@inline
function entryAddr(i: i32): usize {
  return regionBase(R_TIMERS) + (<usize>i << 5);
}

// @ts-ignore: decorator
@inline
function lookupAddr(time: f64): usize {
  // Fibonacci hashing of the integer time; consecutive window ends land in different ways.
  return lookup + (<usize>((<u64><i64>time * 0x9e3779b97f4a7c15) >> 58) << 2);
}

export function timersReset(): void {
  heapSize = 0;
  bucketsUsed = 0;
  freeBucket = -1;
  memory.fill(lookup, 0xff, LOOKUP_WAYS << 2);
}

/** Appends `slot` (in no bucket) to the bucket of `time`. May grow R_TIMERS. */
// @ts-ignore: decorator
@inline
export function scheduleTimer(slot: i32, time: f64): void {
  const way = lookupAddr(time);
  let bucket = load<i32>(way);
  if (bucket < 0 || load<f64>(bucketAddr(bucket), B_TIME) != time) {
    bucket = openBucket(time, slot);
    store<i32>(way, bucket);
    store<i32>(slotAddr(slot), -1, S_NEXT);
    return;
  }
  const b = bucketAddr(bucket);
  store<i32>(slotAddr(load<i32>(b, B_LAST)), slot, S_NEXT);
  store<i32>(b, slot, B_LAST);
  store<i32>(slotAddr(slot), -1, S_NEXT);
}

/** Whether a bucket is due: its time <= `watermark`. */
export function hasDue(watermark: f64): bool {
  return heapSize > 0 && load<f64>(entryAddr(0)) <= watermark;
}

/**
 * Removes the earliest bucket (there must be one) and returns the first slot of its list, linked through S_NEXT
 * up to -1. The slots are then in no bucket: the caller re-schedules or frees each, reading S_NEXT first.
 */
export function popDue(): i32 {
  const bucket = load<i32>(entryAddr(0), 8);
  const last = --heapSize;
  if (last > 0) {
    const e = entryAddr(last);
    siftDown(load<f64>(e), load<i32>(e, 8));
  }
  const b = bucketAddr(bucket);
  const first = load<i32>(b, B_FIRST);
  store<f64>(b, NaN, B_TIME);
  store<i32>(b, freeBucket, B_FIRST);
  freeBucket = bucket;
  return first;
}

/** A new bucket at `time` holding just `slot`, pushed on the heap. */
function openBucket(time: f64, slot: i32): i32 {
  let bucket = freeBucket;
  if (bucket >= 0) {
    freeBucket = load<i32>(bucketAddr(bucket), B_FIRST);
  } else {
    bucket = bucketsUsed++;
    regionGrow(R_TIMERS, <u64>bucketsUsed << 5);
  }
  const b = bucketAddr(bucket);
  store<f64>(b, time, B_TIME);
  store<i32>(b, slot, B_FIRST);
  store<i32>(b, slot, B_LAST);
  let i = heapSize++;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = entryAddr(parent);
    const parentTime = load<f64>(p);
    if (parentTime <= time) break;
    place(i, parentTime, load<i32>(p, 8));
    i = parent;
  }
  place(i, time, bucket);
  return bucket;
}

// @ts-ignore: decorator
@inline
function place(i: i32, time: f64, bucket: i32): void {
  const e = entryAddr(i);
  store<f64>(e, time);
  store<i32>(e, bucket, 8);
}

/** Sifts (time, bucket) down from the root. */
function siftDown(time: f64, bucket: i32): void {
  const n = heapSize;
  let i = 0;
  while (true) {
    let child = (i << 1) + 1;
    if (child >= n) break;
    let c = entryAddr(child);
    if (child + 1 < n && load<f64>(c, 32) < load<f64>(c)) {
      child++;
      c += 32;
    }
    const childTime = load<f64>(c);
    if (time <= childTime) break;
    place(i, childTime, load<i32>(c, 8));
    i = child;
  }
  place(i, time, bucket);
}
