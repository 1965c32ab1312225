/**
 * A scripted, deterministic source (Beam's TestStream): elements with explicit timestamps, watermarks placed
 * exactly where the script puts them, and processing-time advances that happen only after everything before them
 * has been processed. A job reading a TestStream runs on a manual processing-time clock starting at 0.
 *
 * @example
 * const script = TestStream.create<string>()
 *   .addElement('a', 1000)
 *   .advanceWatermarkTo(1999)
 *   .advanceProcessingTime(5000)
 *   .advanceWatermarkToInfinity();
 */
import { MAX_WATERMARK, MIN_WATERMARK } from '../runtime/time.ts';

export type TestStreamEvent<T> =
  | { readonly kind: 'element'; readonly value: T; readonly timestamp: number }
  | { readonly kind: 'watermark'; readonly timestamp: number }
  | { readonly kind: 'processing-time'; readonly ms: number };

export class TestStream<T> {
  private constructor(
    readonly events: readonly TestStreamEvent<T>[],
    private readonly watermark: number,
  ) {}

  static create<T>(): TestStream<T> {
    return new TestStream<T>([], MIN_WATERMARK);
  }

  /** Adds one element with its event timestamp (an integer number of milliseconds). */
  addElement(value: T, timestamp: number): TestStream<T> {
    if (!Number.isSafeInteger(timestamp)) {
      throw new RangeError(`TestStream.addElement: timestamp must be a safe integer of milliseconds, got ${timestamp}`);
    }
    return new TestStream([...this.events, { kind: 'element', value, timestamp }], this.watermark);
  }

  /** Emits exactly this watermark at this point. Watermarks must advance. */
  advanceWatermarkTo(timestamp: number): TestStream<T> {
    if (!Number.isSafeInteger(timestamp) && timestamp !== MAX_WATERMARK) {
      throw new RangeError(`TestStream.advanceWatermarkTo: watermark must be a safe integer, got ${timestamp}`);
    }
    if (timestamp <= this.watermark) {
      throw new RangeError(
        `TestStream.advanceWatermarkTo: watermarks must advance: ${timestamp} is not after ${this.watermark}`,
      );
    }
    return new TestStream([...this.events, { kind: 'watermark', timestamp }], timestamp);
  }

  /** Moves the job's processing-time clock forward by `ms` (> 0) once all earlier events are processed. */
  advanceProcessingTime(ms: number): TestStream<T> {
    if (!Number.isSafeInteger(ms) || ms <= 0) {
      throw new RangeError(`TestStream.advanceProcessingTime: ms must be a positive integer, got ${ms}`);
    }
    return new TestStream([...this.events, { kind: 'processing-time', ms }], this.watermark);
  }

  /** Emits the end-of-event-time watermark; every event-time window and timer fires. */
  advanceWatermarkToInfinity(): TestStream<T> {
    return this.advanceWatermarkTo(MAX_WATERMARK);
  }
}
