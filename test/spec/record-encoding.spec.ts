/**
 * Record encoding (src/batch/record-encoding.ts): batches of arbitrary objects and their timestamps through one
 * ArrayBuffer with msgpackr — every kind of value it must keep, the records extension, self-contained batches,
 * and clear errors for values it cannot encode and bytes it cannot decode.
 */
import { BatchFormatError } from '../../src/batch/batch-format-error.ts';
import { MAX_RECORD_DEPTH } from '../../src/batch/negative-zero.ts';
import { RecordBatch } from '../../src/batch/record-batch.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../../src/batch/record-encoding.ts';
import { NO_TIMESTAMP } from '../../src/runtime/time.ts';
import { deepEqual, equal, ok, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

/**
 * `value` as a plain tree that spells out every type, so deepEqual (which compares leaves with Object.is: -0, NaN)
 * also tells a Date from another Date, a Set from an array, a Float32Array from a Float64Array, a hole from a key.
 */
function tagged(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return ['Date', value.getTime()];
  if (value instanceof Set) return ['Set', Array.from(value, tagged)];
  if (value instanceof Map) return ['Map', Array.from(value, ([k, v]: [unknown, unknown]) => [tagged(k), tagged(v)])];
  if (value instanceof ArrayBuffer) return ['ArrayBuffer', Array.from(new Uint8Array(value))];
  if (value instanceof DataView) return ['DataView', Array.from(new Uint8Array(value.buffer, value.byteOffset))];
  if (ArrayBuffer.isView(value)) return [value.constructor.name, Array.from(value as unknown as ArrayLike<unknown>)];
  if (value instanceof Error) return ['Error', value.name, value.message];
  if (value instanceof RegExp) return ['RegExp', value.source, value.flags];
  if (Array.isArray(value)) return ['Array', Array.from(value, tagged)];
  const proto = Object.getPrototypeOf(value) === Object.prototype ? 'Object' : 'not a plain Object';
  return [proto, Object.entries(value).map(([k, v]) => [k, tagged(v)])];
}

function roundTrip(values: unknown[], timestamps = values.map(() => NO_TIMESTAMP)): RecordBatch {
  return decodeRecordBatch(encodeRecordBatch(new RecordBatch(values, timestamps)));
}

function expectRoundTrip(values: unknown[], what: string): void {
  deepEqual(tagged(roundTrip(values).values), tagged(values), what);
}

const TYPED_ARRAYS = [
  Int8Array.of(-128, 0, 127),
  Uint8Array.of(0, 255),
  Uint8ClampedArray.of(0, 255),
  Int16Array.of(-32768, 32767),
  Uint16Array.of(65535),
  Int32Array.of(-(2 ** 31), 2 ** 31 - 1),
  Uint32Array.of(2 ** 32 - 1),
  Float32Array.of(1.5, -0, NaN, -Infinity),
  Float64Array.of(Math.PI, -0, NaN, Infinity, Number.MIN_VALUE),
  BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n),
  BigUint64Array.of(2n ** 64n - 1n),
];

export default defineSuite('record encoding', (it) => {
  it('nested objects, arrays and strings', () => {
    expectRoundTrip(
      [
        { user: 'ann', tags: ['a', 'b'], address: { city: 'Zürich', geo: [47.37, 8.54] } },
        [[], {}, [[[1]]], { deep: { deeper: { deepest: 'x' } } }],
        ['', 'é', '日本語', '😀', 'x'.repeat(10_000), 'line\nbreak\u0000nul'],
        'a top-level string',
        true,
        false,
      ],
      'nested values',
    );
  });

  it('numbers: -0, NaN, ±Infinity, integers of every width, floats', () => {
    const numbers = [0, -0, NaN, Infinity, -Infinity, 1, -1, 127, 128, -33, 65536, 2 ** 31, -(2 ** 31) - 1];
    const more = [2 ** 53, -(2 ** 53), Number.MAX_VALUE, Number.MIN_VALUE, 0.1, -1.5, 1e21];
    expectRoundTrip([...numbers, ...more, { x: -0 }, [-0, [-0]], new Map([['k', -0]])], 'numbers');
  });

  it('-0 is kept without changing the records that hold it', () => {
    const inner = { z: -0 };
    const record = { a: [1, inner], b: 'same' };
    const shared = { untouched: 1 };
    const result = roundTrip([record, shared]).values;
    ok(Object.is(record.a[1], inner) && Object.is(inner.z, -0), 'the input is unchanged');
    deepEqual(tagged(result), tagged([record, shared]));
  });

  it('bigint: small, negative and beyond 64 bits', () => {
    expectRoundTrip([0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n, 2n ** 64n - 1n, -(2n ** 100n)], 'bigints');
  });

  it('Date, Map, Set, Error, RegExp, ArrayBuffer, DataView', () => {
    const dates = [new Date(0), new Date(-1), new Date(1_700_000_000_123), new Date(8.64e15), new Date(1000)];
    const map = new Map<unknown, unknown>([
      [1, 'one'],
      ['k', { v: [1, 2] }],
      [{ composite: true }, new Set([1])],
    ]);
    const set = new Set<unknown>([1, 'x', { o: 1 }, null]);
    const buffer = Uint8Array.of(1, 2, 3).buffer;
    const view = new DataView(Uint8Array.of(9, 8, 7).buffer);
    expectRoundTrip([...dates, map, set, new Error('boom'), /a+b/giu, buffer, view], 'built-in types');
  });

  it('typed arrays come back as the same type with the same contents', () => {
    expectRoundTrip(TYPED_ARRAYS, 'typed arrays');
    expectRoundTrip([{ columns: TYPED_ARRAYS }], 'typed arrays inside a record');
    const window = Float64Array.of(1, 2, 3, 4).subarray(1, 3);
    const [back] = roundTrip([window]).values;
    ok(back instanceof Float64Array, 'a Float64Array');
    deepEqual(Array.from(back), [2, 3], 'only the viewed elements');
  });

  it('decoded binary is copied, never a view into the batch buffer', () => {
    const buffer = encodeRecordBatch(new RecordBatch([Uint8Array.of(1, 2), Float64Array.of(1)], [0, 0]));
    for (const value of decodeRecordBatch(buffer).values) {
      ok(ArrayBuffer.isView(value) && value.buffer !== buffer, 'a copy');
    }
    // A MessagePack bin (what a browser writes for a Uint8Array; Node writes a typed-array extension), by hand:
    // header for 1 record, its timestamp, payload fixarray(1) bin8(2) 0x07 0x09.
    const bin = Uint8Array.of(0x52, 0x56, 0x52, 0x45, 1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, ...new Uint8Array(8));
    const withBin = Uint8Array.of(...bin, 0x91, 0xc4, 0x02, 0x07, 0x09);
    const [value] = decodeRecordBatch(withBin).values;
    ok(value instanceof Uint8Array && value.buffer !== withBin.buffer, 'a bin is copied');
    deepEqual(Array.from(value), [7, 9]);
  });

  it('undefined and null stay distinct, as values, elements and properties', () => {
    const values = [undefined, null, [undefined, null], { a: undefined, b: null }, {}];
    const back = roundTrip(values).values;
    expectRoundTrip(values, 'undefined vs null');
    ok('a' in (back[3] as object), 'a property holding undefined is kept');
    ok(!('a' in (back[4] as object)), 'a missing property stays missing');
  });

  it('many records sharing a shape are written with their keys once (records extension)', () => {
    const key = 'a_rather_long_property_name';
    const records = Array.from({ length: 1000 }, (_, i) => ({ [key]: i, other_long_property_name: `v${i % 10}` }));
    const buffer = encodeRecordBatch(
      new RecordBatch(
        records,
        records.map((_, i) => i),
      ),
    );
    ok(buffer.byteLength < 1000 * key.length, `${buffer.byteLength} bytes: keys are not repeated per record`);
    const back = decodeRecordBatch(buffer);
    deepEqual(tagged(back.values), tagged(records));
    deepEqual(
      back.timestamps,
      records.map((_, i) => i),
    );
  });

  it('interleaved shapes, and more distinct shapes than msgpackr has record slots', () => {
    const shapes = Array.from({ length: 300 }, (_, i) => ({ [`k${i % 150}`]: i, ...(i % 2 ? { odd: true } : {}) }));
    expectRoundTrip(shapes, 'many shapes');
  });

  it('every batch decodes on its own, in any order', () => {
    const a = encodeRecordBatch(new RecordBatch([{ x: 1, y: 'a' }], [1]));
    const b = encodeRecordBatch(new RecordBatch([{ x: 2, y: 'b' }, { q: [1] }], [2, 3]));
    deepEqual(decodeRecordBatch(b).values, [{ x: 2, y: 'b' }, { q: [1] }]);
    deepEqual(decodeRecordBatch(a).values, [{ x: 1, y: 'a' }]);
  });

  it('the empty batch', () => {
    const buffer = encodeRecordBatch(RecordBatch.empty());
    const back = decodeRecordBatch(buffer);
    equal(back.length, 0);
    deepEqual(back.timestamps, []);
  });

  it('timestamps come back exactly, NO_TIMESTAMP included; one ArrayBuffer that survives a transfer', () => {
    const timestamps = [NO_TIMESTAMP, 0, -1, 1.5, 8.64e15, Number.MAX_SAFE_INTEGER];
    const buffer = encodeRecordBatch(
      new RecordBatch(
        timestamps.map((t) => ({ t })),
        timestamps,
      ),
    );
    const moved = structuredClone(buffer, { transfer: [buffer] });
    equal(buffer.byteLength, 0, 'the original is detached');
    deepEqual(decodeRecordBatch(moved).timestamps, timestamps);
  });

  it('decodes from a view at any offset', () => {
    const encoded = new Uint8Array(encodeRecordBatch(new RecordBatch([{ a: 1 }, 'b'], [5, NO_TIMESTAMP])));
    for (const offset of [0, 3, 8]) {
      const host = new Uint8Array(encoded.length + offset + 4).fill(0xc1);
      host.set(encoded, offset);
      const back = decodeRecordBatch(host.subarray(offset));
      deepEqual(
        [back.values, back.timestamps],
        [
          [{ a: 1 }, 'b'],
          [5, NO_TIMESTAMP],
        ],
        `at offset ${offset}`,
      );
    }
  });

  it('class instances come back as plain objects with their own enumerable properties', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      get norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    deepEqual(tagged(roundTrip([new Point(3, 4)]).values), tagged([{ x: 3, y: 4 }]));
  });

  it('rejects what it cannot encode: cycles, nesting past the limit, symbols, a timestamp count mismatch', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    throws(() => encodeRecordBatch(new RecordBatch([cyclic], [0])), /nests deeper than 512 levels, or holds a cycle/);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_RECORD_DEPTH; i++) deep = [deep];
    expectRoundTrip([deep], `nesting ${MAX_RECORD_DEPTH} deep`);
    throws(() => encodeRecordBatch(new RecordBatch([[deep]], [0])), /nests deeper than/);
    const err = throws(() => encodeRecordBatch(new RecordBatch([{ s: Symbol('x') }], [0])), /cannot encode a record/);
    ok(err instanceof TypeError && err.cause instanceof Error, 'a TypeError carrying the cause');
    throws(() => encodeRecordBatch(new RecordBatch([1, 2], [0])), /1 timestamps for 2 records/);
  });

  it('decoding truncated or corrupt bytes throws BatchFormatError saying what is wrong', () => {
    const bytes = new Uint8Array(encodeRecordBatch(new RecordBatch([{ a: 1 }, { a: 2 }], [1, 2])));
    for (let length = 0; length < bytes.length; length++) {
      const err = throws(() => decodeRecordBatch(bytes.slice(0, length)), /record batch: truncated/);
      ok(err instanceof BatchFormatError, `length ${length}: a BatchFormatError`);
    }
    const patched = (at: number, ...values: number[]): Uint8Array => {
      const copy = bytes.slice();
      copy.set(values, at);
      return copy;
    };
    /** A well-formed header for `count` records (timestamps zero) followed by `payload`. */
    const forged = (count: number, payload: Uint8Array): Uint8Array => {
      const out = new Uint8Array(16 + 8 * count + payload.length);
      const view = new DataView(out.buffer);
      out.set(bytes.subarray(0, 8));
      view.setUint32(8, count, true);
      view.setUint32(12, payload.length, true);
      out.set(payload, 16 + 8 * count);
      return out;
    };
    const onePayload = new Uint8Array(encodeRecordBatch(new RecordBatch(['x'], [0]))).subarray(24);
    const cases: [Uint8Array, RegExp][] = [
      [patched(0, 0x51), /bad magic 0x45525651 \(not a record batch\)/],
      [patched(4, 9), /unsupported version 9 \(this build reads 1\)/],
      [patched(6, 0, 1), /unknown flags 0x100/],
      [patched(8, 1), /malformed payload/],
      [patched(32, 0xc1), /malformed payload/],
      [forged(2, onePayload), /the payload holds 1 values, not 2 records/],
      [forged(0, Uint8Array.of(0x05)), /the payload holds number, not 0 records/],
    ];
    for (const [corrupt, pattern] of cases) {
      const err = throws(() => decodeRecordBatch(corrupt), pattern);
      ok(err instanceof BatchFormatError, `${pattern}: a BatchFormatError`);
    }
  });
});
