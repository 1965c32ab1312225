// The event-time timers of a window-aggregator instance: a binary min-heap with one valid entry per live slot,
// ordered by the slot's next event time — its maxTimestamp while its EventTimeTrigger timer is pending, else its
// cleanup time maxTimestamp + allowedLateness (SEMANTICS.md §3.2, §3.4). Ties pop in any order.
//
// Entry (16 bytes, region R_TIMERS):  0 f64 time | 8 i32 slot | 12 i32 generation
// An entry is valid while its generation equals the slot's (S_TIMER_GEN, window-table.ts); rescheduling or
// freeing a slot bumps the slot's generation, which invalidates older entries in O(1) — they are skipped when
// they surface. Entries never point back into slots, so sifting touches the heap array only.

import { R_TIMERS, regionBase, regionGrow } from './window-regions';
import { S_TIMER_GEN, slotAddr } from './window-table';

let heapSize: i32 = 0;

// @ts-ignore: decorator
@inline
function entryAddr(i: i32): usize {
  return regionBase(R_TIMERS) + (<usize>i << 4);
}

// @ts-ignore: decorator
@inline
function place(i: i32, time: f64, slot: i32, generation: i32): void {
  const e = entryAddr(i);
  store<f64>(e, time);
  store<i32>(e, slot, 8);
  store<i32>(e, generation, 12);
}

export function timersReset(): void {
  heapSize = 0;
}

export function timerCount(): i32 {
  return heapSize;
}

export function topTime(): f64 {
  return load<f64>(entryAddr(0));
}

export function topSlot(): i32 {
  return load<i32>(entryAddr(0), 8);
}

/** Whether the top entry is still its slot's timer. */
export function topIsValid(): bool {
  const e = entryAddr(0);
  return load<i32>(slotAddr(load<i32>(e, 8)), S_TIMER_GEN) == load<i32>(e, 12);
}

/** Schedules `slot` at `time`, replacing (invalidating) any earlier entry of the slot. */
export function scheduleTimer(slot: i32, time: f64): void {
  const a = slotAddr(slot);
  const generation = load<i32>(a, S_TIMER_GEN) + 1;
  store<i32>(a, generation, S_TIMER_GEN);
  regionGrow(R_TIMERS, (<u64>heapSize + 1) << 4);
  siftUp(heapSize++, time, slot, generation);
}

/** Gives the (valid) top entry a later `time`. */
export function delayTop(time: f64): void {
  const e = entryAddr(0);
  siftDown(0, time, load<i32>(e, 8), load<i32>(e, 12));
}

export function popTop(): void {
  const last = --heapSize;
  if (last > 0) {
    const e = entryAddr(last);
    siftDown(0, load<f64>(e), load<i32>(e, 8), load<i32>(e, 12));
  }
}

function siftUp(i: i32, time: f64, slot: i32, generation: i32): void {
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = entryAddr(parent);
    const parentTime = load<f64>(p);
    if (parentTime <= time) break;
    place(i, parentTime, load<i32>(p, 8), load<i32>(p, 12));
    i = parent;
  }
  place(i, time, slot, generation);
}

function siftDown(i: i32, time: f64, slot: i32, generation: i32): void {
  const n = heapSize;
  while (true) {
    let child = (i << 1) + 1;
    if (child >= n) break;
    let c = entryAddr(child);
    if (child + 1 < n && load<f64>(c, 16) < load<f64>(c)) {
      child++;
      c += 16;
    }
    const childTime = load<f64>(c);
    if (time <= childTime) break;
    place(i, childTime, load<i32>(c, 8), load<i32>(c, 12));
    i = child;
  }
  place(i, time, slot, generation);
}
