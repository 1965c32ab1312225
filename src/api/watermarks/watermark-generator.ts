/**
 * The watermark generator contract (Flink `WatermarkGenerator`, `WatermarkOutput`, `WatermarkGeneratorSupplier` in
 * flink-core `api/common/eventtime`). A generator sees every event with its assigned timestamp (`onEvent`) and is
 * probed every auto-watermark interval (`onPeriodicEmit`); a periodic generator emits from the probe, a punctuated
 * one from `onEvent`. Timestamps and watermarks are integer milliseconds (SEMANTICS.md §2).
 */
import type { RuntimeContext } from '../functions.ts';
import type { Clock } from '../../runtime/time.ts';

/** Where a generator sends watermarks and idleness. Only watermarks larger than the last one emitted go out. */
export interface WatermarkOutput {
  /** Emits `Watermark(timestamp)` if it is larger than every watermark emitted so far; reactivates an idle output. */
  emitWatermark(timestamp: number): void;
  /** Declares the output idle: downstream operators exclude it from their watermark (SEMANTICS.md §2.3). */
  markIdle(): void;
  /** Declares the output active again (no-op unless idle). */
  markActive(): void;
}

export interface WatermarkGenerator<T> {
  /** Called for every event, after it was emitted with its new timestamp. */
  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void;
  /** Called every `autoWatermarkInterval` ms of processing time, and once more at end of input. */
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** What a generator may read when it is created, once per parallel instance. */
export interface WatermarkGeneratorContext extends RuntimeContext {
  /** The job's processing-time clock (manual under TestStream): the clock idleness is measured on. */
  readonly inputActivityClock: Clock;
}

/** Creates one generator per parallel instance: a function, or an object with `createWatermarkGenerator`. */
export type WatermarkGeneratorSupplier<T> =
  | ((context: WatermarkGeneratorContext) => WatermarkGenerator<T>)
  | { createWatermarkGenerator(context: WatermarkGeneratorContext): WatermarkGenerator<T> };

/**
 * Extracts an event's timestamp (Flink `TimestampAssigner`). `recordTimestamp` is the timestamp the record already
 * carries, or `NO_TIMESTAMP` (-Infinity) when it has none.
 */
export type TimestampAssigner<T> =
  ((element: T, recordTimestamp: number) => number) | { extractTimestamp(element: T, recordTimestamp: number): number };
