/**
 * The built-in window aggregations (sum/min/max/count/avg) on tumbling and sliding event-time windows with the
 * default trigger, run by the WebAssembly window kernel (src/wasm/window-kernel.ts). The planner picks it for
 * `keyBy('field').window(…).sum('field')` and friends; results equal the JS WindowOperator's (differential
 * tests): sum/min/max emit the window's first record with the field replaced, count and avg emit
 * `{ key, start, end, count | avg }`, all at `end - 1`; late rows go to the late side output or are dropped.
 *
 * Per batch: keys become dense indices, values and timestamps typed arrays (a columnar batch's columns are used
 * as they are), then one call into the kernel. Columns in, columns out: while the input is columnar, results leave
 * as a columnar batch (rows are built only if a later operator asks for them) and the first record of each window
 * (sum/min/max) is kept in columns (kernel-first-records.ts); row objects are built for late rows only.
 */
import type { FieldAccessor } from '../../../api/field-access.ts';
import { preview } from '../../../api/field-access.ts';
import type { OutputTag } from '../../../api/output-tag.ts';
import { missingTimestampError } from '../../../api/windowing/window-assigner.ts';
import type { Column, ColumnType } from '../../../batch/columnar-batch.ts';
import { columnValues } from '../../../batch/columnar-select.ts';
import { RecordBatch } from '../../../batch/record-batch.ts';
import {
  WINDOW_SNAPSHOT_LAYOUT,
  type WindowAggregator,
  type WindowAggregatorConfig,
  type WindowEmissions,
} from '../../../wasm/window-aggregator.ts';
import type { OperatorSnapshot, RestoredOperatorState } from '../../checkpoint/operator-state.ts';
import { BaseOperator, type OperatorContext, type Output } from '../../operator.ts';
import { NO_TIMESTAMP } from '../../time.ts';
import { KernelFirstRecords } from './kernel-first-records.ts';
import { keyColumn } from './kernel-results.ts';
import { KeyDictionary } from './key-dictionary.ts';

export type KernelAggregation = 'sum' | 'min' | 'max' | 'count' | 'avg';

export interface KernelWindowConfig {
  readonly window: WindowAggregatorConfig;
  readonly aggregation: KernelAggregation;
  /** The key field (also a column name for columnar batches) and its accessor for row objects. */
  readonly keyField: FieldAccessor;
  /** The aggregated field; absent for count. */
  readonly valueField: FieldAccessor | undefined;
  /** How errors name the aggregation, e.g. `sum("v")`. */
  readonly api: string;
  readonly lateDataTag: OutputTag<unknown> | undefined;
}

export class KernelWindowOperator extends BaseOperator {
  private aggregator!: WindowAggregator;
  private keyDictionary!: KeyDictionary;
  /** The first record of the window in each kernel slot (sum/min/max results are built from it). */
  private readonly firstRecords: KernelFirstRecords;
  /**
   * The type of the key column of every batch so far (count/avg results carry keys as a column of it): undefined
   * before the first batch, null once keys came from records or restored state, or from columns of two types.
   */
  private keyType: ColumnType | null | undefined;
  private keyScratch = new Int32Array(0);
  private valueScratch = new Float64Array(0);
  private timestampScratch = new Float64Array(0);
  /** Rows dropped as late with no side output (Flink numLateRecordsDropped). */
  numLateRecordsDropped = 0;

  constructor(private readonly config: KernelWindowConfig) {
    super();
    this.firstRecords = new KernelFirstRecords(config.keyField.expression, config.valueField?.expression ?? '');
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.aggregator = ctx.kernel.createWindowAggregator(this.config.window);
    this.keyDictionary = new KeyDictionary(ctx.kernel, (index, key) =>
      this.aggregator.setKeyGroup(index, ctx.kernel.keyGroup(key, ctx.maxParallelism)),
    );
  }

  /**
   * Keeps nothing of `batch` (true): keys, values and timestamps are copied into the kernel, first records and late
   * records into slots and objects of their own, and results are new batches.
   */
  processBatch(batch: RecordBatch): boolean {
    const n = batch.length;
    if (n === 0) return true;
    this.ensureScratch(n);
    const keyColumn = columnOf(batch, this.config.keyField.expression);
    const keys = this.keysOf(batch, keyColumn, n);
    const keyType = keyColumn?.type ?? null;
    if (this.keyType !== keyType) this.keyType = this.keyType === undefined ? keyType : null;
    const values = this.valuesOf(batch, n);
    const timestamps = this.timestampsOf(batch, n);
    let result;
    try {
      result = this.aggregator.process(keys, values, timestamps, n);
    } catch (err) {
      // The kernel validates every row before changing anything; say what a missing timestamp means.
      for (let i = 0; i < n; i++) if (timestamps[i] === NO_TIMESTAMP) throw missingTimestampError();
      throw err;
    }
    if (this.needsFirstRecord) {
      const firstRecords = this.firstRecords;
      if (!firstRecords.derives(batch.columnar)) {
        firstRecords.setCreated(result.created, keys, batch.columnar, (row) => rowAt(batch, row));
      }
    }
    this.emit(result.fired);
    for (let i = 0; i < result.late.length; i++) {
      const row = result.late[i] as number;
      if (this.config.lateDataTag) {
        this.output.collectSide(this.config.lateDataTag.id, rowAt(batch, row), timestamps[row] as number);
      } else {
        this.numLateRecordsDropped++;
      }
    }
    return true;
  }

  override processWatermark(timestamp: number): void {
    const { fired, freed } = this.aggregator.advanceWatermark(timestamp);
    this.emit(fired);
    for (let i = 0; i < freed.length; i++) this.firstRecords.clear(freed[i] as number);
    this.output.emitWatermark(timestamp);
  }

  /**
   * Per key group: the aggregator's snapshot bytes, the key of each record (key indices are operator-local) and,
   * for sum/min/max, each record's window's first record.
   */
  snapshotState(): OperatorSnapshot {
    const { kernel, maxParallelism } = this.ctx;
    const keys = this.keyDictionary.keys;
    const groups = new Set(keys.map((key) => kernel.keyGroup(key, maxParallelism)));
    const firstByWindow = new Map<string, unknown>();
    this.firstRecords.forEach(
      (first, key, start) => firstByWindow.set(`${key}:${start}`, first),
      (index) => keys[index],
    );
    const firstRecordOf = ([key, start]: [number, number]) =>
      firstByWindow.get(`${key}:${start}`) ?? this.firstRecords.derived(keys[key]);
    const keyGroups = new Map<number, KernelKeyGroup>();
    for (const keyGroup of groups) {
      const windows = this.aggregator.snapshot(keyGroup);
      const records = snapshotRecords(windows);
      if (records.length === 0) continue;
      keyGroups.set(keyGroup, {
        windows,
        keys: records.map(([key]) => keys[key]),
        firstRecords: this.needsFirstRecord ? records.map(firstRecordOf) : [],
      });
    }
    return { keyGroups };
  }

  initializeState(state: RestoredOperatorState): void {
    if (state.keyGroups.size > 0) this.keyType = null;
    for (const value of state.keyGroups.values()) {
      const { windows, keys, firstRecords } = value as KernelKeyGroup;
      const records = snapshotRecords(windows);
      const keyMap = new Int32Array(records.reduce((max, [key]) => Math.max(max, key + 1), 0)).fill(-1);
      records.forEach(([oldKey], i) => (keyMap[oldKey] = this.keyDictionary.indexOf(keys[i])));
      const created = this.aggregator.restore(windows, keyMap);
      if (!this.needsFirstRecord) continue;
      for (let i = 0; i < created.length; i++) {
        const record = created.row[i] as number;
        const slot = created.slot[i] as number;
        const key = keyMap[(records[record] as [number, number])[0]] as number;
        this.firstRecords.setRecord(slot, key, created.start[i] as number, firstRecords[record]);
      }
    }
  }

  override close(): void {
    this.aggregator?.dispose();
  }

  private get needsFirstRecord(): boolean {
    const a = this.config.aggregation;
    return a === 'sum' || a === 'min' || a === 'max';
  }

  /** Collects the results of `fired` (their timestamp is `end - 1`): as columns when it can, else as records. */
  private emit(fired: WindowEmissions): void {
    const n = fired.length;
    if (n === 0) return;
    const timestamps = new Float64Array(n);
    for (let i = 0; i < n; i++) timestamps[i] = (fired.end[i] as number) - 1;
    const columns = this.resultColumns(fired);
    if (columns !== undefined) {
      this.output.collect(RecordBatch.fromColumnar({ rowCount: n, timestamps, columns }));
      return;
    }
    const { aggregation, valueField } = this.config;
    const keys = this.keyDictionary.keys;
    const records: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      if (aggregation === 'count' || aggregation === 'avg') {
        const key = keys[fired.key[i] as number];
        const start = fired.start[i] as number;
        const end = fired.end[i] as number;
        const count = fired.count[i] as number;
        records[i] =
          aggregation === 'count'
            ? { key, start, end, count }
            : { key, start, end, avg: (fired.sum[i] as number) / count };
      } else {
        const first = this.firstRecords.get(fired.slot[i] as number, keys[fired.key[i] as number]);
        records[i] = (valueField as FieldAccessor).with(first, this.aggregated(fired)[i]);
      }
    }
    this.output.collect(new RecordBatch(records, timestamps));
  }

  /** The results of `fired` as columns, in the order of the record fields; undefined if they need records. */
  private resultColumns(fired: WindowEmissions): Column[] | undefined {
    const { aggregation } = this.config;
    if (aggregation === 'count' || aggregation === 'avg') {
      if (this.keyType === null || this.keyType === undefined) return undefined;
      let last: Column;
      if (aggregation === 'count') {
        last = { name: 'count', type: 'f64', values: fired.count };
      } else {
        const avg = new Float64Array(fired.length);
        for (let i = 0; i < avg.length; i++) avg[i] = (fired.sum[i] as number) / (fired.count[i] as number);
        last = { name: 'avg', type: 'f64', values: avg };
      }
      return [
        keyColumn(this.keyType, this.keyDictionary.keys, fired.key),
        { name: 'start', type: 'f64', values: fired.start },
        { name: 'end', type: 'f64', values: fired.end },
        last,
      ];
    }
    return this.firstRecords.gather(fired.slot, fired.key, this.keyDictionary.keys, this.aggregated(fired));
  }

  /** The aggregated values of sum/min/max firings. */
  private aggregated(fired: WindowEmissions): Float64Array {
    const a = this.config.aggregation;
    return a === 'sum' ? fired.sum : a === 'min' ? fired.min : fired.max;
  }

  /** Key indices of the batch's rows, from `column` (its key column) when it has one. */
  private keysOf(batch: RecordBatch, column: Column | undefined, n: number): Int32Array {
    const out = this.keyScratch;
    const dictionary = this.keyDictionary;
    if (column !== undefined && column.type !== 'string') {
      dictionary.indicesOfNumbers(column.values, out, n);
    } else {
      const source = column !== undefined ? columnValues(column) : undefined;
      const accessor = this.config.keyField;
      for (let i = 0; i < n; i++) out[i] = dictionary.indexOf(source ? source[i] : accessor.get(batch.values[i]));
    }
    return out;
  }

  private valuesOf(batch: RecordBatch, n: number): Float64Array {
    const field = this.config.valueField;
    if (field === undefined) return this.valueScratch; // count: values are not read
    const column = columnOf(batch, field.expression);
    if (column?.type === 'f64') return column.values;
    const out = this.valueScratch;
    if (column?.type === 'i32') {
      out.set(column.values.subarray(0, n));
      return out;
    }
    const records = batch.values;
    for (let i = 0; i < n; i++) {
      const value = field.get(records[i]);
      if (typeof value !== 'number') {
        throw new TypeError(
          `${this.config.api}: the field must be a number, got ${preview(value)} in ${preview(records[i])}`,
        );
      }
      out[i] = value;
    }
    return out;
  }

  private timestampsOf(batch: RecordBatch, n: number): Float64Array {
    const source = batch.timestamps;
    if (source instanceof Float64Array) return source;
    const out = this.timestampScratch;
    for (let i = 0; i < n; i++) out[i] = source[i] as number;
    return out;
  }

  private ensureScratch(n: number): void {
    if (this.keyScratch.length >= n) return;
    const size = Math.max(n, this.keyScratch.length * 2);
    this.keyScratch = new Int32Array(size);
    this.valueScratch = new Float64Array(size);
    this.timestampScratch = new Float64Array(size);
  }
}

/** One key group of a checkpoint; `keys` and `firstRecords` follow the records of `windows`. */
interface KernelKeyGroup {
  readonly windows: Uint8Array;
  readonly keys: unknown[];
  readonly firstRecords: unknown[];
}

/** `[key index, start]` of each record of aggregator snapshot bytes (layout: WINDOW_SNAPSHOT_LAYOUT). */
function snapshotRecords(bytes: Uint8Array): [number, number][] {
  const { headerBytes, recordBytes } = WINDOW_SNAPSHOT_LAYOUT;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const records: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const at = headerBytes + i * recordBytes;
    records.push([view.getInt32(at, true), view.getFloat64(at + 8, true)]);
  }
  return records;
}

function columnOf(batch: RecordBatch, name: string): Column | undefined {
  return batch.columnar?.columns.find((c) => c.name === name);
}

/** Row `row` of a batch as a record: built from the columns for a columnar batch. */
function rowAt(batch: RecordBatch, row: number): unknown {
  if (batch.columnar === undefined) return batch.values[row];
  const record: Record<string, unknown> = {};
  for (const column of batch.columnar.columns) {
    if (column.type === 'string') {
      record[column.name] = new TextDecoder().decode(
        column.bytes.subarray(column.offsets[row] as number, column.offsets[row + 1] as number),
      );
    } else {
      record[column.name] = column.values[row];
    }
  }
  return record;
}
