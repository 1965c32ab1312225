import { RecordBatch } from '../../batch/record-batch.ts';
import { BaseOperator } from '../operator.ts';

/** One output per input, same timestamp. */
export class MapOperator<T, R> extends BaseOperator {
  constructor(private readonly fn: (value: T) => R) {
    super();
  }

  processBatch(batch: RecordBatch<T>): void {
    const values = batch.values;
    const out = new Array<R>(values.length);
    for (let i = 0; i < values.length; i++) out[i] = this.fn(values[i] as T);
    this.output.collect(new RecordBatch(out, batch.timestamps));
  }
}
