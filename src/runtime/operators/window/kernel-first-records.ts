/**
 * The first record of each window slot of the window kernel: sum/min/max results are that record with the
 * aggregated field replaced (Flink's built-in aggregations keep the first record's other fields).
 *
 * A row of a columnar batch is kept in columns — one typed array (or string array) per column, indexed by slot —
 * so a window costs no object until it fires, and windows whose records all came from columns fire as a columnar
 * batch (`gather`). Holding an object per open window instead was a third of the columnar path's time: 10k keys
 * × open windows of objects that live just long enough to be promoted, then die in an old-generation GC. Records
 * of object batches, of a batch with another schema, and restored ones are kept as objects.
 */
import type { Column, ColumnarBatch, ColumnSpec } from '../../../batch/columnar-batch.ts';
import type { CreatedWindows } from '../../../wasm/window-aggregator.ts';
import { stringAt, stringColumn } from '../../../batch/columnar-rows.ts';

type SlotColumn =
  { readonly spec: ColumnSpec; values: Float64Array | Int32Array } | { readonly spec: ColumnSpec; values: string[] };

export class KernelFirstRecords {
  /** The schema of the slot columns: the first columnar batch's. */
  private schema: readonly ColumnSpec[] | undefined;
  private columns: SlotColumn[] = [];
  /** Per slot: 1 when its record is in `columns`, else 0 (then `objects[slot]` holds it, or nothing). */
  private inColumns = new Uint8Array(0);
  private readonly objects: unknown[] = [];
  /** Key index and window start of each slot's window (to find a record again in a snapshot). */
  private keys = new Int32Array(0);
  private starts = new Float64Array(0);

  /**
   * Keeps the row that created each window of `created`: `keys` are the batch's key indices, `rowAt` builds a
   * row as an object when `batch` cannot be kept in columns (no columns, or another schema).
   */
  setCreated(
    created: CreatedWindows,
    keys: Int32Array,
    batch: ColumnarBatch | undefined,
    rowAt: (row: number) => unknown,
  ): void {
    const n = created.length;
    const { slot: slots, row: rows, start: starts } = created;
    let maxSlot = -1;
    for (let i = 0; i < n; i++) maxSlot = Math.max(maxSlot, slots[i] as number);
    this.ensureSlots(maxSlot + 1);
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as number;
      this.keys[slot] = keys[rows[i] as number] as number;
      this.starts[slot] = starts[i] as number;
    }
    if (batch === undefined || !this.adopt(batch)) {
      for (let i = 0; i < n; i++)
        this.setRecord(
          slots[i] as number,
          this.keys[slots[i] as number] as number,
          starts[i] as number,
          rowAt(rows[i] as number),
        );
      return;
    }
    const columns = this.columns;
    for (let c = 0; c < columns.length; c++) {
      const source = batch.columns[c] as Column;
      const target = columns[c] as SlotColumn;
      if (source.type === 'string') {
        const values = target.values as string[];
        for (let i = 0; i < n; i++) values[slots[i] as number] = stringAt(source, rows[i] as number);
      } else {
        const values = target.values as Float64Array | Int32Array;
        const from = source.values;
        for (let i = 0; i < n; i++) values[slots[i] as number] = from[rows[i] as number] as number;
      }
    }
    const inColumns = this.inColumns;
    const objects = this.objects;
    for (let i = 0; i < n; i++) {
      inColumns[slots[i] as number] = 1;
      if (objects[slots[i] as number] !== undefined) objects[slots[i] as number] = undefined;
    }
  }

  /** Keeps `record` as the first record of `slot`, the window of key index `key` starting at `start`. */
  setRecord(slot: number, key: number, start: number, record: unknown): void {
    this.ensureSlots(slot + 1);
    this.keys[slot] = key;
    this.starts[slot] = start;
    this.inColumns[slot] = 0;
    this.objects[slot] = record;
  }

  /** The first record of `slot` as an object (undefined if it has none). */
  get(slot: number): unknown {
    if (slot >= this.inColumns.length || this.inColumns[slot] === 0) return this.objects[slot];
    const record: Record<string, unknown> = {};
    for (const column of this.columns) record[column.spec.name] = column.values[slot];
    return record;
  }

  /** Forgets the record of a freed slot. */
  clear(slot: number): void {
    if (slot >= this.inColumns.length) return;
    this.inColumns[slot] = 0;
    if (this.objects[slot] !== undefined) this.objects[slot] = undefined;
  }

  /** Every record, with its window's key index and start. */
  forEach(visit: (record: unknown, key: number, start: number) => void): void {
    for (let slot = 0; slot < this.inColumns.length; slot++) {
      const record = this.get(slot);
      if (record !== undefined) visit(record, this.keys[slot] as number, this.starts[slot] as number);
    }
  }

  /**
   * The first records of `slots` as columns, with column `field` (turned f64) replaced by `values` — or undefined
   * when some slot's record is not in columns or `field` is not a column, so that the caller builds objects.
   */
  gather(slots: Int32Array, field: string, values: Float64Array): Column[] | undefined {
    if (this.schema === undefined || !this.schema.some((spec) => spec.name === field)) return undefined;
    const n = slots.length;
    const inColumns = this.inColumns;
    for (let i = 0; i < n; i++) if (inColumns[slots[i] as number] === 0) return undefined;
    return this.columns.map((column): Column => {
      const { name, type } = column.spec;
      if (name === field) return { name, type: 'f64', values };
      if (type === 'string') {
        const source = column.values as string[];
        return stringColumn(name, n, (i) => source[slots[i] as number]);
      }
      const source = column.values as Float64Array | Int32Array;
      const out = type === 'i32' ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = source[slots[i] as number] as number;
      return out instanceof Int32Array ? { name, type: 'i32', values: out } : { name, type: 'f64', values: out };
    });
  }

  /** Whether rows of `batch` can go to the slot columns: the first schema seen is kept, later batches must match. */
  private adopt(batch: ColumnarBatch): boolean {
    const specs = batch.columns;
    if (this.schema === undefined) {
      const size = this.inColumns.length;
      this.schema = specs.map(({ name, type }) => ({ name, type }));
      this.columns = this.schema.map((spec) =>
        spec.type === 'string'
          ? { spec, values: [] as string[] }
          : { spec, values: spec.type === 'i32' ? new Int32Array(size) : new Float64Array(size) },
      );
      return true;
    }
    const schema = this.schema;
    if (specs.length !== schema.length) return false;
    for (let c = 0; c < specs.length; c++) {
      const spec = specs[c] as Column;
      const kept = schema[c] as ColumnSpec;
      if (spec.name !== kept.name || spec.type !== kept.type) return false;
    }
    return true;
  }

  private ensureSlots(count: number): void {
    if (count <= this.inColumns.length) return;
    const size = Math.max(count, this.inColumns.length * 2, 64);
    const flags = new Uint8Array(size);
    flags.set(this.inColumns);
    this.inColumns = flags;
    const keys = new Int32Array(size);
    keys.set(this.keys);
    this.keys = keys;
    const starts = new Float64Array(size);
    starts.set(this.starts);
    this.starts = starts;
    for (const column of this.columns) {
      if (Array.isArray(column.values)) continue;
      const grown = column.values instanceof Int32Array ? new Int32Array(size) : new Float64Array(size);
      grown.set(column.values);
      column.values = grown;
    }
  }
}
