/**
 * The first record of each window slot of the window kernel: sum/min/max results are that record with the
 * aggregated field replaced (Flink's built-in aggregations keep the first record's other fields).
 *
 * A row of a columnar batch is kept in columns — one typed array (or string array) per column, indexed by slot —
 * so a window costs no object until it fires, and windows whose records all came from columns fire as a columnar
 * batch (`gather`). Holding an object per open window instead was a third of the columnar path's time: 10k keys
 * × open windows of objects that live just long enough to be promoted, then die in an old-generation GC. Records
 * of object batches, of a batch with another schema, and restored ones are kept as objects.
 *
 * Two columns are never kept: the key column (every row of a window has the window's key, which the key dictionary
 * holds) and the aggregated field (results replace it, so its first value is never seen; records rebuilt here
 * carry NaN in it). A schema with no other column keeps nothing per window at all: the operator skips `setCreated`
 * for its batches (`derives`), and a slot with no record of its own is derived from its key.
 */
import type { Column, ColumnarBatch, ColumnSpec } from '../../../batch/columnar-batch.ts';
import type { CreatedWindows } from '../../../wasm/window-aggregator.ts';
import { stringAt, stringColumn } from '../../../batch/columnar-rows.ts';
import { keyColumn } from './kernel-results.ts';

type SlotColumn =
  { readonly spec: ColumnSpec; values: Float64Array | Int32Array } | { readonly spec: ColumnSpec; values: string[] };

export class KernelFirstRecords {
  /** The schema of the first columnar batch: the order of a rebuilt record's fields. */
  private schema: readonly ColumnSpec[] | undefined;
  /** The schema's columns kept per slot: all but the key and the aggregated field. */
  private columns: SlotColumn[] = [];
  /** Per slot: 1 when its record is in `columns`, else 0 (then `objects[slot]` holds it, or it is derived). */
  private inColumns = new Uint8Array(0);
  private readonly objects: unknown[] = [];
  /** Key index and window start of each slot's window (to find a record again in a snapshot). */
  private keys = new Int32Array(0);
  private starts = new Float64Array(0);

  /**
   * @param keyField the key field: rebuilt records take it from the window's key
   * @param valueField the aggregated field: results replace it
   */
  constructor(
    private readonly keyField: string,
    private readonly valueField: string,
  ) {}

  /**
   * Whether rows of `batch` need nothing kept: it has the first schema, and that schema has no column but the key
   * and the aggregated field. Windows it creates need no `setCreated`: their slots hold nothing already, as every
   * freed slot is cleared (`clear`) before the kernel reuses it.
   */
  derives(batch: ColumnarBatch | undefined): boolean {
    return batch !== undefined && this.adopt(batch) && this.columns.length === 0;
  }

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
    if (n === 0) return;
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
    const schema = this.schema as readonly ColumnSpec[];
    for (let c = 0; c < columns.length; c++) {
      const target = columns[c] as SlotColumn;
      const source = batch.columns[schema.indexOf(target.spec)] as Column;
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

  /** The first record of the live `slot`, whose window's key is `key`, as an object (undefined if it has none). */
  get(slot: number, key: unknown): unknown {
    const kept = this.kept(slot, key);
    return kept !== undefined ? kept : this.derived(key);
  }

  /**
   * The record of a window kept by nothing but its key (see the top), or undefined when the first schema keeps
   * other columns too (or there was no columnar batch).
   */
  derived(key: unknown): Record<string, unknown> | undefined {
    if (this.schema === undefined || this.columns.length > 0) return undefined;
    return this.build(-1, key);
  }

  /** Forgets the record of a freed slot. */
  clear(slot: number): void {
    if (slot >= this.inColumns.length) return;
    this.inColumns[slot] = 0;
    if (this.objects[slot] !== undefined) this.objects[slot] = undefined;
  }

  /** Every record a slot keeps (derived ones are not visited), with its window's key index and start. */
  forEach(visit: (record: unknown, key: number, start: number) => void, keyOf: (index: number) => unknown): void {
    for (let slot = 0; slot < this.inColumns.length; slot++) {
      const key = this.keys[slot] as number;
      const record = this.kept(slot, this.inColumns[slot] === 1 ? keyOf(key) : undefined);
      if (record !== undefined) visit(record, key, this.starts[slot] as number);
    }
  }

  /**
   * The first records of `slots` as columns in schema order, with the aggregated field (turned f64) replaced by
   * `values` and the key column rebuilt from `keys[keyIndices[i]]` — or undefined when some slot's record is an
   * object or the first schema lacks the field, so that the caller builds objects.
   */
  gather(
    slots: Int32Array,
    keyIndices: Int32Array,
    keys: readonly unknown[],
    values: Float64Array,
  ): Column[] | undefined {
    const schema = this.schema;
    if (schema === undefined || !schema.some((spec) => spec.name === this.valueField)) return undefined;
    const n = slots.length;
    const inColumns = this.inColumns;
    const objects = this.objects;
    const derivable = this.columns.length === 0;
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as number;
      const inCols = slot < inColumns.length && inColumns[slot] === 1;
      if (!inCols && !(derivable && objects[slot] === undefined)) return undefined;
    }
    return schema.map((spec): Column => {
      const { name, type } = spec;
      if (name === this.valueField) return { name, type: 'f64', values };
      if (name === this.keyField) return { ...keyColumn(type, keys, keyIndices), name };
      const column = this.columns.find((c) => c.spec === spec) as SlotColumn;
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

  /** The record `slot` keeps itself (in columns or as an object), else undefined. */
  private kept(slot: number, key: unknown): unknown {
    if (slot < this.inColumns.length && this.inColumns[slot] === 1) return this.build(slot, key);
    return this.objects[slot];
  }

  /** A record in schema order: the key, NaN for the aggregated field, the rest from `slot`'s columns. */
  private build(slot: number, key: unknown): Record<string, unknown> {
    const record: Record<string, unknown> = {};
    let c = 0;
    for (const spec of this.schema as readonly ColumnSpec[]) {
      if (spec.name === this.keyField) record[spec.name] = key;
      else if (spec.name === this.valueField) record[spec.name] = NaN;
      else record[spec.name] = (this.columns[c++] as SlotColumn).values[slot];
    }
    return record;
  }

  /** Whether rows of `batch` can go to the slot columns: the first schema seen is kept, later batches must match. */
  private adopt(batch: ColumnarBatch): boolean {
    const specs = batch.columns;
    if (this.schema === undefined) {
      const size = this.inColumns.length;
      this.schema = specs.map(({ name, type }) => ({ name, type }));
      this.columns = this.schema
        .filter((spec) => spec.name !== this.keyField && spec.name !== this.valueField)
        .map((spec) =>
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
