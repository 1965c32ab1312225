/**
 * The unit in which records move between operators: values with their event timestamps (`NO_TIMESTAMP` where a
 * record has none). A batch may be backed by a columnar batch (typed-array columns); its row objects are then
 * built only if an operator asks for `values` — operators that understand columns (the window kernel, key
 * partitioning on a field) read `columnar` and never materialize rows. Batches are immutable once emitted.
 */
import type { ColumnarBatch } from './columnar-batch.ts';
import { columnarToRows } from './columnar-rows.ts';

export class RecordBatch<T = unknown> {
  private rows: T[] | undefined;

  constructor(
    values: T[] | undefined,
    readonly timestamps: ArrayLike<number>,
    /** The columns behind this batch, when it came from a columnar source. */
    readonly columnar?: ColumnarBatch,
  ) {
    if (values === undefined && columnar === undefined) throw new Error('a batch needs values or columns');
    this.rows = values;
  }

  static fromColumnar<T = Record<string, unknown>>(batch: ColumnarBatch): RecordBatch<T> {
    return new RecordBatch<T>(undefined, batch.timestamps, batch);
  }

  get length(): number {
    return this.rows !== undefined ? this.rows.length : (this.columnar as ColumnarBatch).rowCount;
  }

  /** The records as objects; built from the columns on first access for a columnar batch. */
  get values(): T[] {
    return (this.rows ??= columnarToRows(this.columnar as ColumnarBatch) as T[]);
  }

  static empty<T>(): RecordBatch<T> {
    return new RecordBatch<T>([], []);
  }
}

/** Accumulates records one at a time; `take()` hands out the batch so far and starts a new one. */
export class BatchBuilder<T = unknown> {
  private values: T[] = [];
  private timestamps: number[] = [];

  get length(): number {
    return this.values.length;
  }

  add(value: T, timestamp: number): void {
    this.values.push(value);
    this.timestamps.push(timestamp);
  }

  take(): RecordBatch<T> {
    const batch = new RecordBatch(this.values, this.timestamps);
    this.values = [];
    this.timestamps = [];
    return batch;
  }
}
