/**
 * The demo's synthetic clickstream, defined per event index so that any generator subtask can produce any range
 * and a plain-JS loop can recount it: event `i` is a click on page `pageOf(i, pages)` by user `userOf(i)` at
 * `timestampOf(i)`, one click per millisecond of event time. No engine imports: the page and the browser test
 * both use it.
 */

/** Event time of the first click: 2025-01-01T00:00:00Z (window starts align to it for any whole-second size). */
export const START = Date.UTC(2025, 0, 1);
export const USERS = 10_000;

const NAMED_PAGES = '/ /search /cart /checkout /account /help /blog /pricing /docs /about'.split(' ');

/** Page `index` by name: the named pages first, then `/product/100`, `/product/101`, … */
export function pageName(index: number): string {
  return NAMED_PAGES[index] ?? `/product/${100 + index - NAMED_PAGES.length}`;
}

export function timestampOf(i: number): number {
  return START + i;
}

/** Zipf-like popularity: skewed towards page 0. */
export function pageOf(i: number, pages: number): number {
  const u = hash32(i) / 4294967296;
  return Math.floor(pages * u * u * Math.sqrt(u)); // u^2.5
}

export function userOf(i: number): number {
  return hash32(i ^ 0x9e3779b9) % USERS;
}

/** The columnar generator's `fill`: rows `first … first + rows - 1` into the `page` and `user` i32 columns. */
export function fillClicks(
  pages: number,
  columns: Record<string, Float64Array | Int32Array>,
  timestamps: Float64Array,
  first: number,
  rows: number,
): void {
  const page = columns.page!;
  const user = columns.user!;
  for (let r = 0; r < rows; r++) {
    const i = first + r;
    page[r] = pageOf(i, pages);
    user[r] = userOf(i);
    timestamps[r] = timestampOf(i);
  }
}

/**
 * Plain-JS tumbling-window count of the first `events` clicks: window start → clicks per page. Timestamps only
 * grow with `i`, so each window is opened once.
 */
export function countPerWindow(events: number, pages: number, windowMs: number): Map<number, Uint32Array> {
  const windows = new Map<number, Uint32Array>();
  let start = -Infinity;
  let counts = new Uint32Array(pages);
  for (let i = 0; i < events; i++) {
    const ts = timestampOf(i);
    if (ts >= start + windowMs) {
      start = ts - (ts % windowMs); // Flink's TimeWindow.getWindowStartWithOffset with offset 0
      counts = new Uint32Array(pages);
      windows.set(start, counts);
    }
    counts[pageOf(i, pages)]!++;
  }
  return windows;
}

/** lowbias32, an integer hash by Chris Wellons (github.com/skeeto/hash-prospector). */
function hash32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
