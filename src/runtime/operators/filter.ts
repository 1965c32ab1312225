import { RecordBatch } from '../../batch/record-batch.ts';
import { BaseOperator } from '../operator.ts';

/** Keeps the records for which the predicate is truthy, in order. */
export class FilterOperator<T> extends BaseOperator {
  constructor(private readonly predicate: (value: T) => boolean) {
    super();
  }

  processBatch(batch: RecordBatch<T>): void {
    const values: T[] = [];
    const timestamps: number[] = [];
    for (let i = 0; i < batch.length; i++) {
      const value = batch.values[i] as T;
      if (this.predicate(value)) {
        values.push(value);
        timestamps.push(batch.timestamps[i] as number);
      }
    }
    if (values.length === batch.length) this.output.collect(batch);
    else this.output.collect(new RecordBatch(values, timestamps));
  }
}
