// The rows of a validated batch, added to their windows in row order exactly as WindowOperator.processElement
// with EventTimeTrigger (SEMANTICS.md §3.3) — the body of window-agg.ts `process`. A row skips the windows that
// are late (cleanup time maxTimestamp + allowedLateness <= watermark), is added to the others, each of which then
// fires at once (maxTimestamp <= watermark, cumulative contents) or has its timer at maxTimestamp; a row added to
// no window is listed late when `ts + allowedLateness <= watermark`.
//
// Input (region R_INPUT): f64 timestamps[n] | f64 values[n] | i32 keys[n].

import { R_KEYS, R_SLOTS, regionBase } from './window-regions';
import { lateness, offset, restoredFiredUntil, size, slide, watermark } from './window-config';
import { appendCreated, appendLate, emit } from './window-outputs';
import {
  findOrCreate,
  keyAddr,
  S_COUNT,
  S_KEY,
  S_MAX,
  S_MIN,
  S_PENDING,
  S_START,
  S_SUM,
  slotAddr,
} from './window-table';
import { scheduleTimer } from './window-timers';

const MAX_SAFE_INTEGER: f64 = 9007199254740991;

// Sliding rows ahead whose key's newest window is touched early: wasm has no prefetch instruction, and a key's
// windows are a chain of dependent loads, so an early load keeps misses in flight. The tumbling fast loop
// goes without: there the out-of-order core overlaps the misses of successive rows by itself, and the prefetch
// cost ~0.7 ns a row on bench/windowed-sum-columnar while gaining nothing with 100k or 1M random keys.
const PREFETCH_DISTANCE = 16;

/**
 * Tumbling windows, in two loops. The general one takes a row at a time through addToWindow (any row: a new
 * window, a late row, a firing). After a row that neither fired nor was late, the fast one takes the rows that
 * follow while they fall in the same window and it is their key's newest — every row of an in-order stream but
 * the first of each key and window — with no call: V8 spills every live value around a call, and keeping calls
 * out of this loop cut a row from ~8 to ~5.8 ns, validation included (bench/windowed-sum-columnar, 10k keys).
 */
// @ts-ignore: decorator
@inline
export function processTumbling(input: usize, n: i32): void {
  const timestamps = input;
  const values = input + (<usize>n << 3);
  const keys = input + (<usize>n << 4);
  const heads = regionBase(R_KEYS); // before R_SLOTS: stays in place during the call
  // The window of the timestamps in [lo, hi]: all of [start, maxTs] when windowStart is exact at both ends (so
  // exact, and monotone, between them), else a single timestamp. No division for a row in it.
  let lo: f64 = Infinity;
  let hi: f64 = -Infinity;
  let start: f64 = 0;
  let maxTs: f64 = 0;
  let row = 0;
  while (row < n) {
    const ts = load<f64>(timestamps + (<usize>row << 3)) + 0.0; // -0 → +0: the start JS computes for -0
    if (!(ts >= lo && ts <= hi)) {
      start = windowStart(ts, size);
      maxTs = start + size - 1;
      lo = hi = ts;
      const exact = abs<f64>(start - offset) <= MAX_SAFE_INTEGER && abs<f64>(maxTs - offset) <= MAX_SAFE_INTEGER;
      if (exact && windowStart(start, size) == start && windowStart(maxTs, size) == start) {
        lo = start;
        hi = maxTs;
      }
    }
    if (maxTs + lateness <= watermark) {
      if (ts + lateness <= watermark) appendLate(row);
      row++;
      continue;
    }
    addToWindow(load<i32>(keys + (<usize>row << 2)), load<f64>(values + (<usize>row << 3)), start, maxTs, row, -1);
    row++;
    if (maxTs <= watermark || maxTs <= restoredFiredUntil) continue; // such rows stay on the general path
    const slots = regionBase(R_SLOTS); // no call below: nothing grows, so every address holds
    for (; row < n; row++) {
      const t = load<f64>(timestamps + (<usize>row << 3));
      if (!(t >= lo && t <= hi)) break;
      const slot = load<i32>(heads + (<usize>load<i32>(keys + (<usize>row << 2)) << 3));
      if (slot < 0) break;
      const a = slots + (<usize>slot << 6);
      if (load<f64>(a, S_START) != start) break;
      accumulate(a, load<f64>(values + (<usize>row << 3))); // pending already: maxTs > watermark, not restored
    }
  }
}

/**
 * Sliding windows: each row's windows, newest first (SlidingEventTimeWindows.assignWindows: every start >
 * ts - size), found by one walk down the key's list, which is in the same order (or in the index, for an indexed
 * key: window-table.ts). Returns the prefetch sink, which the caller must store so that the optimizer keeps the
 * loads.
 */
// @ts-ignore: decorator
@inline
export function processSliding(input: usize, n: i32): i32 {
  const timestamps = input;
  const values = input + (<usize>n << 3);
  const keys = input + (<usize>n << 4);
  let touched = 0;
  let lastTs = NaN;
  let first: f64 = 0;
  for (let row = 0; row < n; row++) {
    const ahead = row + PREFETCH_DISTANCE;
    if (ahead < n) {
      const hint = load<i32>(keyAddr(load<i32>(keys + (<usize>ahead << 2))));
      if (hint >= 0) touched ^= load<i32>(slotAddr(hint), S_KEY);
    }
    const ts = load<f64>(timestamps + (<usize>row << 3)) + 0.0;
    if (ts != lastTs) {
      lastTs = ts;
      first = windowStart(ts, slide);
    }
    const value = load<f64>(values + (<usize>row << 3));
    const key = load<i32>(keys + (<usize>row << 2));
    const lower = ts - size;
    let newer = -1;
    for (let start = first; start > lower; start -= slide) {
      const maxTs = start + size - 1;
      if (maxTs + lateness <= watermark) break; // late, and so are all older windows
      newer = addToWindow(key, value, start, maxTs, row, newer);
    }
    if (newer < 0 && ts + lateness <= watermark) appendLate(row);
  }
  return touched;
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
 * One window, not late, of one row (WindowOperator.processElement's loop body): the value is added, then
 * EventTimeTrigger.onElement either fires at once (maxTimestamp <= watermark, cumulative contents) or registers
 * the timer at maxTimestamp. The search starts after `newer`, a window of the key with a larger start (-1: at the
 * key's head). Returns the window's slot.
 */
// @ts-ignore: decorator
@inline
function addToWindow(key: i32, value: f64, start: f64, maxTs: f64, row: i32, newer: i32): i32 {
  const found = findOrCreate(key, start, newer);
  if (found >= 0) {
    const a = slotAddr(found);
    accumulate(a, value);
    if (maxTs <= watermark) emit(found);
    else store<i32>(a, 1, S_PENDING); // 0 only for a restored window that fired: its timer registers again
    return found;
  }
  const slot = ~found;
  const a = slotAddr(slot);
  store<f64>(a, 1, S_COUNT);
  store<f64>(a, value, S_SUM);
  store<f64>(a, value, S_MIN);
  store<f64>(a, value, S_MAX);
  const pending = maxTs > watermark;
  store<i32>(a, pending ? 1 : 0, S_PENDING);
  scheduleTimer(slot, pending ? maxTs : maxTs + lateness);
  appendCreated(slot, row, start);
  if (!pending) emit(slot);
  return slot;
}

// @ts-ignore: decorator
@inline
function accumulate(a: usize, value: f64): void {
  store<f64>(a, load<f64>(a, S_COUNT) + 1, S_COUNT);
  store<f64>(a, load<f64>(a, S_SUM) + value, S_SUM);
  // Replace only on a strictly smaller/larger value, as the JS path's min/max reduce does: a NaN never
  // replaces, and a NaN first value stays (Math.min would propagate NaN instead).
  if (value < load<f64>(a, S_MIN)) store<f64>(a, value, S_MIN);
  if (value > load<f64>(a, S_MAX)) store<f64>(a, value, S_MAX);
}
