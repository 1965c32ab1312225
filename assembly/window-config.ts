// The window configuration and event-time clock of a window-aggregator instance, shared by its lifecycle
// (window-agg.ts) and its row loops (window-rows.ts). Written only through the functions below.
//
// All arithmetic on times is f64, as in the JS operator: `maxTimestamp + allowedLateness` cannot overflow, and
// the watermark starts at -Infinity (SEMANTICS.md "Adaptation to TypeScript").

export const KIND_TUMBLING = 0;
export const KIND_SLIDING = 1;

export let kind: i32 = KIND_TUMBLING;
export let size: f64 = 1;
export let slide: f64 = 1; // = size for tumbling windows
export let offset: f64 = 0;
export let lateness: f64 = 0; // allowedLateness
export let watermark: f64 = -Infinity;

// The largest maxTimestamp of a restored window that had fired (not pending): -Infinity unless restore met one.
// A row for such a window must register its timer again (set pending); any other window a row reaches with
// maxTimestamp > watermark is pending already, so the tumbling fast loop (window-rows.ts) skips that store for
// windows ending after this.
export let restoredFiredUntil: f64 = -Infinity;

/** Sets up a fresh configuration; the caller has validated it (src/wasm/window-kernel.ts). */
export function configure(windowKind: i32, windowSize: f64, windowSlide: f64, windowOffset: f64, allowed: f64): void {
  kind = windowKind;
  size = windowSize;
  slide = windowKind == KIND_SLIDING ? windowSlide : windowSize;
  offset = windowOffset;
  lateness = allowed;
  watermark = -Infinity;
  restoredFiredUntil = -Infinity;
}

/** Moves the watermark to `time`, which is above it. */
export function setWatermark(time: f64): void {
  watermark = time;
}

/** Notes a restored window that fired before the snapshot, ending at `maxTimestamp`. */
export function noteRestoredFired(maxTimestamp: f64): void {
  restoredFiredUntil = max(restoredFiredUntil, maxTimestamp);
}
