// Keyed event-time window aggregation (count, sum, min, max of one f64 per key and window) for tumbling and
// sliding windows with the default EventTimeTrigger and allowed lateness — one instance per window operator
// subtask. Reproduces src/runtime/operators/window/window-operator.ts for these cases (SEMANTICS.md §1.2, §1.3,
// §3.2–§3.5, §4); src/wasm/window-agg-reference.ts is the plain-TS twin held to it by differential tests.
//
// This file is the instance's lifecycle: set up, process a batch (validation here, rows in window-rows.ts),
// advance the watermark, snapshot and restore. Results go to the output columns (window-outputs.ts) and their
// counts to the header; each call starts its outputs afresh.

import { HEADER, R_FREED, R_INPUT, regionBase, regionGrow, regionsInit } from './window-regions';
import {
  configure,
  kind,
  KIND_SLIDING,
  lateness,
  noteRestoredFired,
  offset,
  setWatermark,
  size,
  slide,
  watermark,
} from './window-config';
import {
  appendCreated,
  appendFreed,
  emit,
  outputsInit,
  publish,
  sinkTouched,
  startOutputs,
} from './window-outputs';
import { processSliding, processTumbling } from './window-rows';
import {
  coverKeys,
  findOrCreate,
  freeSlot,
  S_COUNT,
  S_MAX,
  S_MIN,
  S_NEXT,
  S_PENDING,
  S_START,
  S_SUM,
  slotAddr,
  tableInit,
} from './window-table';
import { hasDue, popDue, scheduleTimer, timersReset } from './window-timers';
import {
  countGroup,
  setKeyGroup,
  SNAPSHOT_HEADER_BYTES,
  SNAPSHOT_MAGIC,
  SNAPSHOT_RECORD_BYTES,
  writeSnapshot,
} from './window-snapshot';

// Status codes returned by process / snapshot / restore; details go to the header's detail word.
export const OK = 0;
export const BAD_ROW = 1; //         a timestamp is not a safe integer or a key index is negative; detail = row
export const NO_KEY_GROUP = 2; //    snapshot: a live window's key has no key group; detail = key index
export const BAD_SNAPSHOT = 3; //    restore: not a snapshot (magic, length); detail = 0
export const OTHER_WINDOWS = 4; //   restore: snapshot of another window configuration
export const DUPLICATE_WINDOW = 5; // restore: a window already present; detail = record index

const MAX_SAFE_INTEGER: f64 = 9007199254740991;

/** Sets up a fresh instance. The caller has validated the configuration (window-kernel.ts). */
export function init(windowKind: i32, windowSize: f64, windowSlide: f64, windowOffset: f64, allowed: f64): void {
  configure(windowKind, windowSize, windowSlide, windowOffset, allowed);
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
 * first, in a pass that only reads; an invalid batch changes nothing.
 */
export function process(n: i32): i32 {
  const input = regionBase(R_INPUT); // R_INPUT is region 0: growth of any other region leaves it in place
  const timestamps = input;
  const keys = input + (<usize>n << 4);
  startOutputs();
  // Validation without a branch per row (~0.6 ns a row less than one), and a second pass to name a bad row.
  let valid = true;
  let minKey = 0;
  let maxKey = -1;
  for (let row = 0; row < n; row++) {
    const ts = load<f64>(timestamps + (<usize>row << 3));
    const key = load<i32>(keys + (<usize>row << 2));
    valid = valid & (abs<f64>(ts) <= MAX_SAFE_INTEGER) & (trunc<f64>(ts) == ts);
    minKey = min(minKey, key);
    maxKey = max(maxKey, key);
  }
  if (!valid || minKey < 0) {
    for (let row = 0; row < n; row++) {
      const ts = load<f64>(timestamps + (<usize>row << 3));
      const key = load<i32>(keys + (<usize>row << 2));
      if (!(abs<f64>(ts) <= MAX_SAFE_INTEGER && trunc<f64>(ts) == ts) || key < 0) return publish(BAD_ROW, row);
    }
  }
  coverKeys(maxKey + 1);
  if (kind == KIND_SLIDING) sinkTouched(processSliding(input, n));
  else processTumbling(input, n);
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
    setWatermark(newWatermark);
    while (hasDue(watermark)) {
      // One bucket: every slot in it is due at the bucket's time, its maxTimestamp or its cleanup time.
      let slot = popDue();
      while (slot >= 0) {
        const a = slotAddr(slot);
        const next = load<i32>(a, S_NEXT);
        if (load<i32>(a, S_PENDING) != 0) {
          emit(slot);
          store<i32>(a, 0, S_PENDING);
        }
        const cleanup = load<f64>(a, S_START) + size - 1 + lateness;
        if (cleanup <= watermark) release(slot);
        else scheduleTimer(slot, cleanup);
        slot = next;
      }
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
 * created, with its record index as row. Sets the key group of every restored key. Runs before the first
 * watermark, so every window's timer is at its maxTimestamp; a window that fired before the snapshot is restored
 * not pending and only frees itself there (or at its cleanup time).
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
    coverKeys(key + 1);
    const start = load<f64>(r, 8);
    const found = findOrCreate(key, start);
    if (found >= 0) return publish(DUPLICATE_WINDOW, j);
    const slot = ~found;
    const a = slotAddr(slot);
    store<f64>(a, load<f64>(r, 16), S_COUNT);
    store<f64>(a, load<f64>(r, 24), S_SUM);
    store<f64>(a, load<f64>(r, 32), S_MIN);
    store<f64>(a, load<f64>(r, 40), S_MAX);
    const pending = load<i32>(r, 4) & 1;
    store<i32>(a, pending, S_PENDING);
    scheduleTimer(slot, start + size - 1);
    if (pending == 0) noteRestoredFired(start + size - 1);
    appendCreated(slot, <i32>j, start);
  }
  return publish(OK);
}

function release(slot: i32): void {
  appendFreed(slot);
  freeSlot(slot);
}
