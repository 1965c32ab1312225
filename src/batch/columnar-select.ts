/** Row selection on columnar batches: what a partitioner needs to split one batch among channels. */
import type { Column, ColumnarBatch, StringColumn } from './columnar-batch.ts';

/** A new batch holding rows `rows` (indices into `batch`, in the given order). */
export function selectRows(batch: ColumnarBatch, rows: ArrayLike<number>): ColumnarBatch {
  const n = rows.length;
  const timestamps = new Float64Array(n);
  for (let i = 0; i < n; i++) timestamps[i] = batch.timestamps[rows[i] as number] as number;
  return { rowCount: n, timestamps, columns: batch.columns.map((c) => selectColumn(c, rows)) };
}

function selectColumn(column: Column, rows: ArrayLike<number>): Column {
  const n = rows.length;
  if (column.type === 'string') return selectStrings(column, rows);
  const values = column.type === 'i32' ? new Int32Array(n) : new Float64Array(n);
  const source = column.values;
  for (let i = 0; i < n; i++) values[i] = source[rows[i] as number] as number;
  return { ...column, values } as Column;
}

function selectStrings(column: StringColumn, rows: ArrayLike<number>): StringColumn {
  const n = rows.length;
  const offsets = new Int32Array(n + 1);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as number;
    bytes += (column.offsets[r + 1] as number) - (column.offsets[r] as number);
    offsets[i + 1] = bytes;
  }
  const out = new Uint8Array(bytes);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as number;
    out.set(column.bytes.subarray(column.offsets[r] as number, column.offsets[r + 1] as number), offsets[i] as number);
  }
  return { name: column.name, type: 'string', offsets, bytes: out };
}

/** The values of a numeric or string column as JS values (keys for partitioning). */
export function columnValues(column: Column): ArrayLike<unknown> {
  if (column.type !== 'string') return column.values;
  const decoder = new TextDecoder();
  const out = new Array<string>(column.offsets.length - 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = decoder.decode(column.bytes.subarray(column.offsets[i] as number, column.offsets[i + 1] as number));
  }
  return out;
}
