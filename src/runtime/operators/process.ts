import type { OutputTag } from '../../api/output-tag.ts';
import { BatchBuilder, type RecordBatch } from '../../batch/record-batch.ts';
import type { ProcessFunction } from '../../api/functions.ts';
import { BaseOperator, runtimeContextOf, type OperatorContext, type Output } from '../operator.ts';
import { MIN_WATERMARK, NO_TIMESTAMP } from '../time.ts';
import type { Collector, ProcessContext, TimerService } from './process-context.ts';

// Flink ProcessOperator.ContextImpl: timers need a key.
const UNSUPPORTED_REGISTER_TIMER = 'Setting timers is only supported on a keyed streams.';
const UNSUPPORTED_DELETE_TIMER = 'Deleting timers is only supported on a keyed streams.';

function unsupported(message: string): (time: number) => never {
  return () => {
    throw new Error(message);
  };
}

/** `DataStream.process`: a ProcessFunction per record, with timestamps, side outputs and the current watermark. */
export class ProcessOperator<T, R> extends BaseOperator {
  private readonly results = new BatchBuilder<R>();
  private currentTimestamp = NO_TIMESTAMP;
  private currentWatermark = MIN_WATERMARK;
  private readonly collector: Collector<R> = {
    collect: (value) => this.results.add(value, this.currentTimestamp),
  };
  private readonly timers: TimerService = {
    currentProcessingTime: () => this.ctx.processingTime.now(),
    currentWatermark: () => this.currentWatermark,
    registerEventTimeTimer: unsupported(UNSUPPORTED_REGISTER_TIMER),
    registerProcessingTimeTimer: unsupported(UNSUPPORTED_REGISTER_TIMER),
    deleteEventTimeTimer: unsupported(UNSUPPORTED_DELETE_TIMER),
    deleteProcessingTimeTimer: unsupported(UNSUPPORTED_DELETE_TIMER),
  };
  private readonly context: ProcessContext = {
    timestamp: () => (this.currentTimestamp === NO_TIMESTAMP ? null : this.currentTimestamp),
    output: <X>(tag: OutputTag<X>, value: X) => this.output.collectSide(tag.id, value, this.currentTimestamp),
    timerService: () => this.timers,
  };

  constructor(private readonly fn: ProcessFunction<T, R>) {
    super();
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.fn.open?.(runtimeContextOf(ctx));
  }

  processBatch(batch: RecordBatch<T>): void {
    for (let i = 0; i < batch.length; i++) {
      this.currentTimestamp = batch.timestamps[i] as number;
      this.fn.processElement(batch.values[i] as T, this.context, this.collector);
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
