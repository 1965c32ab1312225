/**
 * The byte layout of a columnar batch (columnar-batch.ts) crossing a worker boundary: ONE ArrayBuffer, so it can
 * be transferred, whose column data is 8-byte aligned so the decoder hands out typed-array views, not copies.
 * Pinned by test/golden/columnar-batch.ts (`UPDATE_GOLDEN=1 node --import tsx scripts/update-golden-columnar.ts`).
 *
 * All integers are little-endian; f64 / i32 data is in host order, and every runtime Rivulet targets is
 * little-endian (encode and decode refuse to run on a big-endian host rather than produce foreign bytes).
 *
 * ```
 *  offset            size            field
 *  ┌─ header ─────────────────────────────────────────────────────────────────────────────────────┐
 *  0                 4               magic             'R' 'V' 'C' 'B'  (52 56 43 42)
 *  4                 2               version           u16 = 1
 *  6                 2               flags             u16 = 0 (reserved; a decoder rejects anything else)
 *  8                 4               rowCount          u32
 *  12                4               columnCount       u32
 *  16                4               byteLength        u32  the whole encoding, final padding included; a buffer
 *                                                           may be longer (trailing bytes ignored), not shorter
 *  20                4               timestampsOffset  u32  multiple of 8
 *  ├─ column descriptors: columnCount × 16 bytes, in column order ───────────────────────────────┤
 *  24 + 16·i  +0     4               dataOffset        u32  multiple of 8, from the start of the encoding
 *             +4     4               dataLength        u32  bytes, padding excluded
 *             +8     4               nameOffset        u32
 *             +12    2               nameLength        u16  UTF-8 bytes (a name is 1..65535 bytes)
 *             +14    1               type              u8   1 = f64, 2 = i32, 3 = string
 *             +15    1               reserved          u8   0
 *  ├─ names: UTF-8, concatenated in column order, zero-padded to a multiple of 8 ────────────────┤
 *  ├─ timestamps: f64[rowCount] at timestampsOffset (NO_TIMESTAMP = -Infinity) ──────────────────┤
 *  ├─ column data, in column order, each at its dataOffset and zero-padded to a multiple of 8 ────┤
 *  │    f64      f64[rowCount]                                       dataLength = 8·rowCount
 *  │    i32      i32[rowCount]                                       dataLength = 4·rowCount
 *  │    string   offsets i32[rowCount + 1] | UTF-8 bytes             dataLength = 4·(rowCount + 1) + bytes;
 *  │             (offsets[0] = 0, non-decreasing, last = byte count;  row r is bytes[offsets[r] .. offsets[r+1]))
 *  └──────────────────────────────────────────────────────────────────────────────────────────────┘
 * ```
 *
 * The layout is canonical: regions follow each other in the order above, each at the first offset (8-aligned
 * where the diagram says so) after the previous one, so one batch has exactly one encoding. Decoding checks every
 * offset and length against that and against the buffer before making a view, throws BatchFormatError naming what
 * is wrong, and never returns a partial batch. Views are zero-copy when the absolute position is
 * aligned for the element type (always, for a buffer that starts at the encoding); otherwise that column is copied.
 */
import { BatchFormatError, openBatch } from './batch-format-error.ts';
import type { BufferPool } from './buffer-pool.ts';
import {
  checkColumnarBatch,
  type Column,
  type ColumnarBatch,
  type ColumnSpec,
  type ColumnType,
} from './columnar-batch.ts';
import { gatherF64, gatherI32, gatherStrings, selectedStringBytes } from './columnar-select.ts';

export const COLUMNAR_MAGIC = 0x42435652; // 'RVCB' read as a little-endian u32
export const COLUMNAR_VERSION = 1;
const HEADER_BYTES = 24;
const DESCRIPTOR_BYTES = 16;
const TYPE_CODES: Readonly<Record<ColumnType, number>> = { f64: 1, i32: 2, string: 3 };
const TYPES_BY_CODE: readonly (ColumnType | undefined)[] = [undefined, 'f64', 'i32', 'string'];

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * `batch` as one fresh ArrayBuffer in the layout above; throws TypeError for an inconsistent batch. With `rows`,
 * only those rows, in that order: a partitioner's share of a batch, gathered straight into the layout rather than
 * selected and then copied again. The batch is not checked then — a partitioner encodes many shares of one batch,
 * and checking string offsets costs O(batch) each time — so it must be consistent (the engine's are: generated,
 * built by rowsToColumnar, or decoded, which checks) and `rows` valid row indices.
 */
export function encodeColumnar(batch: ColumnarBatch, rows?: Int32Array): ArrayBuffer {
  checkHost();
  if (rows === undefined) checkColumnarBatch(batch);
  const { columns } = batch;
  const rowCount = rows === undefined ? batch.rowCount : rows.length;
  const layout = planLayout(columns, rowCount, (column) => dataLength(column, rowCount, rows));
  const { buffer } = layout;
  const timestamps = new Float64Array(buffer, layout.timestampsOffset, rowCount);
  if (rows === undefined) timestamps.set(batch.timestamps);
  else gatherF64(batch.timestamps, rows, timestamps);
  columns.forEach((column, i) => {
    const dataOffset = layout.dataOffsets[i]!;
    if (rows === undefined) writeColumn(column, rowCount, buffer, dataOffset);
    else gatherColumn(column, rows, buffer, dataOffset, layout.dataLengths[i]!);
  });
  return buffer;
}

/** A batch of a numeric schema laid out in a fresh buffer, its arrays views for the caller to fill. */
export interface NumericColumnarShare {
  readonly buffer: ArrayBuffer;
  readonly timestamps: Float64Array;
  /** One array per column, in schema order. */
  readonly values: (Float64Array | Int32Array)[];
}

/**
 * A buffer in the layout above for `rowCount` rows of `schema` (f64 and i32 columns only), header written, with
 * views of its timestamps and columns: a partitioner's share of a batch is scattered straight into them. Once
 * filled, the buffer is the encoding of that batch. Fresh, the data is zeroed; taken from `pool` (possibly longer
 * than the encoding), the timestamps and columns hold stale bytes the caller must overwrite, every row of them.
 */
export function allocateNumericColumnar(
  schema: readonly ColumnSpec[],
  rowCount: number,
  pool?: BufferPool,
): NumericColumnarShare {
  checkHost();
  const dataLengthOf = (column: ColumnSpec) => {
    if (column.type === 'string') throw new TypeError(`column '${column.name}' is not numeric`);
    return (column.type === 'f64' ? 8 : 4) * rowCount;
  };
  const layout = planLayout(schema, rowCount, dataLengthOf, pool);
  const { buffer } = layout;
  return {
    buffer,
    timestamps: new Float64Array(buffer, layout.timestampsOffset, rowCount),
    values: schema.map((column, i) =>
      column.type === 'f64'
        ? new Float64Array(buffer, layout.dataOffsets[i], rowCount)
        : new Int32Array(buffer, layout.dataOffsets[i], rowCount),
    ),
  };
}

interface Layout {
  readonly buffer: ArrayBuffer;
  readonly timestampsOffset: number;
  readonly dataOffsets: readonly number[];
  readonly dataLengths: readonly number[];
}

/**
 * Places every region of a batch of `rowCount` rows of `schema` whose column data take `dataLengthOf` bytes,
 * allocates the buffer (fresh, or from `pool`) and writes the header, descriptors and names; timestamps and data
 * are left to the caller. In a pooled buffer the header, names and padding are zeroed first, as in a fresh one.
 */
function planLayout<C extends ColumnSpec>(
  schema: readonly C[],
  rowCount: number,
  dataLengthOf: (column: C) => number,
  pool?: BufferPool,
): Layout {
  const names = schema.map((c) => utf8.encode(c.name));
  const bad = names.findIndex((name) => name.length > 0xffff);
  if (bad >= 0) throw new TypeError(`column name ${bad} is longer than 65535 UTF-8 bytes`);

  let at = HEADER_BYTES + DESCRIPTOR_BYTES * schema.length;
  const nameOffsets: number[] = [];
  for (const name of names) {
    nameOffsets.push(at);
    at += name.length;
  }
  const timestampsOffset = align8(at);
  at = align8(timestampsOffset + 8 * rowCount);
  const dataOffsets: number[] = [];
  const dataLengths: number[] = [];
  for (const column of schema) {
    const length = dataLengthOf(column);
    dataOffsets.push(at);
    dataLengths.push(length);
    at = align8(at + length);
  }
  const byteLength = at;
  if (byteLength > 0xffffffff) throw new RangeError(`columnar batch of ${byteLength} bytes exceeds 4 GiB`);

  const buffer = pool === undefined ? new ArrayBuffer(byteLength) : pool.take(byteLength);
  const view = new DataView(buffer);
  const bytes = new Uint8Array(buffer);
  if (pool !== undefined) {
    bytes.fill(0, 0, timestampsOffset);
    schema.forEach((_, i) => {
      const end = dataOffsets[i]! + dataLengths[i]!;
      bytes.fill(0, end, align8(end));
    });
  }
  view.setUint32(0, COLUMNAR_MAGIC, true);
  view.setUint16(4, COLUMNAR_VERSION, true);
  view.setUint32(8, rowCount, true);
  view.setUint32(12, schema.length, true);
  view.setUint32(16, byteLength, true);
  view.setUint32(20, timestampsOffset, true);
  schema.forEach((column, i) => {
    const descriptor = HEADER_BYTES + DESCRIPTOR_BYTES * i;
    const name = names[i]!;
    view.setUint32(descriptor, dataOffsets[i]!, true);
    view.setUint32(descriptor + 4, dataLengths[i]!, true);
    view.setUint32(descriptor + 8, nameOffsets[i]!, true);
    view.setUint16(descriptor + 12, name.length, true);
    view.setUint8(descriptor + 14, TYPE_CODES[column.type]);
    bytes.set(name, nameOffsets[i]);
  });
  return { buffer, timestampsOffset, dataOffsets, dataLengths };
}

function dataLength(column: Column, rowCount: number, rows: Int32Array | undefined): number {
  if (column.type === 'f64') return 8 * rowCount;
  if (column.type === 'i32') return 4 * rowCount;
  const bytes = rows === undefined ? column.offsets[rowCount]! : selectedStringBytes(column, rows);
  return 4 * (rowCount + 1) + bytes;
}

function writeColumn(column: Column, rowCount: number, buffer: ArrayBuffer, at: number): void {
  if (column.type === 'f64') new Float64Array(buffer, at, rowCount).set(column.values);
  else if (column.type === 'i32') new Int32Array(buffer, at, rowCount).set(column.values);
  else {
    new Int32Array(buffer, at, rowCount + 1).set(column.offsets);
    new Uint8Array(buffer, at + 4 * (rowCount + 1)).set(column.bytes.subarray(0, column.offsets[rowCount]));
  }
}

function gatherColumn(column: Column, rows: Int32Array, buffer: ArrayBuffer, at: number, length: number): void {
  const n = rows.length;
  if (column.type === 'f64') gatherF64(column.values, rows, new Float64Array(buffer, at, n));
  else if (column.type === 'i32') gatherI32(column.values, rows, new Int32Array(buffer, at, n));
  else {
    const offsetBytes = 4 * (n + 1);
    const out = new Uint8Array(buffer, at + offsetBytes, length - offsetBytes);
    gatherStrings(column, rows, new Int32Array(buffer, at, n + 1), out);
  }
}

/**
 * The batch encoded in `input` (an ArrayBuffer, or a view of the bytes of one encoding). Arrays of the result
 * are views into `input`'s buffer where alignment allows: treat them as read-only, and do not reuse the buffer.
 */
export function decodeColumnar(input: ArrayBufferLike | ArrayBufferView): ColumnarBatch {
  checkHost();
  const { buffer, byteOffset, available, view } = openBatch(input, {
    name: 'columnar batch',
    magic: COLUMNAR_MAGIC,
    version: COLUMNAR_VERSION,
    headerBytes: HEADER_BYTES,
  });
  const rowCount = view.getUint32(8, true);
  const columnCount = view.getUint32(12, true);
  const byteLength = view.getUint32(16, true);
  if (byteLength > available) fail(`truncated: the header declares ${byteLength} bytes, the buffer holds ${available}`);
  const descriptorsEnd = HEADER_BYTES + DESCRIPTOR_BYTES * columnCount;
  if (descriptorsEnd > byteLength) fail(`${columnCount} column descriptors do not fit in ${byteLength} bytes`);

  // Walks the regions in layout order: each must start exactly where the layout puts it and end in the encoding.
  let cursor = descriptorsEnd;
  const region = (what: string, offset: number, length: number, aligned: boolean): number => {
    const expected = aligned ? align8(cursor) : cursor;
    if (offset !== expected) fail(`${what} starts at ${offset}, expected ${expected} (regions follow in layout order)`);
    if (offset + length > byteLength) {
      fail(`${what} [${offset}, ${offset + length}) runs past the encoding's ${byteLength} bytes`);
    }
    cursor = offset + length;
    return byteOffset + offset;
  };
  const descriptor = (i: number, field: number): number => HEADER_BYTES + DESCRIPTOR_BYTES * i + field;
  const names: string[] = [];
  for (let i = 0; i < columnCount; i++) {
    const nameLength = view.getUint16(descriptor(i, 12), true);
    const nameAt = region(`column ${i} name`, view.getUint32(descriptor(i, 8), true), nameLength, false);
    names.push(decodeName(new Uint8Array(buffer, nameAt, nameLength), i));
  }
  const timestampsAt = region('timestamps', view.getUint32(20, true), 8 * rowCount, true);
  const columns: Column[] = [];
  for (const [i, name] of names.entries()) {
    const typeCode = view.getUint8(descriptor(i, 14));
    const type = TYPES_BY_CODE[typeCode];
    if (type === undefined) fail(`column '${name}' has unknown type code ${typeCode}`);
    const length = view.getUint32(descriptor(i, 4), true);
    const at = region(`column '${name}' data`, view.getUint32(descriptor(i, 0), true), length, true);
    columns.push(readColumn(buffer, at, length, name, type, rowCount));
  }
  if (align8(cursor) !== byteLength) fail(`byteLength ${byteLength} is not where the regions end (${align8(cursor)})`);
  const batch: ColumnarBatch = { rowCount, timestamps: f64At(buffer, timestampsAt, rowCount), columns };
  checkColumnarBatch(batch, true);
  return batch;
}

function readColumn(
  buffer: ArrayBufferLike,
  at: number,
  length: number,
  name: string,
  type: ColumnType,
  rows: number,
): Column {
  const expect = (bytes: number, rule: string): void => {
    if (!(type === 'string' ? length >= bytes : length === bytes)) {
      fail(`column '${name}' (${type}) has ${length} data bytes; ${rule} for ${rows} rows`);
    }
  };
  if (type === 'f64') {
    expect(8 * rows, `expected ${8 * rows}`);
    return { name, type, values: f64At(buffer, at, rows) };
  }
  if (type === 'i32') {
    expect(4 * rows, `expected ${4 * rows}`);
    return { name, type, values: i32At(buffer, at, rows) };
  }
  const offsetBytes = 4 * (rows + 1);
  expect(offsetBytes, `offsets alone take ${offsetBytes}`);
  const offsets = i32At(buffer, at, rows + 1);
  if (offsets[rows] !== length - offsetBytes) {
    fail(`column '${name}' offsets end at ${offsets[rows]}, but it holds ${length - offsetBytes} string bytes`);
  }
  return { name, type, offsets, bytes: new Uint8Array(buffer, at + offsetBytes, length - offsetBytes) };
}

function decodeName(bytes: Uint8Array, index: number): string {
  if (bytes.length === 0) fail(`column ${index} has an empty name`);
  try {
    return strictUtf8.decode(bytes);
  } catch (err) {
    throw new BatchFormatError(`columnar batch: column ${index} name is not valid UTF-8`, { cause: err });
  }
}

/** A view when `at` (absolute) is 8-aligned, else a copy: a misaligned Float64Array view would throw. */
function f64At(buffer: ArrayBufferLike, at: number, count: number): Float64Array {
  return at % 8 === 0 ? new Float64Array(buffer, at, count) : new Float64Array(buffer.slice(at, at + 8 * count));
}

function i32At(buffer: ArrayBufferLike, at: number, count: number): Int32Array {
  return at % 4 === 0 ? new Int32Array(buffer, at, count) : new Int32Array(buffer.slice(at, at + 4 * count));
}

function fail(message: string): never {
  throw new BatchFormatError(`columnar batch: ${message}`);
}

function checkHost(): void {
  if (!LITTLE_ENDIAN_HOST) throw new Error('columnar batches need a little-endian host');
}
