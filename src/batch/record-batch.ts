/**
 * The unit in which records move between operators: parallel arrays of values and event timestamps
 * (`NO_TIMESTAMP` where a record has none). Batches are immutable once emitted; operators build new ones.
 */
export class RecordBatch<T = unknown> {
  constructor(
    readonly values: T[],
    readonly timestamps: number[],
  ) {}

  get length(): number {
    return this.values.length;
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
