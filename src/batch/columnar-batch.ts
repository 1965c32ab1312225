/**
 * A columnar batch: `rowCount` rows of a schema of named, typed columns, plus one event timestamp per row. Moves
 * across a worker boundary as one ArrayBuffer (columnar-layout.ts: encodeColumnar / decodeColumnar); built from
 * and turned back into plain row objects by columnar-rows.ts.
 *
 * Column types and their in-memory form (the byte layout is the same, see columnar-layout.ts):
 *
 *   f64      Float64Array[rowCount]                      any number; bits copied as-is (-0, NaN kept)
 *   i32      Int32Array[rowCount]                        integers in -2^31..2^31-1
 *   string   offsets Int32Array[rowCount + 1] + bytes    row i is UTF-8 bytes[offsets[i] .. offsets[i + 1])
 *
 * Strings are UTF-8 plus offsets (Arrow's `Utf8` layout) rather than a dictionary: encoding stays one pass with no
 * hash table, rows keep their order, a row's bytes can be hashed or compared without decoding, and a batch holding
 * mostly distinct values (ids, URLs) does not pay twice. Lone surrogates become U+FFFD, as with TextEncoder.
 *
 * There are no nulls: every row has a value in every column. Timestamps are NO_TIMESTAMP (-Infinity,
 * src/runtime/time.ts) for rows without one. Batches are immutable once built: a decoded batch's arrays may be views
 * into the buffer it was decoded from.
 */
import { BatchFormatError } from './batch-format-error.ts';

export type ColumnType = 'f64' | 'i32' | 'string';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
}

/** Column names are non-empty and unique within a schema. */
export type ColumnarSchema = readonly ColumnSpec[];

export interface F64Column {
  readonly name: string;
  readonly type: 'f64';
  readonly values: Float64Array;
}

export interface I32Column {
  readonly name: string;
  readonly type: 'i32';
  readonly values: Int32Array;
}

/** offsets[0] = 0, non-decreasing, offsets[rowCount] <= bytes.length; bytes past offsets[rowCount] are ignored. */
export interface StringColumn {
  readonly name: string;
  readonly type: 'string';
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
}

export type Column = F64Column | I32Column | StringColumn;

export interface ColumnarBatch {
  readonly rowCount: number;
  /** Event timestamp per row, NO_TIMESTAMP (-Infinity) where a row has none. */
  readonly timestamps: Float64Array;
  readonly columns: readonly Column[];
}

export const COLUMN_TYPES: readonly ColumnType[] = ['f64', 'i32', 'string'];

/** The schema of `batch`, in column order. */
export function schemaOf(batch: ColumnarBatch): ColumnarSchema {
  return batch.columns.map(({ name, type }) => ({ name, type }));
}

/** The column called `name`; throws RangeError naming the columns there are. */
export function columnNamed(batch: ColumnarBatch, name: string): Column {
  const column = batch.columns.find((c) => c.name === name);
  if (column === undefined) {
    throw new RangeError(`no column '${name}' (columns: ${batch.columns.map((c) => `'${c.name}'`).join(', ')})`);
  }
  return column;
}

/** Throws TypeError unless every name is a non-empty string, unique, and every type one of COLUMN_TYPES. */
export function checkSchema(schema: ColumnarSchema): void {
  const problem = schemaProblem(schema);
  if (problem !== undefined) throw new TypeError(problem);
}

function schemaProblem(schema: ColumnarSchema): string | undefined {
  const seen = new Set<string>();
  for (const { name, type } of schema) {
    if (typeof name !== 'string' || name === '') return 'column names must be non-empty strings';
    if (seen.has(name)) return `duplicate column name '${name}'`;
    if (!COLUMN_TYPES.includes(type)) {
      return `column '${name}' has type '${String(type)}'; expected one of ${COLUMN_TYPES.join(', ')}`;
    }
    seen.add(name);
  }
  return undefined;
}

/**
 * Throws unless `batch` is internally consistent: a valid schema, `timestamps` and every column exactly
 * `rowCount` rows, string offsets as StringColumn requires. O(rowCount) for string columns. `Error` is
 * BatchFormatError when `decoded` (bytes came from outside), else TypeError (a caller built a bad batch).
 */
export function checkColumnarBatch(batch: ColumnarBatch, decoded = false): void {
  const fail = (message: string): never => {
    throw decoded ? new BatchFormatError(`columnar batch: ${message}`) : new TypeError(message);
  };
  const { rowCount } = batch;
  if (!Number.isInteger(rowCount) || rowCount < 0) fail(`rowCount ${rowCount} is not a non-negative integer`);
  if (batch.timestamps.length !== rowCount) fail(`${batch.timestamps.length} timestamps for ${rowCount} rows`);
  const problem = schemaProblem(batch.columns);
  if (problem !== undefined) fail(problem);
  for (const column of batch.columns) {
    if (column.type !== 'string') {
      if (column.values.length !== rowCount) fail(`column '${column.name}' has ${column.values.length} values`);
      continue;
    }
    const { offsets, bytes } = column;
    if (offsets.length !== rowCount + 1) fail(`column '${column.name}' has ${offsets.length} offsets`);
    let previous = 0;
    for (let i = 0; i <= rowCount; i++) {
      const offset = offsets[i]!;
      if (i === 0 ? offset !== 0 : offset < previous)
        fail(`column '${column.name}' offset ${i} (${offset}) is invalid`);
      previous = offset;
    }
    if (previous > bytes.length) fail(`column '${column.name}' offsets end at ${previous}, past ${bytes.length} bytes`);
  }
}
