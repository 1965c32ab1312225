// Keyed event-time window aggregation (count, sum, min, max of one f64 per key and window) for tumbling and
// sliding windows with the default EventTimeTrigger and allowed lateness — one instance per window operator
// subtask. Reproduces src/runtime/operators/window/window-operator.ts for these cases (SEMANTICS.md §1.2, §1.3,
// §3.2–§3.5, §4); src/wasm/window-agg-reference.ts is the plain-TS twin held to it by differential tests.
//
// All arithmetic on times is f64, as in the JS operator: `maxTimestamp + allowedLateness` cannot overflow, and
// the watermark starts at -Infinity (SEMANTICS.md "Adaptation to TypeScript"). Results go to the output columns
// (window-outputs.ts) and their counts to the header; each call starts its outputs afresh.

import {
  HEADER,
  R_FREED,
  R_INPUT,
  R_KEY_CACHE,
  regionBase,
  regionCap,
  regionGrow,
  regionsInit,
} from './window-regions';
import {
  appendCreated,
  appendFreed,
  appendLate,
  emit,
  outputsInit,
  publish,
  sinkTouched,
  startOutputs,
} from './window-outputs';
import {
  findOrCreate,
  freeSlot,
  S_COUNT,
  S_KEY,
  S_MAX,
  S_MAX_TS,
  S_MIN,
  S_PENDING,
  S_START,
  S_SUM,
  slotAddr,
  tableInit,
} from './window-table';
import {
  delayTop,
  popTop,
  scheduleTimer,
  timerCount,
  timersReset,
  topIsValid,
  topSlot,
  topTime,
} from './window-timers';
import {
  countGroup,
  setKeyGroup,
  SNAPSHOT_HEADER_BYTES,
  SNAPSHOT_MAGIC,
  SNAPSHOT_RECORD_BYTES,
  writeSnapshot,
} from './window-snapshot';

export const KIND_TUMBLING = 0;
export const KIND_SLIDING = 1;

// Status codes returned by process / snapshot / restore; details go to the header's detail word.
export const OK = 0;
export const BAD_ROW = 1; //         a timestamp is not a safe integer or a key index is negative; detail = row
export const NO_KEY_GROUP = 2; //    snapshot: a live window's key has no key group; detail = key index
export const BAD_SNAPSHOT = 3; //    restore: not a snapshot (magic, length); detail = 0
export const OTHER_WINDOWS = 4; //   restore: snapshot of another window configuration
export const DUPLICATE_WINDOW = 5; // restore: a window already present; detail = record index

const MAX_SAFE_INTEGER: f64 = 9007199254740991;

let kind: i32 = KIND_TUMBLING;
let size: f64 = 1;
let slide: f64 = 1;
let offset: f64 = 0;
let lateness: f64 = 0;
let watermark: f64 = -Infinity;

// Key cache (R_KEY_CACHE): per key index, the slot last used for each of its first `cacheWays` windows of a row
// (newest first), validated against the slot's key and start before use — so a hit costs no hash probe and
// freed or reused slots need no invalidation. Key indices are dense (assigned by JS), so it stays small.
let cacheWays: i32 = 1;
let cachedKeys: i32 = 0;

// Rows ahead whose cached slot is touched early: wasm has no prefetch instruction, and with many keys the slot
// record is a cache miss per row, so an early load keeps several misses in flight (about 15% faster with 10k keys).
const PREFETCH_DISTANCE = 16;

/** Sets up a fresh instance. The caller has validated the configuration (window-kernel.ts). */
export function init(windowKind: i32, windowSize: f64, windowSlide: f64, windowOffset: f64, allowed: f64): void {
  kind = windowKind;
  size = windowSize;
  slide = windowKind == KIND_SLIDING ? windowSlide : windowSize;
  offset = windowOffset;
  lateness = allowed;
  watermark = -Infinity;
  cacheWays = windowKind == KIND_SLIDING ? <i32>min<f64>(8, Math.ceil(windowSize / windowSlide)) : 1;
  cachedKeys = 0;
  regionsInit();
  regionGrow(R_INPUT, 4096);
  tableInit();
  timersReset();
  outputsInit();
}

export function header(): usize {
  return HEADER;
}

/** Makes the input region at least `bytes` long and returns its address (stable until the next call). */
export function reserveInput(bytes: u32): usize {
  regionGrow(R_INPUT, <u64>bytes);
  return regionBase(R_INPUT);
}

/**
 * Processes rows 0..n of the batch in the input region (f64 timestamps[n] | f64 values[n] | i32 keys[n]), in row
 * order, exactly as WindowOperator.processElement with EventTimeTrigger (SEMANTICS.md §3.3). Rows are validated
 * first; an invalid batch changes nothing.
 */
export function process(n: i32): i32 {
  const input = regionBase(R_INPUT); // R_INPUT is region 0: growth of any other region leaves it in place
  const timestamps = input;
  const values = input + (<usize>n << 3);
  const keys = input + (<usize>n << 4);
  startOutputs();
  let maxKey = -1;
  for (let row = 0; row < n; row++) {
    const ts = load<f64>(timestamps + (<usize>row << 3));
    const key = load<i32>(keys + (<usize>row << 2));
    if (!(abs<f64>(ts) <= MAX_SAFE_INTEGER && trunc<f64>(ts) == ts) || key < 0) return publish(BAD_ROW, row);
    maxKey = max(maxKey, key);
  }
  coverKeys(maxKey + 1);
  const cache = regionBase(R_KEY_CACHE); // before R_TABLE: stays in place during the loop
  let touched = 0;
  for (let row = 0; row < n; row++) {
    const ahead = row + PREFETCH_DISTANCE;
    if (ahead < n) {
      const hint = load<i32>(cache + ((<usize>load<i32>(keys + (<usize>ahead << 2)) * <usize>cacheWays) << 2));
      if (hint >= 0) touched ^= load<i32>(slotAddr(hint), S_KEY);
    }
    const ts = load<f64>(timestamps + (<usize>row << 3)) + 0.0; // -0 → +0: the start JS computes for -0
    const value = load<f64>(values + (<usize>row << 3));
    const key = load<i32>(keys + (<usize>row << 2));
    const keyCache = cache + ((<usize>key * <usize>cacheWays) << 2);
    let added = false;
    if (kind == KIND_SLIDING) {
      // SlidingEventTimeWindows.assignWindows: newest first, every start > ts - size.
      const lower = ts - size;
      let ordinal = 0;
      for (let start = windowStart(ts, slide); start > lower; start -= slide) {
        const cached = ordinal < cacheWays ? keyCache + (<usize>(ordinal++) << 2) : 0;
        if (addToWindow(key, value, start, row, cached)) added = true;
      }
    } else {
      added = addToWindow(key, value, windowStart(ts, size), row, keyCache);
    }
    if (!added && ts + lateness <= watermark) appendLate(row);
  }
  sinkTouched(touched);
  return publish(OK);
}

/**
 * Advances the watermark: fires every window whose timer is due (maxTimestamp <= watermark), in ascending
 * maxTimestamp order, and frees every window whose cleanup time maxTimestamp + allowedLateness <= watermark
 * (SEMANTICS.md §2.1, §3.4). A watermark that does not advance does nothing.
 */
export function advance(newWatermark: f64): void {
  startOutputs();
  if (newWatermark > watermark) {
    watermark = newWatermark;
    while (timerCount() > 0 && topTime() <= watermark) {
      if (!topIsValid()) {
        popTop();
        continue;
      }
      const slot = topSlot();
      const a = slotAddr(slot);
      if (load<i32>(a, S_PENDING) != 0) {
        emit(slot);
        store<i32>(a, 0, S_PENDING);
        const cleanup = load<f64>(a, S_MAX_TS) + lateness;
        if (cleanup > watermark) {
          delayTop(cleanup);
          continue;
        }
      }
      popTop();
      release(slot);
    }
  }
  publish(OK);
}

/** Writes the snapshot of key group `group` to the input region (layout: window-snapshot.ts). */
export function snapshot(group: i32): i32 {
  startOutputs();
  const count = countGroup(group);
  if (count < 0) return publish(NO_KEY_GROUP, -(count + 1));
  const bytes = SNAPSHOT_HEADER_BYTES + <usize>count * SNAPSHOT_RECORD_BYTES;
  regionGrow(R_INPUT, <u64>bytes);
  regionGrow(R_FREED, <u64>count << 2); // sort scratch; R_FREED lies after R_INPUT, so grow it second
  writeSnapshot(regionBase(R_INPUT), regionBase(R_FREED), group, count, kind, size, slide, offset);
  return publish(OK, 0, <i32>bytes);
}

/**
 * Adds the windows of the snapshot of `length` bytes in the input region; every restored window is reported as
 * created, with its record index as row. Sets the key group of every restored key.
 */
export function restore(length: u32): i32 {
  startOutputs();
  const input = regionBase(R_INPUT);
  if (length < <u32>SNAPSHOT_HEADER_BYTES || load<u32>(input) != SNAPSHOT_MAGIC) return publish(BAD_SNAPSHOT);
  const group = load<i32>(input, 4);
  const count = load<u32>(input, 8);
  const expected = <u64>SNAPSHOT_HEADER_BYTES + <u64>count * <u64>SNAPSHOT_RECORD_BYTES;
  if (<u64>length != expected) return publish(BAD_SNAPSHOT);
  if (load<i32>(input, 12) != kind || load<f64>(input, 16) != size || load<f64>(input, 24) != slide) {
    return publish(OTHER_WINDOWS);
  }
  if (load<f64>(input, 32) != offset) return publish(OTHER_WINDOWS);
  for (let j: u32 = 0; j < count; j++) {
    const r = input + SNAPSHOT_HEADER_BYTES + <usize>j * SNAPSHOT_RECORD_BYTES;
    const key = load<i32>(r);
    if (key < 0) return publish(BAD_SNAPSHOT);
    setKeyGroup(key, group);
    const start = load<f64>(r, 8);
    const found = findOrCreate(key, start);
    if (found >= 0) return publish(DUPLICATE_WINDOW, j);
    const slot = ~found;
    const maxTs = start + size - 1;
    const pending = load<i32>(r, 4) & 1;
    const a = slotAddr(slot);
    store<f64>(a, load<f64>(r, 16), S_COUNT);
    store<f64>(a, load<f64>(r, 24), S_SUM);
    store<f64>(a, load<f64>(r, 32), S_MIN);
    store<f64>(a, load<f64>(r, 40), S_MAX);
    store<f64>(a, maxTs, S_MAX_TS);
    store<i32>(a, pending, S_PENDING);
    scheduleTimer(slot, pending != 0 ? maxTs : maxTs + lateness);
    appendCreated(slot, <i32>j, start);
  }
  return publish(OK);
}

/**
 * TimeWindow.getWindowStartWithOffset(ts, offset, windowSize) with JS / Java remainder semantics (SEMANTICS.md
 * §1.1), bit-identical to the JS expression for every safe-integer ts: for an integer |x| < 2^53, trunc(x / size)
 * is the exact quotient (the division cannot round across an integer), so x - q * size is the exact remainder,
 * as `%` computes it (sign of x). f64 `%` is a slow software fmod in AssemblyScript and is kept for the rest.
 */
// @ts-ignore: decorator
@inline
function windowStart(ts: f64, windowSize: f64): f64 {
  const x = ts - offset;
  const remainder = abs<f64>(x) <= MAX_SAFE_INTEGER ? x - trunc<f64>(x / windowSize) * windowSize : x % windowSize;
  return remainder < 0 ? ts - (remainder + windowSize) : ts - remainder;
}

/**
 * One window of one row (WindowOperator.processElement's loop body): skipped when late (cleanup time <= watermark),
 * else the value is added and EventTimeTrigger.onElement either fires at once (maxTimestamp <= watermark, cumulative
 * contents) or registers the timer at maxTimestamp. Returns whether the value was added.
 */
// @ts-ignore: decorator
@inline
function addToWindow(key: i32, value: f64, start: f64, row: i32, cached: usize): bool {
  const maxTs = start + size - 1;
  if (maxTs + lateness <= watermark) return false;
  let found = -1;
  if (cached != 0) {
    const hint = load<i32>(cached);
    if (hint >= 0) {
      const a = slotAddr(hint);
      if (load<i32>(a, S_KEY) == key && load<f64>(a, S_START) == start) found = hint;
    }
  }
  if (found < 0) {
    found = findOrCreate(key, start);
    if (cached != 0) store<i32>(cached, found >= 0 ? found : ~found);
  }
  if (found >= 0) {
    const a = slotAddr(found);
    store<f64>(a, load<f64>(a, S_COUNT) + 1, S_COUNT);
    store<f64>(a, load<f64>(a, S_SUM) + value, S_SUM);
    // Replace only on a strictly smaller/larger value, as the JS path's min/max reduce does: a NaN never
    // replaces, and a NaN first value stays (Math.min would propagate NaN instead).
    if (value < load<f64>(a, S_MIN)) store<f64>(a, value, S_MIN);
    if (value > load<f64>(a, S_MAX)) store<f64>(a, value, S_MAX);
    if (maxTs <= watermark) emit(found);
    else if (load<i32>(a, S_PENDING) == 0) {
      // Only after a restore: the window fired before the snapshot, and its timer is registered again.
      store<i32>(a, 1, S_PENDING);
      scheduleTimer(found, maxTs);
    }
  } else {
    const slot = ~found;
    const a = slotAddr(slot);
    store<f64>(a, 1, S_COUNT);
    store<f64>(a, value, S_SUM);
    store<f64>(a, value, S_MIN);
    store<f64>(a, value, S_MAX);
    store<f64>(a, maxTs, S_MAX_TS);
    const pending = maxTs > watermark;
    store<i32>(a, pending ? 1 : 0, S_PENDING);
    scheduleTimer(slot, pending ? maxTs : maxTs + lateness);
    appendCreated(slot, row, start);
    if (!pending) emit(slot);
  }
  return true;
}

/** Makes the key cache cover key indices below `keys` (new entries empty). */
function coverKeys(keys: i32): void {
  if (keys <= cachedKeys) return;
  const ways = <usize>cacheWays;
  regionGrow(R_KEY_CACHE, (<u64>keys * <u64>ways) << 2);
  const from = (<usize>cachedKeys * ways) << 2;
  cachedKeys = <i32>((regionCap(R_KEY_CACHE) >> 2) / ways);
  memory.fill(regionBase(R_KEY_CACHE) + from, 0xff, ((<usize>cachedKeys * ways) << 2) - from);
}

function release(slot: i32): void {
  appendFreed(slot);
  freeSlot(slot);
}
