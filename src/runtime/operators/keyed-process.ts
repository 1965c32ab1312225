import type { KeyedProcessFunction } from '../../api/functions.ts';
import type { OutputTag } from '../../api/output-tag.ts';
import { BatchBuilder, type RecordBatch } from '../../batch/record-batch.ts';
import { BaseOperator, runtimeContextOf, type OperatorContext, type Output } from '../operator.ts';
import { MIN_WATERMARK, NO_TIMESTAMP } from '../time.ts';
import type { KeyedContext } from './keyed-context.ts';
import type { Collector, TimerService } from './process-context.ts';

/** `KeyedStream.process`: a KeyedProcessFunction per record, with the record's key as the current key. */
export class KeyedProcessOperator<K, T, R> extends BaseOperator {
  private readonly results = new BatchBuilder<R>();
  private currentTimestamp = NO_TIMESTAMP;
  private currentWatermark = MIN_WATERMARK;
  private currentKey: K | undefined;
  private readonly collector: Collector<R> = {
    collect: (value) => this.results.add(value, this.currentTimestamp),
  };
  private readonly timers: TimerService = {
    currentProcessingTime: () => this.ctx.processingTime.now(),
    currentWatermark: () => this.currentWatermark,
  };
  private readonly context: KeyedContext<K> = {
    timestamp: () => (this.currentTimestamp === NO_TIMESTAMP ? null : this.currentTimestamp),
    output: <X>(tag: OutputTag<X>, value: X) => this.output.collectSide(tag.id, value, this.currentTimestamp),
    timerService: () => this.timers,
    getCurrentKey: () => this.currentKey as K,
  };

  constructor(
    private readonly key: (value: T) => K,
    private readonly fn: KeyedProcessFunction<K, T, R>,
  ) {
    super();
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.fn.open?.(runtimeContextOf(ctx));
  }

  processBatch(batch: RecordBatch<T>): void {
    for (let i = 0; i < batch.length; i++) {
      const value = batch.values[i] as T;
      this.currentTimestamp = batch.timestamps[i] as number;
      this.currentKey = this.key(value);
      this.fn.processElement(value, this.context, this.collector);
    }
    this.output.collect(this.results.take());
  }

  override processWatermark(timestamp: number): void {
    this.currentWatermark = timestamp;
    super.processWatermark(timestamp);
  }

  override close(): void {
    this.fn.close?.();
  }
}
