/**
 * The kernel's channel split (src/wasm/channel-split.ts, assembly/channel-split.ts) against its TS reference, and
 * the record writer's split of numeric columnar batches, which uses it, against the gather path that string
 * columns take.
 */
import type { Column, ColumnarBatch } from '../../src/batch/columnar-batch.ts';
import { decodeColumnar, encodeColumnar } from '../../src/batch/columnar-layout.ts';
import { RecordBatch } from '../../src/batch/record-batch.ts';
import { currentPlatform } from '../../src/platform/index.ts';
import { Channel } from '../../src/runtime/channel.ts';
import type { ChannelSelector } from '../../src/runtime/channel-selector.ts';
import { RecordWriter } from '../../src/runtime/record-writer.ts';
import { referenceChannelSplit } from '../../src/wasm/channel-split-reference.ts';
import { referenceLookupSmallKeys } from '../../src/wasm/small-key-lookup.ts';
import type { NumericValues } from '../../src/wasm/channel-split.ts';
import { loadKernel, type Kernel } from '../../src/wasm/kernel.ts';
import { deepEqual, equal, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { seededRandom } from './support.ts';

async function kernel(): Promise<Kernel> {
  return loadKernel(await currentPlatform());
}

const SPECIAL_F64 = [NaN, -0, 0, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, -1.5, 2 ** 53];
const SPECIAL_I32 = [0, -1, 1, 2 ** 31 - 1, -(2 ** 31), 123456789];

/** Each channel's share of `source` under `split`, as arrays of source's type. */
function shares(
  split: { counts: Int32Array; scatter: (s: NumericValues, t: (NumericValues | undefined)[]) => void },
  source: NumericValues,
): (NumericValues | undefined)[] {
  const Type = source instanceof Float64Array ? Float64Array : Int32Array;
  const targets = Array.from(split.counts, (count) => (count === 0 ? undefined : new Type(count)));
  split.scatter(source, targets);
  return targets;
}

/** Bytes of an array, so that NaN payloads and -0 compare exactly. */
const bytesOf = (values: NumericValues | undefined): number[] =>
  values === undefined ? [] : Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));

export default defineSuite('channel split kernel', (it) => {
  it('splits like the TS reference: counts, and each channel its rows in row order, bit for bit', async () => {
    const k = await kernel();
    const random = seededRandom(11);
    for (const channelCount of [1, 2, 3, 4, 7, 9]) {
      for (const n of [0, 1, 2, 5, 64, 1000, 4099]) {
        const channels = Int32Array.from({ length: n }, () => Math.floor(random() * channelCount));
        const f64 = Float64Array.from({ length: n }, (_, i) =>
          i % 7 === 0 ? SPECIAL_F64[i % SPECIAL_F64.length]! : (random() - 0.5) * 1e6,
        );
        const i32 = Int32Array.from({ length: n }, (_, i) =>
          i % 5 === 0 ? SPECIAL_I32[i % SPECIAL_I32.length]! : Math.floor((random() - 0.5) * 2 ** 32),
        );
        const what = `${channelCount} channels, ${n} rows`;
        const wasm = k.channelSplit(channels, channelCount);
        const reference = referenceChannelSplit(channels, channelCount);
        deepEqual(Array.from(wasm.counts), Array.from(reference.counts), `${what}: counts`);
        for (const source of [f64, i32, f64]) {
          const actual = shares(wasm, source);
          const expected = shares(reference, source);
          for (let c = 0; c < channelCount; c++) {
            deepEqual(bytesOf(actual[c]), bytesOf(expected[c]), `${what}: channel ${c} of ${source.constructor.name}`);
          }
        }
      }
    }
  });

  it('keeps NaN payloads and negative zero of f64 columns', async () => {
    const source = new Float64Array(6);
    const words = new Uint32Array(source.buffer);
    words[0] = 0xdeadbeef; // NaN with a payload
    words[1] = 0x7ff4dead;
    words[2] = 0x00000001; // a negative-signed NaN
    words[3] = 0xfff80000;
    source[2] = -0;
    source[3] = 1;
    source[4] = -0;
    source[5] = NaN;
    const channels = Int32Array.from([1, 0, 1, 0, 0, 1]);
    const [zero, one] = shares((await kernel()).channelSplit(channels, 2), source);
    const bytes = (rows: number[]) => rows.flatMap((r) => bytesOf(source.subarray(r, r + 1)));
    deepEqual(bytesOf(zero), bytes([1, 3, 4]), 'channel 0');
    deepEqual(bytesOf(one), bytes([0, 2, 5]), 'channel 1');
  });

  it('rejects channels out of range, wrong targets, and a split used after a later kernel call', async () => {
    const k = await kernel();
    throws(() => k.channelSplit(Int32Array.from([0, 1, 2, 1]), 2), /row 2 has channel 2, not one of 0\.\.1/);
    throws(() => k.channelSplit(Int32Array.from([0, -1]), 3), /row 1 has channel -1/);
    throws(() => k.channelSplit(new Int32Array(1), 0), /channelCount must be a positive integer/);
    const split = k.channelSplit(Int32Array.from([0, 1, 1]), 2);
    throws(() => split.scatter(new Float64Array(2), [new Float64Array(1), new Float64Array(1)]), /2 values for 3/);
    throws(() => split.scatter(new Float64Array(3), [new Float64Array(1), new Float64Array(1)]), /channel 1 must/);
    throws(() => split.scatter(new Float64Array(3), [new Int32Array(1), new Float64Array(2)]), /channel 0 must/);
    throws(() => split.scatter(new Int32Array(3), [new Int32Array(1)]), /1 targets for 2 channels/);
    const [zero, one] = shares(split, Int32Array.from([5, 6, 7]));
    deepEqual([Array.from(zero!), Array.from(one!)], [[5], [6, 7]]);
    k.keyGroup('another call', 128);
    throws(() => shares(split, Int32Array.from([5, 6, 7])), /used after a later call to the wasm kernel/);
  });

  it('looks up small i32 and f64 keys in a table like the TS reference', async () => {
    const k = await kernel();
    const random = seededRandom(5);
    const odd = [-0, NaN, Infinity, -Infinity, -1, 0.5, 2 ** 31, -(2 ** 31), 1e300];
    // A table small against the batch is copied into the kernel; a large one is read by the reference loop.
    for (const [tableSize, n] of [
      [1000, 5000],
      [3, 64],
      [100_000, 10],
    ] as const) {
      const table = Int32Array.from({ length: tableSize }, () => (random() < 0.3 ? 0 : 1 + Math.floor(random() * 4)));
      const i32 = Int32Array.from({ length: n }, () => Math.floor((random() - 0.2) * tableSize * 1.5));
      const f64 = Float64Array.from({ length: n }, (_, i) =>
        i % 4 === 0 ? odd[i % odd.length]! : Math.floor(random() * tableSize * 1.2) + (i % 3 === 0 ? 0.25 : 0),
      );
      for (const keys of [i32, f64]) {
        const actual = new Int32Array(n);
        const expected = new Int32Array(n);
        const known = k.lookupSmallKeys(keys, table, actual);
        equal(known, referenceLookupSmallKeys(keys, table, expected), `known, table ${tableSize}, ${n} keys`);
        deepEqual(Array.from(actual), Array.from(expected), `${keys.constructor.name}, table ${tableSize}`);
      }
    }
  });

  it('the record writer splits numeric and string batches alike: every row once, in order, per channel', async () => {
    const k = await kernel();
    const random = seededRandom(23);
    for (const channelCount of [2, 3, 5]) {
      for (const n of [1, 100, 2000]) {
        const target = Int32Array.from({ length: n }, () => Math.floor(random() * channelCount));
        const numeric: ColumnarBatch = {
          rowCount: n,
          timestamps: Float64Array.from({ length: n }, (_, i) => (i % 9 === 0 ? -Infinity : i * 3 - 500)),
          columns: [
            { name: 'k', type: 'i32', values: Int32Array.from({ length: n }, (_, i) => (i * 7919) % 97) },
            { name: 'v', type: 'f64', values: Float64Array.from({ length: n }, () => random() * 100) },
          ],
        };
        const withText: ColumnarBatch = {
          ...numeric,
          columns: [
            ...numeric.columns,
            stringColumn(
              's',
              Array.from({ length: n }, (_, i) => `row ${i} é`),
            ),
          ],
        };
        for (const batch of [numeric, withText]) {
          const received = splitBy(k, batch, target, channelCount);
          for (let c = 0; c < channelCount; c++) {
            const rows = Int32Array.from(target.keys()).filter((i) => target[i] === c);
            const expected = rows.length === 0 ? [] : [decodeColumnar(encodeColumnar(batch, rows))];
            deepEqual(received[c], expected, `${batch.columns.length} columns, ${channelCount} channels, ${n} rows`);
          }
        }
      }
    }
  });

  it('a channel taking every row of a numeric batch gets the batch itself', async () => {
    const batch: ColumnarBatch = {
      rowCount: 3,
      timestamps: Float64Array.from([1, 2, 3]),
      columns: [{ name: 'v', type: 'f64', values: Float64Array.from([4, 5, 6]) }],
    };
    const channels = [new Channel(8), new Channel(8)];
    const writer = new RecordWriter(channels, fixedTargets(Int32Array.from([1, 1, 1])), 1024, await kernel());
    const record = RecordBatch.fromColumnar(batch);
    writer.write(record);
    equal(channels[0]!.isEmpty, true);
    const element = channels[1]!.poll();
    equal(element?.kind === 'data' ? element.batch : undefined, record);
  });
});

function stringColumn(name: string, values: string[]): Column {
  const encoded = values.map((v) => new TextEncoder().encode(v));
  const offsets = new Int32Array(values.length + 1);
  encoded.forEach((bytes, i) => (offsets[i + 1] = offsets[i]! + bytes.length));
  const bytes = new Uint8Array(offsets[values.length]!);
  encoded.forEach((b, i) => bytes.set(b, offsets[i]));
  return { name, type: 'string', offsets, bytes };
}

function fixedTargets(target: Int32Array): ChannelSelector {
  return { select: () => target };
}

/** The columnar batches each channel receives when a RecordWriter splits `batch` by `target`. */
function splitBy(kernel: Kernel, batch: ColumnarBatch, target: Int32Array, channelCount: number): ColumnarBatch[][] {
  const channels = Array.from({ length: channelCount }, () => new Channel(8));
  new RecordWriter(channels, fixedTargets(target), 1024, kernel).write(RecordBatch.fromColumnar(batch));
  return channels.map((channel) => {
    const batches: ColumnarBatch[] = [];
    for (let element = channel.poll(); element !== undefined; element = channel.poll()) {
      if (element.kind === 'data' && element.batch.columnar !== undefined) batches.push(element.batch.columnar);
    }
    return batches;
  });
}
