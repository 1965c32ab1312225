/**
 * Between plain row objects (`{ [column]: value }`) and columnar batches (columnar-batch.ts). These are the edges
 * of the columnar path — a source that produces objects, a sink that wants them — not something to do per batch
 * on a hot path.
 */
import { NO_TIMESTAMP } from '../runtime/time.ts';
import {
  checkSchema,
  type Column,
  type ColumnarBatch,
  type ColumnarSchema,
  type ColumnSpec,
  type StringColumn,
} from './columnar-batch.ts';
import { buildRows, type Row } from './row-builder.ts';
import { readUtf8, writeUtf8 } from './utf8.ts';

export type { Row };

/**
 * The columnar batch of `rows` under `schema`. Every row must have every column, of the right kind: a number for
 * f64, an integer in -2^31..2^31-1 for i32, a string for string; anything else (a missing field included) throws
 * TypeError naming the row and column. Other fields of a row are ignored. `timestamps` (one per row) defaults to
 * NO_TIMESTAMP for every row.
 */
export function rowsToColumnar(
  rows: readonly Row[],
  schema: ColumnarSchema,
  timestamps?: ArrayLike<number>,
): ColumnarBatch {
  checkSchema(schema);
  const rowCount = rows.length;
  if (timestamps !== undefined && timestamps.length !== rowCount) {
    throw new TypeError(`${timestamps.length} timestamps for ${rowCount} rows`);
  }
  const times = new Float64Array(rowCount);
  if (timestamps === undefined) times.fill(NO_TIMESTAMP);
  else times.set(timestamps);
  return { rowCount, timestamps: times, columns: schema.map((spec) => buildColumn(rows, spec)) };
}

function buildColumn(rows: readonly Row[], { name, type }: ColumnSpec): Column {
  const rowCount = rows.length;
  if (type === 'string') return buildStringColumn(rows, name);
  const values = type === 'f64' ? new Float64Array(rowCount) : new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) {
    const value = rows[i]![name];
    if (typeof value !== 'number' || (type === 'i32' && (value | 0) !== value)) throw badValue(i, name, type, value);
    values[i] = value;
  }
  return values instanceof Float64Array ? { name, type: 'f64', values } : { name, type: 'i32', values };
}

function buildStringColumn(rows: readonly Row[], name: string): Column {
  return stringColumn(name, rows.length, (i) => rows[i]![name]);
}

/** String column `name` of `count` rows, row i holding `valueAt(i)`; a value that is not a string throws TypeError. */
export function stringColumn(name: string, count: number, valueAt: (row: number) => unknown): StringColumn {
  const offsets = new Int32Array(count + 1);
  let bytes = new Uint8Array(16 * count + 64);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const value = valueAt(i);
    if (typeof value !== 'string') throw badValue(i, name, 'string', value);
    const worstCase = 3 * value.length; // UTF-8 bytes per UTF-16 unit, at most
    if (bytes.length - at < worstCase) {
      const grown = new Uint8Array(Math.max(2 * bytes.length, at + worstCase));
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    at += writeUtf8(value, bytes, at);
    if (at > 0x7fffffff) throw new RangeError(`column '${name}' holds more than 2 GiB of string bytes`);
    offsets[i + 1] = at;
  }
  return { name, type: 'string', offsets, bytes: bytes.subarray(0, at) };
}

function badValue(row: number, name: string, type: string, value: unknown): TypeError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new TypeError(
    `row ${row}, column '${name}' (${type}): ${shown} (${typeof value}) is not a valid ${type} value`,
  );
}

/** The rows of `batch` as fresh plain objects, columns in schema order (timestamps stay on the batch). */
export function columnarToRows(batch: ColumnarBatch): Row[] {
  return buildRows(batch);
}

/** Row `row` of string column `column`, decoded. */
export function stringAt(column: StringColumn, row: number): string {
  return readUtf8(column.bytes, column.offsets[row]!, column.offsets[row + 1]!);
}
