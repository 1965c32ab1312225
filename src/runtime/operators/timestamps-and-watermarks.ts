/**
 * `DataStream.assignTimestampsAndWatermarks` (Flink `TimestampsAndWatermarksOperator`, SEMANTICS.md §2.2–2.3, §2.6):
 * - each record gets `assigner(value, recordTimestamp)` as its timestamp (no assigner: it keeps its own; having
 *   none is an error), is emitted, then shown to the generator's `onEvent` — so a punctuated watermark follows the
 *   record that caused it and precedes the next one;
 * - every `interval` ms of processing time a timer calls `onPeriodicEmit` and re-registers at now + interval
 *   (interval 0: never); timers fire once the clock passes their time (processing-time.ts), i.e. at now+interval+1;
 * - upstream watermarks and statuses are dropped, except MAX_WATERMARK, forwarded to end event time downstream;
 * - at end of input `onPeriodicEmit` runs once more (Flink `finish()`); the source's MAX has already gone through
 *   the emitter by then (SourceSubtask emits MAX, then finishes), so that probe cannot emit after MAX.
 */
import type { WatermarkStrategy, TimestampAssignerFn } from '../../api/watermark-strategy.ts';
import type { WatermarkGenerator } from '../../api/watermarks/watermark-generator.ts';
import { BoundedOutOfOrdernessWatermarks } from '../../api/watermarks/bounded-out-of-orderness.ts';
import { NoWatermarksGenerator } from '../../api/watermarks/no-watermarks.ts';
import { RecordBatch } from '../../batch/record-batch.ts';
import { BaseOperator, runtimeContextOf, type OperatorContext, type Output } from '../operator.ts';
import { MAX_WATERMARK, NO_TIMESTAMP } from '../time.ts';
import type { Kernel } from '../../wasm/kernel.ts';
import { WatermarkEmitter } from '../watermarks/watermark-emitter.ts';

/**
 * No snapshotState: watermark generator state is not checkpointed (Flink TimestampsAndWatermarksOperator has none;
 * SEMANTICS.md §2.6: after a restore the watermark starts again at MIN and is regenerated from the records), and
 * the pending range below lives only within one processBatch call.
 */
export class TimestampsAndWatermarksOperator<T> extends BaseOperator {
  private assigner: TimestampAssignerFn<T> | undefined;
  private generator!: WatermarkGenerator<T>;
  private emitter!: WatermarkEmitter;
  private kernel!: Kernel;
  /** The batch being processed, its new timestamps, and the not yet emitted range [emittedUpTo, processedUpTo). */
  private pendingValues: T[] = [];
  private pendingTimestamps: number[] = [];
  private emittedUpTo = 0;
  private processedUpTo = 0;

  constructor(
    private readonly strategy: WatermarkStrategy<T>,
    /** Flink `pipeline.auto-watermark-interval` in ms; 0 disables periodic emission. */
    private readonly interval: number,
  ) {
    super();
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.kernel = ctx.kernel;
    const processingTime = ctx.processingTime;
    this.assigner = this.strategy.createTimestampAssigner();
    this.generator = this.strategy.createWatermarkGenerator({
      ...runtimeContextOf(ctx),
      inputActivityClock: { now: () => processingTime.now() },
    });
    this.emitter = new WatermarkEmitter(output, () => this.emitPending());
    if (this.interval > 0) this.schedulePeriodicEmit();
  }

  /** A columnar batch passes through: released when everything downstream released it. */
  processBatch(batch: RecordBatch<T>): boolean {
    if (batch.columnar !== undefined && this.assigner === undefined && this.generatorReadsTimestampsOnly) {
      return this.processColumnar(batch);
    }
    const values = batch.values;
    const recordTimestamps = batch.timestamps;
    this.pendingValues = values;
    this.pendingTimestamps = new Array<number>(values.length);
    this.emittedUpTo = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as T;
      const timestamp = this.timestampOf(value, recordTimestamps[i] as number);
      this.pendingTimestamps[i] = timestamp;
      this.processedUpTo = i + 1;
      this.generator.onEvent(value, timestamp, this.emitter);
    }
    this.emitPending();
    this.pendingValues = [];
    this.pendingTimestamps = [];
    this.emittedUpTo = this.processedUpTo = 0;
    return false; // the values array went downstream
  }

  /**
   * A columnar batch keeps its columns: the built-in generators look only at timestamps and never emit from
   * onEvent, so no row objects are needed and the batch passes through unchanged.
   */
  private processColumnar(batch: RecordBatch<T>): boolean {
    const timestamps = batch.timestamps;
    // These generators keep only the largest timestamp, so one event carrying the batch's maximum is the same.
    const max = this.kernel.maxTimestamp(
      timestamps instanceof Float64Array ? timestamps : Float64Array.from(timestamps),
    );
    if (Number.isNaN(max)) this.timestampOf(undefined as T, NO_TIMESTAMP); // throws the missing-timestamp error
    if (timestamps.length > 0) this.generator.onEvent(undefined as T, max, this.emitter);
    return this.output.collect(batch);
  }

  private get generatorReadsTimestampsOnly(): boolean {
    return this.generator instanceof BoundedOutOfOrdernessWatermarks || this.generator instanceof NoWatermarksGenerator;
  }

  override processWatermark(timestamp: number): void {
    // Upstream event time is replaced by this operator's; only the end of event time passes (Flink: "used to signal
    // the end of input and to not block watermark progress downstream").
    if (timestamp === MAX_WATERMARK) this.emitter.emitWatermark(MAX_WATERMARK);
  }

  /** Upstream idleness is ignored too: this operator's generator decides its own status (Flink, same override). */
  override processWatermarkStatus(): void {}

  override endInput(): void {
    this.generator.onPeriodicEmit(this.emitter);
  }

  private timestampOf(value: T, recordTimestamp: number): number {
    if (this.assigner === undefined) {
      if (recordTimestamp === NO_TIMESTAMP) {
        throw new Error(
          'a record has no timestamp and the WatermarkStrategy has no timestamp assigner: add one with ' +
            '.withTimestampAssigner((element, recordTimestamp) => element.timestamp)',
        );
      }
      return recordTimestamp;
    }
    const timestamp = this.assigner(value, recordTimestamp);
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) {
      throw new TypeError(
        `the timestamp assigner returned ${String(timestamp)}; a timestamp must be an integer number of milliseconds`,
      );
    }
    return timestamp;
  }

  /** Emits the records processed so far and not yet emitted, before a watermark or status goes out. */
  private emitPending(): void {
    const from = this.emittedUpTo;
    const to = this.processedUpTo;
    if (to <= from) return;
    const values = this.pendingValues;
    const timestamps = this.pendingTimestamps;
    this.emittedUpTo = to;
    this.output.collect(
      from === 0 && to === values.length
        ? new RecordBatch(values, timestamps)
        : new RecordBatch(values.slice(from, to), timestamps.slice(from, to)),
    );
  }

  private schedulePeriodicEmit(): void {
    const processingTime = this.ctx.processingTime;
    processingTime.registerTimer(processingTime.now() + this.interval, () => {
      this.generator.onPeriodicEmit(this.emitter);
      this.schedulePeriodicEmit();
    });
  }
}
