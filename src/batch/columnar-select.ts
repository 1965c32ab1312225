/**
 * Row selection on columnar batches: what a partitioner needs to split one batch among channels. The gathers are
 * one function per element type so that each loop sees a single typed-array kind (V8 keeps it monomorphic).
 */
import type { Column, StringColumn } from './columnar-batch.ts';

/** `out[i] = source[rows[i]]` for every i of `rows`. */
export function gatherF64(source: Float64Array, rows: Int32Array, out: Float64Array): void {
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i] as number] as number;
}

/** `out[i] = source[rows[i]]` for every i of `rows`. */
export function gatherI32(source: Int32Array, rows: Int32Array, out: Int32Array): void {
  for (let i = 0; i < rows.length; i++) out[i] = source[rows[i] as number] as number;
}

/** UTF-8 bytes rows `rows` of `column` take together. */
export function selectedStringBytes(column: StringColumn, rows: Int32Array): number {
  const { offsets } = column;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    bytes += (offsets[r + 1] as number) - (offsets[r] as number);
  }
  return bytes;
}

/** Rows `rows` of `column` into `offsets` (rows.length + 1 entries) and `bytes` (selectedStringBytes long). */
export function gatherStrings(column: StringColumn, rows: Int32Array, offsets: Int32Array, bytes: Uint8Array): void {
  let at = 0;
  offsets[0] = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const from = column.offsets[r] as number;
    const to = column.offsets[r + 1] as number;
    bytes.set(column.bytes.subarray(from, to), at);
    at += to - from;
    offsets[i + 1] = at;
  }
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
