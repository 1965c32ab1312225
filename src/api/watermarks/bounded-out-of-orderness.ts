/**
 * Periodic generators for out-of-order and ascending timestamps (SEMANTICS.md §2.2; Flink
 * `BoundedOutOfOrdernessWatermarks`, `AscendingTimestampsWatermarks`). The watermark is `maxSeenTs - bound - 1`:
 * the extra millisecond is SEMANTICS §9.3. Before any event the watermark is MIN (-Infinity, which never goes out).
 */
import type { WatermarkGenerator, WatermarkOutput } from './watermark-generator.ts';

export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  /** Largest timestamp seen; starts at MIN + bound + 1, i.e. -Infinity, so the first watermark is MIN. */
  private maxTimestamp = -Infinity;

  constructor(private readonly outOfOrdernessMillis: number) {
    checkOutOfOrderness(outOfOrdernessMillis, 'BoundedOutOfOrdernessWatermarks');
  }

  onEvent(_event: T, eventTimestamp: number, _output: WatermarkOutput): void {
    if (eventTimestamp > this.maxTimestamp) this.maxTimestamp = eventTimestamp;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.outOfOrdernessMillis - 1);
  }
}

/** Bound 0: the watermark trails the largest timestamp by 1 ms (Flink's class comment says "one after"; code is -1). */
export class AscendingTimestampsWatermarks<T> extends BoundedOutOfOrdernessWatermarks<T> {
  constructor() {
    super(0);
  }
}

/** Flink: `checkArgument(!maxOutOfOrderness.isNegative(), "maxOutOfOrderness cannot be negative")`. */
export function checkOutOfOrderness(value: number, api: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${api}: maxOutOfOrderness must be an integer number of milliseconds, got ${String(value)}`);
  }
  if (value < 0) throw new RangeError(`${api}: maxOutOfOrderness cannot be negative, got ${value}`);
}
