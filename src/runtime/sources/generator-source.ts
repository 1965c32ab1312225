/**
 * Data generators (after Flink's DataGeneratorSource): a bounded stream of `count` records made from their index.
 * Parallel: subtask i of p generates indices [floor(i·count/p), floor((i+1)·count/p)), so the union over subtasks
 * is exactly 0..count-1 whatever the parallelism.
 *
 * The object generator calls a function per index. The columnar generator fills typed-array columns a batch at a
 * time, so records never exist as objects unless an operator asks for them: the engine's fast path end to end.
 */
import type { ColumnarBatch, ColumnSpec } from '../../batch/columnar-batch.ts';
import { RecordBatch } from '../../batch/record-batch.ts';
import { NO_TIMESTAMP } from '../time.ts';
import type { SourcePoll, SourceReader } from './source-reader.ts';

export function generatorRange(count: number, subtask: number, parallelism: number): [number, number] {
  return [Math.floor((subtask * count) / parallelism), Math.floor(((subtask + 1) * count) / parallelism)];
}

export class ObjectGeneratorReader<T> implements SourceReader {
  constructor(
    private next: number,
    private readonly end: number,
    private readonly generate: (index: number) => T,
  ) {}

  poll(maxRecords: number): SourcePoll {
    if (this.next >= this.end) return { kind: 'end' };
    const n = Math.min(maxRecords, this.end - this.next);
    const values = new Array<T>(n);
    for (let i = 0; i < n; i++) values[i] = this.generate(this.next + i);
    this.next += n;
    return { kind: 'batch', batch: new RecordBatch(values, new Array<number>(n).fill(NO_TIMESTAMP)) };
  }

  close(): void {}
}

/** Numeric columns a columnar generator fills: f64 or i32. */
export type GeneratedColumns = Record<string, Float64Array | Int32Array>;

export interface ColumnarGeneratorSpec {
  /** Total number of rows over all subtasks. */
  readonly count: number;
  /** Column names and types (f64 or i32). */
  readonly schema: readonly ColumnSpec[];
  /**
   * Fills rows [firstIndex, firstIndex + rows) of the stream: one typed array per column and the event timestamps
   * (left at NO_TIMESTAMP = -Infinity for rows without one), each `rows` long.
   */
  fill(columns: GeneratedColumns, timestamps: Float64Array, firstIndex: number, rows: number): void;
  /** Rows per batch (default 65536). */
  readonly batchSize?: number;
}

export class ColumnarGeneratorReader implements SourceReader {
  constructor(
    private next: number,
    private readonly end: number,
    private readonly spec: ColumnarGeneratorSpec,
    private readonly batchSize: number,
  ) {}

  /** Produces up to `batchSize` rows whatever `maxRecords` says: batch size is what makes columns pay off. */
  poll(): SourcePoll {
    if (this.next >= this.end) return { kind: 'end' };
    const rows = Math.min(this.batchSize, this.end - this.next);
    const filled: GeneratedColumns = {};
    const columns = this.spec.schema.map((c) => {
      const values = c.type === 'i32' ? new Int32Array(rows) : new Float64Array(rows);
      filled[c.name] = values;
      return { name: c.name, type: c.type, values } as ColumnarBatch['columns'][number];
    });
    const timestamps = new Float64Array(rows).fill(NO_TIMESTAMP);
    this.spec.fill(filled, timestamps, this.next, rows);
    this.next += rows;
    return { kind: 'batch', batch: RecordBatch.fromColumnar({ rowCount: rows, timestamps, columns }) };
  }

  close(): void {}
}
