/**
 * Data generators (after Flink's DataGeneratorSource): a bounded stream of `count` records made from their index.
 * Parallel: subtask i of p generates indices [floor(i·count/p), floor((i+1)·count/p)), so the union over subtasks
 * is exactly 0..count-1 whatever the parallelism.
 *
 * The object generator calls a function per index. The columnar generator fills typed-array columns a batch at a
 * time, so records never exist as objects unless an operator asks for them: the engine's fast path end to end.
 */
import type { ColumnarBatch, ColumnSpec, F64Column, I32Column } from '../../batch/columnar-batch.ts';
import { RecordBatch } from '../../batch/record-batch.ts';
import { NO_TIMESTAMP } from '../time.ts';
import type { SourcePoll, SourceReader } from './source-reader.ts';

export function generatorRange(count: number, subtask: number, parallelism: number): [number, number] {
  return [Math.floor((subtask * count) / parallelism), Math.floor(((subtask + 1) * count) / parallelism)];
}

/**
 * A range of indices still to generate (the checkpointed state of a generator reader, SEMANTICS.md §6: FLIP-27
 * readers snapshot their splits with positions): `next` is the first index not yet emitted, `end` exclusive.
 */
export interface GeneratorSplit {
  readonly next: number;
  readonly end: number;
}

/**
 * The splits of subtask `subtask` of `parallelism`: its generatorRange on a fresh start, or what the checkpoint
 * dealt it (`restored`: splits of the old subtasks, redistributed round-robin; possibly none).
 */
export function generatorSplits(
  count: number,
  subtask: number,
  parallelism: number,
  restored?: readonly unknown[],
): GeneratorSplit[] {
  if (restored === undefined) {
    const [next, end] = generatorRange(count, subtask, parallelism);
    return [{ next, end }];
  }
  return restored.map((split) => {
    const { next, end } = split as GeneratorSplit;
    if (!Number.isInteger(next) || !Number.isInteger(end)) throw new Error('cannot restore generator: bad split');
    return { next, end };
  });
}

/** The splits of a reader, read in order; the first is the current one. */
class SplitCursor {
  private readonly splits: GeneratorSplit[];

  constructor(splits: readonly GeneratorSplit[]) {
    this.splits = splits.filter((s) => s.next < s.end);
  }

  /** Claims up to `max` indices of the current split: [first, first + n), or undefined when all are done. */
  claim(max: number): { first: number; n: number } | undefined {
    const split = this.splits[0];
    if (split === undefined) return undefined;
    const n = Math.min(max, split.end - split.next);
    if (split.next + n >= split.end) this.splits.shift();
    else this.splits[0] = { next: split.next + n, end: split.end };
    return { first: split.next, n };
  }

  /** The unfinished splits (exhausted ones are dropped). */
  snapshot(): GeneratorSplit[] {
    return this.splits.slice();
  }
}

export class ObjectGeneratorReader<T> implements SourceReader {
  private readonly cursor: SplitCursor;
  private readonly generate: (index: number) => T;

  /** Generates [next, end); `fromSplits` for a list of splits (restore). */
  constructor(next: number, end: number, generate: (index: number) => T);
  constructor(splits: readonly GeneratorSplit[], generate: (index: number) => T);
  constructor(
    nextOrSplits: number | readonly GeneratorSplit[],
    endOrGenerate: number | ((index: number) => T),
    generate?: (index: number) => T,
  ) {
    const single = typeof nextOrSplits === 'number';
    this.cursor = new SplitCursor(single ? [{ next: nextOrSplits, end: endOrGenerate as number }] : nextOrSplits);
    this.generate = single ? (generate as (index: number) => T) : (endOrGenerate as (index: number) => T);
  }

  static fromSplits<T>(splits: readonly GeneratorSplit[], generate: (index: number) => T): ObjectGeneratorReader<T> {
    return new ObjectGeneratorReader(splits, generate);
  }

  poll(maxRecords: number): SourcePoll {
    const claimed = this.cursor.claim(maxRecords);
    if (claimed === undefined) return { kind: 'end' };
    const { first, n } = claimed;
    const values = new Array<T>(n);
    for (let i = 0; i < n; i++) values[i] = this.generate(first + i);
    return { kind: 'batch', batch: new RecordBatch(values, new Array<number>(n).fill(NO_TIMESTAMP)) };
  }

  snapshotState(): GeneratorSplit[] {
    return this.cursor.snapshot();
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
  private readonly cursor: SplitCursor;
  /** The batch last polled, until the next poll: only it may come back through `recycle`. */
  private lastPolled: ColumnarBatch | undefined;
  /** Arrays of a recycled batch, reused by the next poll of as many rows. */
  private spare: ColumnarBatch | undefined;

  constructor(
    next: number,
    end: number,
    private readonly spec: ColumnarGeneratorSpec,
    private readonly batchSize: number,
    splits?: readonly GeneratorSplit[],
  ) {
    this.cursor = new SplitCursor(splits ?? [{ next, end }]);
  }

  static fromSplits(
    splits: readonly GeneratorSplit[],
    spec: ColumnarGeneratorSpec,
    batchSize: number,
  ): ColumnarGeneratorReader {
    return new ColumnarGeneratorReader(0, 0, spec, batchSize, splits);
  }

  /**
   * Produces up to `batchSize` rows whatever `maxRecords` says: batch size is what makes columns pay off. A batch
   * never spans two splits, as `fill` takes one contiguous range.
   */
  poll(): SourcePoll {
    const claimed = this.cursor.claim(this.batchSize);
    if (claimed === undefined) return { kind: 'end' };
    const { first, n: rows } = claimed;
    const batch = this.reuseSpare(rows) ?? this.allocate(rows);
    const filled: GeneratedColumns = {};
    for (const column of batch.columns) filled[column.name] = generatedValues(column);
    this.spec.fill(filled, batch.timestamps, first, rows);
    this.lastPolled = batch;
    return { kind: 'batch', batch: RecordBatch.fromColumnar(batch) };
  }

  /**
   * The batch just polled went through the chain and nothing kept it (a keyed split copied its rows out): its
   * arrays serve the next batch instead of fresh ones, which spares their allocation and the garbage collections
   * that transferred and discarded buffers cause.
   */
  recycle(batch: RecordBatch): void {
    if (batch.columnar !== undefined && batch.columnar === this.lastPolled) this.spare = batch.columnar;
    this.lastPolled = undefined;
  }

  /** Fresh arrays: columns zeroed, timestamps NO_TIMESTAMP, as `fill` expects them. */
  private allocate(rows: number): ColumnarBatch {
    const columns = this.spec.schema.map(
      (c) =>
        ({
          name: c.name,
          type: c.type,
          values: c.type === 'i32' ? new Int32Array(rows) : new Float64Array(rows),
        }) as ColumnarBatch['columns'][number],
    );
    return { rowCount: rows, timestamps: new Float64Array(rows).fill(NO_TIMESTAMP), columns };
  }

  /** The spare batch's arrays, reset to what `allocate` gives, if it has `rows` rows. */
  private reuseSpare(rows: number): ColumnarBatch | undefined {
    const spare = this.spare;
    this.spare = this.lastPolled = undefined;
    if (spare === undefined || spare.rowCount !== rows) return undefined;
    for (const column of spare.columns) generatedValues(column).fill(0);
    spare.timestamps.fill(NO_TIMESTAMP);
    return spare;
  }

  snapshotState(): GeneratorSplit[] {
    return this.cursor.snapshot();
  }

  close(): void {}
}

/** A generated column's values: the generator makes f64 and i32 columns only. */
function generatedValues(column: ColumnarBatch['columns'][number]): Float64Array | Int32Array {
  return (column as F64Column | I32Column).values;
}
