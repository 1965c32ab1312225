// Growable regions of a window-aggregator instance, laid out back to back after a fixed header:
//
//   HEADER (256 bytes, 64-aligned, never moves)
//   ├─ u32 base, u32 capacity (bytes)   × REGION_COUNT   region descriptors, read by JS after every call
//   └─ i32 counters                     (window-agg.ts, H_* word indices)
//   region 0 | region 1 | … | region REGION_COUNT-1     each 64-byte aligned, capacity a multiple of 64
//
// Growing region r extends it in place and moves every later region up by the difference (memory.copy handles
// the overlap), so memory holds exactly the sum of the capacities: no holes, no allocator, and a steady workload
// stops growing memory once every region has reached its high-water mark. Regions never shrink. A growth moves
// later regions, so addresses inside them must be re-read from the descriptors after any growth.
//
// Out of memory traps (`unreachable`): the instance is then inconsistent and JS discards it.

/** Start of the header: the first 64-byte aligned address past static data. */
export const HEADER: usize = (__heap_base + 63) & ~(<usize>63);
export const HEADER_BYTES: usize = 256;

// Region ids, in layout order. Regions before R_SLOTS never grow while a batch is processed, so their addresses
// hold for a whole call. Ids 0 and 6..17 are read by JS (src/wasm/kernel-abi.ts WINDOW_REGION); 1..5 are private.
export const R_INPUT = 0; //      process: f64 timestamps[n] | f64 values[n] | i32 keys[n]; snapshot/restore bytes
export const R_GROUPS = 1; //     i32 key group per key index, -1 = not set
export const R_KEYS = 2; //       per key index: the head of its window list, whether it is indexed (window-table.ts)
export const R_SLOTS = 3; //      slot records (window-table.ts)
export const R_TIMERS = 4; //     timer buckets and their heap (window-timers.ts)
export const R_INDEX = 5; //      index of keys with many live windows (window-index.ts)
export const R_CR_SLOT = 6; //    created: i32 slot
export const R_CR_ROW = 7; //     created: i32 row
export const R_CR_START = 8; //   created: f64 window start
export const R_LATE = 9; //       late: i32 row
export const R_EM_SLOT = 10; //   emissions: i32 slot
export const R_EM_KEY = 11; //    emissions: i32 key
export const R_EM_START = 12; //  emissions: f64 start
export const R_EM_COUNT = 13; //  emissions: f64 count
export const R_EM_SUM = 14; //    emissions: f64 sum
export const R_EM_MIN = 15; //    emissions: f64 min
export const R_EM_MAX = 16; //    emissions: f64 max
export const R_FREED = 17; //     freed: i32 slot (also scratch: snapshot sorting, index growth)
export const REGION_COUNT = 18;

// @ts-ignore: decorator
@inline
export function regionBase(r: i32): usize {
  return <usize>load<u32>(HEADER + (<usize>r << 3));
}

// @ts-ignore: decorator
@inline
export function regionCap(r: i32): usize {
  return <usize>load<u32>(HEADER + (<usize>r << 3), 4);
}

/** Zeroes the header and lays out every region empty, right after it. */
export function regionsInit(): void {
  ensureMemory(<u64>(HEADER + HEADER_BYTES));
  memory.fill(HEADER, 0, HEADER_BYTES);
  for (let r = 0; r < REGION_COUNT; r++) store<u32>(HEADER + (<usize>r << 3), <u32>(HEADER + HEADER_BYTES));
}

/**
 * Makes region `r` hold at least `minBytes` (at least doubling it), preserving its contents; the added bytes are
 * garbage. Later regions move up; their contents move with them.
 */
export function regionGrow(r: i32, minBytes: u64): void {
  const cap = regionCap(r);
  if (minBytes <= <u64>cap) return;
  const wanted = max<u64>(<u64>cap << 1, (minBytes + 63) & ~(<u64>63));
  const last = REGION_COUNT - 1;
  const end = regionBase(last) + regionCap(last);
  const delta = wanted - <u64>cap;
  ensureMemory(<u64>end + delta);
  const tail = regionBase(r) + cap;
  memory.copy(tail + <usize>delta, tail, end - tail);
  for (let j = r + 1; j < REGION_COUNT; j++) {
    store<u32>(HEADER + (<usize>j << 3), <u32>(regionBase(j) + <usize>delta));
  }
  store<u32>(HEADER + (<usize>r << 3), <u32>wanted, 4);
}

/**
 * regionGrow for each region of the run `first..last` at once: region r must hold `entries` entries of 8 bytes if
 * bit r of `wide` is set, else of 4 bytes. Regions after the run move once, and each region of the run moves once,
 * where growing them one by one would move every later region again for each (7 emission columns: 7 moves of the
 * tail per doubling).
 */
export function regionGrowRun(first: i32, last: i32, entries: u64, wide: u32): void {
  let delta: u64 = 0;
  for (let r = first; r <= last; r++) delta += grownCap(r, entries, wide) - <u64>regionCap(r);
  if (delta == 0) return;
  const end = regionBase(REGION_COUNT - 1) + regionCap(REGION_COUNT - 1);
  ensureMemory(<u64>end + delta);
  // Regions after the run move up by the whole growth, in one copy.
  const tail = regionBase(last) + regionCap(last);
  memory.copy(tail + <usize>delta, tail, end - tail);
  for (let j = last + 1; j < REGION_COUNT; j++) {
    store<u32>(HEADER + (<usize>j << 3), <u32>(regionBase(j) + <usize>delta));
  }
  // Then each region of the run, last first (each moves up by the growth of the ones before it, so moving from the
  // top down never overwrites a region not yet moved).
  for (let r = last; r >= first; r--) {
    const cap = regionCap(r);
    const grown = <usize>grownCap(r, entries, wide);
    delta -= <u64>(grown - cap);
    const base = regionBase(r);
    if (delta != 0) memory.copy(base + <usize>delta, base, cap);
    store<u32>(HEADER + (<usize>r << 3), <u32>(base + <usize>delta));
    store<u32>(HEADER + (<usize>r << 3), <u32>grown, 4);
  }
}

/** The capacity regionGrow would give region `r` for `entries` entries (8 bytes each if bit r of `wide`, else 4). */
function grownCap(r: i32, entries: u64, wide: u32): u64 {
  const cap = <u64>regionCap(r);
  const minBytes = entries << (((wide >> <u32>r) & 1) != 0 ? 3 : 2);
  if (minBytes <= cap) return cap;
  return max<u64>(cap << 1, (minBytes + 63) & ~(<u64>63));
}

/** Grows memory so that addresses below `end` are valid; traps beyond 4 GiB or when the host refuses. */
function ensureMemory(end: u64): void {
  const pages = <i32>memory.size();
  const available = <u64>pages << 16;
  if (end <= available) return;
  if (end > (<u64>1 << 32)) unreachable();
  const needed = <i32>((end - available + 0xffff) >> 16);
  // A quarter of headroom, so that a workload growing by small steps grows memory O(log n) times.
  if (memory.grow(max(needed, pages >> 2)) < 0 && memory.grow(needed) < 0) unreachable();
}
