/**
 * Event-time sentinels (SEMANTICS.md, "Adaptation to TypeScript"): Flink's Long.MIN_VALUE / Long.MAX_VALUE become
 * -Infinity / +Infinity, so arithmetic such as `maxTimestamp + allowedLateness` saturates instead of overflowing.
 */

/** Watermark before any watermark was seen (Flink `Long.MIN_VALUE`). */
export const MIN_WATERMARK = -Infinity;
/** End of event time: emitted once when a bounded source finishes cleanly (Flink `Watermark.MAX_WATERMARK`). */
export const MAX_WATERMARK = Infinity;
/** Timestamp of a record that has none (Flink's `Long.MIN_VALUE` "no timestamp" marker). */
export const NO_TIMESTAMP = -Infinity;

/** Processing-time source. Injectable so processing-time behaviour is deterministic under test. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock moved only by explicit calls; `TestStream.advanceProcessingTime` drives one. */
export class ManualClock implements Clock {
  constructor(private current = 0) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
