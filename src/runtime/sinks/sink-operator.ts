import type { Sink, SinkWriteContext, SinkWriter } from '../../api/sink.ts';
import type { RecordBatch } from '../../batch/record-batch.ts';
import { BaseOperator, type OperatorContext, type Output } from '../operator.ts';
import { MIN_WATERMARK, NO_TIMESTAMP } from '../time.ts';

class MutableWriteContext implements SinkWriteContext {
  timestamp: number | null = null;
  currentWatermark = MIN_WATERMARK;
}

/** Hands records to a user SinkWriter. Watermarks stop here. */
export class SinkOperator<T> extends BaseOperator {
  private writer: SinkWriter<T> | undefined;
  private readonly writeContext = new MutableWriteContext();

  constructor(private readonly sink: Sink<T>) {
    super();
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.writer = this.sink.createWriter({ subtaskIndex: ctx.subtaskIndex, parallelism: ctx.parallelism });
  }

  processBatch(batch: RecordBatch<T>): void {
    const writer = this.writer as SinkWriter<T>;
    for (let i = 0; i < batch.length; i++) {
      const ts = batch.timestamps[i] as number;
      this.writeContext.timestamp = ts === NO_TIMESTAMP ? null : ts;
      const result: unknown = writer.write(batch.values[i] as T, this.writeContext);
      if (result instanceof Promise) {
        result.catch(() => {});
        throw new TypeError('SinkWriter.write returned a Promise: asynchronous sink writers are not supported yet');
      }
    }
  }

  override processWatermark(timestamp: number): void {
    this.writeContext.currentWatermark = timestamp;
  }

  override processWatermarkStatus(): void {}

  override endInput(): void {
    this.writer?.flush?.(true);
  }

  override close(): void {
    this.writer?.close?.();
  }
}
