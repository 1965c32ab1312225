// The outputs of a window-aggregator call, as columns in their regions (window-regions.ts), and the header
// counters JS reads after the call. Every call starts its outputs afresh (startOutputs) and ends with publish.
// The appenders of the hot paths are inlined: V8 spills every live value around a call, and inlining emit and
// appendFreed made advance ~12% faster on bench/windowed-sum-columnar.
//
// Header words after the REGION_COUNT descriptors (i32):
//   +0 created  +1 emitted  +2 late  +3 freed  +4 live windows  +5 snapshot bytes  +6 detail (of a status)
//   +7 sink of the prefetching loads in process (meaningless; written so the optimizer keeps those loads)

import {
  HEADER,
  R_CR_ROW,
  R_CR_SLOT,
  R_CR_START,
  R_EM_COUNT,
  R_EM_KEY,
  R_EM_MAX,
  R_EM_MIN,
  R_EM_SLOT,
  R_EM_START,
  R_EM_SUM,
  R_FREED,
  R_LATE,
  REGION_COUNT,
  regionBase,
  regionGrow,
  regionGrowRun,
} from './window-regions';
import { liveSlotCount, S_COUNT, S_KEY, S_MAX, S_MIN, S_START, S_SUM, slotAddr } from './window-table';

const H_CREATED = REGION_COUNT * 2;
const H_EMITTED = H_CREATED + 1;
const H_LATE = H_CREATED + 2;
const H_FREED = H_CREATED + 3;
const H_LIVE = H_CREATED + 4;
const H_SNAPSHOT_BYTES = H_CREATED + 5;
const H_DETAIL = H_CREATED + 6;
const H_TOUCHED = H_CREATED + 7;

// Entries written by this call, and the capacity (in entries) of each group of columns.
let createdCount: i32 = 0;
let createdCap: i32 = 0;
let emitCount: i32 = 0;
let emitCap: i32 = 0;
let lateCount: i32 = 0;
let lateCap: i32 = 0;
let freedCount: i32 = 0;
let freedCap: i32 = 0;

export function outputsInit(): void {
  createdCap = emitCap = lateCap = freedCap = 0;
  growCreated();
  growEmissions();
  growLate();
  growFreed();
  startOutputs();
  publish(0);
}

export function startOutputs(): void {
  createdCount = emitCount = lateCount = freedCount = 0;
}

/** Writes the counters to the header for JS and returns `status`. */
export function publish(status: i32, detail: i32 = 0, snapshotBytes: i32 = 0): i32 {
  const h = HEADER;
  store<i32>(h + (<usize>H_CREATED << 2), createdCount);
  store<i32>(h + (<usize>H_EMITTED << 2), emitCount);
  store<i32>(h + (<usize>H_LATE << 2), lateCount);
  store<i32>(h + (<usize>H_FREED << 2), freedCount);
  store<i32>(h + (<usize>H_LIVE << 2), liveSlotCount());
  store<i32>(h + (<usize>H_SNAPSHOT_BYTES << 2), snapshotBytes);
  store<i32>(h + (<usize>H_DETAIL << 2), detail);
  return status;
}

export function sinkTouched(value: i32): void {
  store<i32>(HEADER + (<usize>H_TOUCHED << 2), value);
}

/** Appends a firing of `slot` with its current contents. */
// @ts-ignore: decorator
@inline
export function emit(slot: i32): void {
  if (emitCount == emitCap) growEmissions();
  const a = slotAddr(slot);
  const i = <usize>(emitCount++);
  store<i32>(regionBase(R_EM_SLOT) + (i << 2), slot);
  store<i32>(regionBase(R_EM_KEY) + (i << 2), load<i32>(a, S_KEY));
  store<f64>(regionBase(R_EM_START) + (i << 3), load<f64>(a, S_START));
  store<f64>(regionBase(R_EM_COUNT) + (i << 3), load<f64>(a, S_COUNT));
  store<f64>(regionBase(R_EM_SUM) + (i << 3), load<f64>(a, S_SUM));
  store<f64>(regionBase(R_EM_MIN) + (i << 3), load<f64>(a, S_MIN));
  store<f64>(regionBase(R_EM_MAX) + (i << 3), load<f64>(a, S_MAX));
}

// @ts-ignore: decorator
@inline
export function appendCreated(slot: i32, row: i32, start: f64): void {
  if (createdCount == createdCap) growCreated();
  const i = <usize>(createdCount++);
  store<i32>(regionBase(R_CR_SLOT) + (i << 2), slot);
  store<i32>(regionBase(R_CR_ROW) + (i << 2), row);
  store<f64>(regionBase(R_CR_START) + (i << 3), start);
}

export function appendLate(row: i32): void {
  if (lateCount == lateCap) growLate();
  store<i32>(regionBase(R_LATE) + (<usize>(lateCount++) << 2), row);
}

// @ts-ignore: decorator
@inline
export function appendFreed(slot: i32): void {
  if (freedCount == freedCap) growFreed();
  store<i32>(regionBase(R_FREED) + (<usize>(freedCount++) << 2), slot);
}

function growCreated(): void {
  createdCap = max(64, createdCap << 1);
  regionGrow(R_CR_SLOT, <u64>createdCap << 2);
  regionGrow(R_CR_ROW, <u64>createdCap << 2);
  regionGrow(R_CR_START, <u64>createdCap << 3);
}

/** The emission columns of 8-byte entries, as a bit set of region ids (the others hold 4-byte entries). */
const EMISSIONS_WIDE: u32 =
  (1 << R_EM_START) | (1 << R_EM_COUNT) | (1 << R_EM_SUM) | (1 << R_EM_MIN) | (1 << R_EM_MAX);

function growEmissions(): void {
  emitCap = max(64, emitCap << 1);
  // The emission columns are adjacent regions, R_EM_SLOT..R_EM_MAX: grown as one run.
  regionGrowRun(R_EM_SLOT, R_EM_MAX, <u64>emitCap, EMISSIONS_WIDE);
}

function growLate(): void {
  lateCap = max(64, lateCap << 1);
  regionGrow(R_LATE, <u64>lateCap << 2);
}

function growFreed(): void {
  freedCap = max(64, freedCap << 1);
  regionGrow(R_FREED, <u64>freedCap << 2);
}
