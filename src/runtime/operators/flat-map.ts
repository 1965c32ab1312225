import { BatchBuilder, type RecordBatch } from '../../batch/record-batch.ts';
import { BaseOperator } from '../operator.ts';
import type { Collector } from './process-context.ts';

/** Zero or more outputs per input, each with the input's timestamp. */
export class FlatMapOperator<T, R> extends BaseOperator {
  private readonly results = new BatchBuilder<R>();
  private currentTimestamp = 0;
  private readonly collector: Collector<R> = {
    collect: (value) => this.results.add(value, this.currentTimestamp),
  };

  constructor(private readonly fn: (value: T, out: Collector<R>) => void) {
    super();
  }

  processBatch(batch: RecordBatch<T>): void {
    for (let i = 0; i < batch.length; i++) {
      this.currentTimestamp = batch.timestamps[i] as number;
      this.fn(batch.values[i] as T, this.collector);
    }
    this.output.collect(this.results.take());
  }
}
