/**
 * Evictors remove elements from a window's buffer before and/or after the window function runs (Flink Evictor).
 * A windowed stream with an evictor buffers every element (no pre-aggregation); elements are handed over in
 * arrival order, which Flink does not guarantee but Rivulet does on one subtask.
 */
import type { Window } from './windows.ts';

export interface TimestampedValue<T> {
  readonly value: T;
  /** Event timestamp, or -Infinity when the element has none. */
  readonly timestamp: number;
}

export interface EvictorContext {
  getCurrentWatermark(): number;
  getCurrentProcessingTime(): number;
}

export interface Evictor<T = unknown, W extends Window = Window> {
  /** May remove elements from `elements` (in place) before the window function sees them. */
  evictBefore(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
  /** May remove elements from `elements` (in place) after the window function ran. */
  evictAfter(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
}

/** Keeps only the last `maxCount` elements (Flink CountEvictor; before the function unless `doEvictAfter`). */
export class CountEvictor implements Evictor {
  private constructor(
    readonly maxCount: number,
    readonly doEvictAfter: boolean,
  ) {}

  static of(maxCount: number, doEvictAfter = false): CountEvictor {
    if (!Number.isSafeInteger(maxCount) || maxCount <= 0) {
      throw new RangeError(`CountEvictor.of: maxCount must be a positive integer, got ${maxCount}`);
    }
    return new CountEvictor(maxCount, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<unknown>[], size: number): void {
    if (!this.doEvictAfter) this.evict(elements, size);
  }

  evictAfter(elements: TimestampedValue<unknown>[], size: number): void {
    if (this.doEvictAfter) this.evict(elements, size);
  }

  private evict(elements: TimestampedValue<unknown>[], size: number): void {
    if (size > this.maxCount) elements.splice(0, size - this.maxCount);
  }
}
