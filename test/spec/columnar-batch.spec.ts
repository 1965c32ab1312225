/**
 * Columnar batches (src/batch/columnar-*.ts): the byte layout pinned by test/golden/columnar-batch.ts, round trips
 * through one ArrayBuffer with zero-copy views, the row helpers, and clear errors for bad input and corrupt bytes.
 */
import { BatchFormatError } from '../../src/batch/batch-format-error.ts';
import { columnNamed, schemaOf, type ColumnarBatch, type ColumnarSchema } from '../../src/batch/columnar-batch.ts';
import { decodeColumnar, encodeColumnar } from '../../src/batch/columnar-layout.ts';
import { columnarToRows, rowsToColumnar, stringAt, type Row } from '../../src/batch/columnar-rows.ts';
import { NO_TIMESTAMP } from '../../src/runtime/time.ts';
import {
  COLUMNAR_GOLDEN_REGIONS,
  COLUMNAR_GOLDEN_ROWS,
  COLUMNAR_GOLDEN_SCHEMA,
  COLUMNAR_GOLDEN_TIMESTAMPS,
} from '../golden/columnar-batch.ts';
import { deepEqual, equal, ok, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { seededRandom } from './support.ts';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const goldenHex = COLUMNAR_GOLDEN_REGIONS.map(([, bytes]) => bytes.replace(/ /g, '')).join('');
const goldenBytes = (): Uint8Array => Uint8Array.from(goldenHex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
const goldenBatch = (): ColumnarBatch =>
  rowsToColumnar(COLUMNAR_GOLDEN_ROWS, COLUMNAR_GOLDEN_SCHEMA, COLUMNAR_GOLDEN_TIMESTAMPS);

const SCHEMA: ColumnarSchema = [
  { name: 'user', type: 'string' },
  { name: 'amount', type: 'f64' },
  { name: 'count', type: 'i32' },
  { name: 'note', type: 'string' },
];
const PIECES = ['a', 'Zz', ' ', 'é', 'ß', '日本', '😀', 'x'.repeat(40), '\u0000', '👩‍👩‍👧'];

function randomRows(count: number, seed: number): Row[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (): string => Array.from({ length: Math.floor(random() * 4) }, () => pick(PIECES)).join('');
  return Array.from({ length: count }, () => ({
    user: `user-${Math.floor(random() * 50)}`,
    amount: pick([0, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, (random() - 0.5) * 1e6]),
    count: pick([0, -1, 2 ** 31 - 1, -(2 ** 31), Math.floor((random() - 0.5) * 1e4)]),
    note: text(),
  }));
}

/** A copy of `bytes` with `patch` applied (offset → new byte values). */
function patched(bytes: Uint8Array, at: number, ...values: number[]): ArrayBuffer {
  const copy = bytes.slice();
  copy.set(values, at);
  return copy.buffer;
}

export default defineSuite('columnar batch', (it) => {
  it('golden: encoding the golden batch gives exactly the golden bytes', () => {
    equal(hex(new Uint8Array(encodeColumnar(goldenBatch()))), goldenHex);
  });

  it('golden: decoding the golden bytes gives the golden batch (NaN, -0, -Infinity kept)', () => {
    const batch = decodeColumnar(goldenBytes().buffer);
    deepEqual(schemaOf(batch), COLUMNAR_GOLDEN_SCHEMA, 'schema');
    equal(batch.rowCount, COLUMNAR_GOLDEN_ROWS.length, 'rowCount');
    deepEqual(Array.from(batch.timestamps), COLUMNAR_GOLDEN_TIMESTAMPS, 'timestamps');
    deepEqual(columnarToRows(batch), COLUMNAR_GOLDEN_ROWS, 'rows');
  });

  it('round trip of 1000 pseudo-random rows: values, timestamps, strings of every UTF-8 length', () => {
    const rows = randomRows(1000, 7);
    const timestamps = rows.map((_, i) => (i % 7 === 0 ? NO_TIMESTAMP : i * 1.5));
    const buffer = encodeColumnar(rowsToColumnar(rows, SCHEMA, timestamps));
    equal(buffer.byteLength % 8, 0, 'encoding length is a multiple of 8');
    const batch = decodeColumnar(buffer);
    deepEqual(columnarToRows(batch), rows, 'rows');
    deepEqual(Array.from(batch.timestamps), timestamps, 'timestamps');
  });

  it('encoding selected rows gives the canonical encoding of a batch of just those rows, in their order', () => {
    const rows = randomRows(300, 11);
    const timestamps = rows.map((_, i) => (i % 5 === 0 ? NO_TIMESTAMP : i * 2.5));
    const batch = rowsToColumnar(rows, SCHEMA, timestamps);
    for (const picked of [[], [0], [299, 3, 3, 150], Array.from({ length: 150 }, (_, i) => 2 * i + 1)]) {
      const selected = encodeColumnar(batch, Int32Array.from(picked));
      const expected = encodeColumnar(
        rowsToColumnar(
          picked.map((r) => rows[r]!),
          SCHEMA,
          picked.map((r) => timestamps[r]!),
        ),
      );
      equal(hex(new Uint8Array(selected)), hex(new Uint8Array(expected)), `rows [${picked.slice(0, 4).join(', ')}…]`);
    }
  });

  it('decoded arrays are views into the buffer, not copies', () => {
    const buffer = encodeColumnar(rowsToColumnar(randomRows(10, 1), SCHEMA));
    const batch = decodeColumnar(buffer);
    ok(batch.timestamps.buffer === buffer, 'timestamps are a view');
    for (const column of batch.columns) {
      const arrays = column.type === 'string' ? [column.offsets, column.bytes] : [column.values];
      for (const array of arrays) ok(array.buffer === buffer, `column '${column.name}' is a view`);
    }
  });

  it('decodes from a view at any offset: zero-copy when 8-aligned, copied otherwise; trailing bytes ignored', () => {
    const rows = randomRows(20, 2);
    const encoded = new Uint8Array(encodeColumnar(rowsToColumnar(rows, SCHEMA)));
    for (const offset of [8, 3, 4]) {
      const host = new Uint8Array(encoded.length + offset + 5).fill(0xee);
      host.set(encoded, offset);
      const batch = decodeColumnar(host.subarray(offset));
      deepEqual(columnarToRows(batch), rows, `at offset ${offset}`);
      equal(batch.timestamps.buffer === host.buffer, offset === 8, `timestamps zero-copy at offset ${offset}`);
    }
  });

  it('empty batches: no rows, no columns, and no rows with columns', () => {
    for (const schema of [[], SCHEMA]) {
      const buffer = encodeColumnar(rowsToColumnar([], schema));
      const batch = decodeColumnar(buffer);
      equal(batch.rowCount, 0);
      deepEqual(schemaOf(batch), schema);
      deepEqual(columnarToRows(batch), []);
    }
    equal(encodeColumnar(rowsToColumnar([], [])).byteLength, 24, 'just the header');
  });

  it('one ArrayBuffer that survives a transfer', () => {
    const rows = randomRows(5, 3);
    const buffer = encodeColumnar(rowsToColumnar(rows, SCHEMA));
    const moved = structuredClone(buffer, { transfer: [buffer] });
    equal(buffer.byteLength, 0, 'the original is detached');
    deepEqual(columnarToRows(decodeColumnar(moved)), rows);
  });

  it('rowsToColumnar: timestamps default to NO_TIMESTAMP; extra fields are ignored; accessors', () => {
    const batch = rowsToColumnar([{ user: 'é', amount: 1, count: 2, note: '', extra: true }], SCHEMA);
    deepEqual(Array.from(batch.timestamps), [NO_TIMESTAMP]);
    deepEqual(Object.keys(columnarToRows(batch)[0]!), ['user', 'amount', 'count', 'note']);
    const user = columnNamed(batch, 'user');
    ok(user.type === 'string');
    equal(stringAt(user, 0), 'é');
    throws(() => columnNamed(batch, 'nope'), /no column 'nope' \(columns: 'user', 'amount', 'count', 'note'\)/);
  });

  it('strings are UTF-8: a lone surrogate becomes U+FFFD', () => {
    const schema: ColumnarSchema = [{ name: 's', type: 'string' }];
    const rows = columnarToRows(decodeColumnar(encodeColumnar(rowsToColumnar([{ s: 'a\ud800b' }], schema))));
    deepEqual(rows, [{ s: 'a\ufffdb' }]);
  });

  it('rowsToColumnar rejects values of the wrong kind, naming row and column', () => {
    const f64: ColumnarSchema = [{ name: 'x', type: 'f64' }];
    const i32: ColumnarSchema = [{ name: 'n', type: 'i32' }];
    const str: ColumnarSchema = [{ name: 's', type: 'string' }];
    throws(() => rowsToColumnar([{ x: 1 }, { x: '2' }], f64), /row 1, column 'x' \(f64\): "2" \(string\)/);
    throws(() => rowsToColumnar([{}], f64), /row 0, column 'x' \(f64\): undefined/);
    throws(() => rowsToColumnar([{ x: 1n }], f64), /row 0, column 'x'/);
    for (const bad of [1.5, 2 ** 31, -(2 ** 31) - 1, NaN, Infinity, '1']) {
      throws(() => rowsToColumnar([{ n: bad }], i32), /row 0, column 'n' \(i32\)/, String(bad));
    }
    throws(() => rowsToColumnar([{ s: null }], str), /row 0, column 's' \(string\): null/);
  });

  it('rowsToColumnar rejects bad schemas and a timestamp count that does not match', () => {
    throws(() => rowsToColumnar([], [{ name: '', type: 'f64' }]), /non-empty/);
    const dup: ColumnarSchema = [
      { name: 'a', type: 'f64' },
      { name: 'a', type: 'i32' },
    ];
    throws(() => rowsToColumnar([], dup), /duplicate column name 'a'/);
    throws(() => rowsToColumnar([], [{ name: 'a', type: 'u8' as 'f64' }]), /column 'a' has type 'u8'/);
    throws(() => rowsToColumnar([{ x: 1 }], [{ name: 'x', type: 'f64' }], [1, 2]), /2 timestamps for 1 rows/);
  });

  it('encodeColumnar rejects an inconsistent batch', () => {
    const values = new Float64Array(2);
    const timestamps = new Float64Array(3);
    const short: ColumnarBatch = { rowCount: 3, timestamps, columns: [{ name: 'x', type: 'f64', values }] };
    throws(() => encodeColumnar(short), /column 'x' has 2 values/);
    const offsets = Int32Array.from([0, 2, 1, 3]);
    const bytes = new Uint8Array(3);
    const unordered: ColumnarBatch = {
      rowCount: 3,
      timestamps,
      columns: [{ name: 's', type: 'string', offsets, bytes }],
    };
    throws(() => encodeColumnar(unordered), /column 's' offset 2 \(1\) is invalid/);
    throws(() => encodeColumnar({ rowCount: 2, timestamps, columns: [] }), /3 timestamps for 2 rows/);
  });

  it('decoding any truncation of a valid encoding throws BatchFormatError', () => {
    const bytes = goldenBytes();
    for (let length = 0; length < bytes.length; length++) {
      const err = throws(() => decodeColumnar(bytes.slice(0, length).buffer), /columnar batch: truncated/);
      ok(err instanceof BatchFormatError, `length ${length}: a BatchFormatError`);
    }
  });

  it('decoding corrupt bytes throws BatchFormatError saying what is wrong', () => {
    const bytes = goldenBytes();
    const twoNames = new Uint8Array(
      encodeColumnar(
        rowsToColumnar(
          [],
          [
            { name: 'ab', type: 'f64' },
            { name: 'cd', type: 'f64' },
          ],
        ),
      ),
    );
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes);
    const cases: [ArrayBuffer, RegExp][] = [
      [patched(bytes, 0, 0x50), /bad magic 0x42435650 \(not a columnar batch\)/],
      [patched(bytes, 4, 2), /unsupported version 2 \(this build reads 1\)/],
      [patched(bytes, 6, 1), /unknown flags 0x1/],
      [patched(bytes, 12, 0xff), /255 column descriptors do not fit in 184 bytes/],
      [patched(padded, 16, 0xc0), /byteLength 192 is not where the regions end \(184\)/],
      [patched(bytes, 20, 0x60), /timestamps starts at 96, expected 88/],
      [patched(bytes, 20, 0x59), /timestamps starts at 89, expected 88/],
      [patched(bytes, 24, 0xb0), /column 'price' data starts at 176, expected 112/],
      [patched(bytes, 60, 0x40), /column 'user' data \[152, 216\) runs past the encoding's 184 bytes/],
      [patched(bytes, 28, 0x10), /column 'price' \(f64\) has 16 data bytes; expected 24 for 3 rows/],
      [patched(bytes, 38, 9), /column 'price' has unknown type code 9/],
      [patched(bytes, 36, 0, 0), /column 0 has an empty name/],
      [patched(bytes, 48, 0x49), /column 1 name starts at 73, expected 77/],
      [patched(bytes, 72, 0xff), /column 0 name is not valid UTF-8/],
      [patched(twoNames, 58, 0x61, 0x62), /duplicate column name 'ab'/],
      [patched(bytes, 156, 5), /column 'user' offset 2 \(3\) is invalid/],
      [patched(bytes, 164, 0x0d), /column 'user' offsets end at 13, but it holds 14 string bytes/],
    ];
    for (const [buffer, pattern] of cases) {
      const err = throws(() => decodeColumnar(buffer), pattern);
      ok(err instanceof BatchFormatError, `${pattern}: a BatchFormatError`);
    }
  });
});
