/**
 * Recycling of batch memory, in two places.
 *
 * Source batches: a columnar generator reuses a batch's arrays for its next batch only when the chain
 * reported that nothing keeps the batch (Output.collect → true). A keyed split into several channels copies every
 * row out; a channel that takes the batch whole keeps it, and so does any operator that does not say otherwise.
 * The end-to-end cases below queue generated batches whole before anything reads them, so a batch recycled too
 * early would be overwritten in the queue and the results would change.
 *
 * Wire buffers (buffer-pool.ts): a keyed split lays shares out in buffers of the thread's pool, and a buffer goes
 * back once the subtask that read its batch from a channel is done with it and its head operator kept nothing.
 */
import { BufferPool, CLASS_BYTES, wireBuffers } from '../../src/batch/buffer-pool.ts';
import type { ColumnarBatch, ColumnSpec } from '../../src/batch/columnar-batch.ts';
import { allocateNumericColumnar, decodeColumnar } from '../../src/batch/columnar-layout.ts';
import { RecordBatch } from '../../src/batch/record-batch.ts';
import { currentPlatform } from '../../src/platform/index.ts';
import { StreamEnvironment, WatermarkStrategy } from '../../src/index.ts';
import { ChainOutput } from '../../src/runtime/chain-output.ts';
import { BaseOperator } from '../../src/runtime/operator.ts';
import { Channel } from '../../src/runtime/channel.ts';
import type { ChannelSelector } from '../../src/runtime/channel-selector.ts';
import { RecordWriter } from '../../src/runtime/record-writer.ts';
import { ColumnarGeneratorReader, type GeneratedColumns } from '../../src/runtime/sources/generator-source.ts';
import { ProcessingTimeQueue } from '../../src/runtime/processing-time.ts';
import { InputSubtask } from '../../src/runtime/subtask.ts';
import { ManualClock, NO_TIMESTAMP } from '../../src/runtime/time.ts';
import { loadKernel } from '../../src/wasm/kernel.ts';
import { deepEqual, equal, ok, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

const SCHEMA = [
  { name: 'k', type: 'i32' as const },
  { name: 'v', type: 'f64' as const },
];

/** Keys 0..keys-1 round robin, v = the row's index, timestamp = the index. */
function generator(count: number, keys: number, batchSize: number) {
  return {
    count,
    batchSize,
    schema: SCHEMA,
    fill(columns: GeneratedColumns, timestamps: Float64Array, first: number, rows: number) {
      const k = columns.k as Int32Array;
      const v = columns.v as Float64Array;
      for (let i = 0; i < rows; i++) {
        k[i] = (first + i) % keys;
        v[i] = first + i;
        timestamps[i] = first + i;
      }
    },
  };
}

/** Sum of v per key of `generator(count, keys, …)`, as sorted `key:sum` strings. */
function expectedSums(count: number, keys: number): string[] {
  const sums = new Map<number, number>();
  for (let n = 0; n < count; n++) sums.set(n % keys, (sums.get(n % keys) ?? 0) + n);
  return [...sums].map(([k, s]) => `${k}:${s}`).sort();
}

function polledColumnar(reader: ColumnarGeneratorReader): ColumnarBatch {
  const poll = reader.poll();
  if (poll.kind !== 'batch' || poll.batch.columnar === undefined) throw new Error(`expected a batch, got ${poll.kind}`);
  return poll.batch.columnar;
}

const fixedTargets = (target: Int32Array): ChannelSelector => ({ select: () => target });

export default defineSuite('source batch recycling', (it) => {
  it('a columnar generator reuses only the batch it polled last, reset as fresh arrays are', () => {
    // fill writes only the first row of each batch: the others must read as a fresh batch's would.
    const spec = {
      count: 18,
      batchSize: 4,
      schema: SCHEMA,
      fill(columns: GeneratedColumns, timestamps: Float64Array, first: number) {
        (columns.k as Int32Array)[0] = first + 1;
        (columns.v as Float64Array)[0] = first + 0.5;
        timestamps[0] = first;
      },
    };
    const reader = new ColumnarGeneratorReader(0, 18, spec, 4);
    const a = polledColumnar(reader);
    // As if something had written into them: recycling must not leak these.
    a.timestamps[3] = 99;
    for (const column of a.columns) (column as { values: Int32Array | Float64Array }).values[2] = 7;
    reader.recycle(RecordBatch.fromColumnar(a));
    const b = polledColumnar(reader);
    equal(b.timestamps, a.timestamps, 'the recycled arrays are reused');
    deepEqual(Array.from(b.timestamps), [4, NO_TIMESTAMP, NO_TIMESTAMP, NO_TIMESTAMP]);
    deepEqual(
      b.columns.map((c) => Array.from((c as { values: Int32Array | Float64Array }).values)),
      [
        [5, 0, 0, 0],
        [4.5, 0, 0, 0],
      ],
    );
    // Arrays the reader did not poll last are not taken: another batch object with b's arrays, then b after c.
    reader.recycle(RecordBatch.fromColumnar({ ...b }));
    const c = polledColumnar(reader);
    ok(c.timestamps !== b.timestamps, 'a batch the reader did not poll is ignored');
    reader.recycle(RecordBatch.fromColumnar(b));
    const d = polledColumnar(reader);
    ok(d.timestamps !== b.timestamps && d.timestamps !== c.timestamps, 'a batch polled before the last is ignored');
    // A spare of another length is not used: the last batch has 2 rows.
    reader.recycle(RecordBatch.fromColumnar(d));
    const e = polledColumnar(reader);
    equal(e.rowCount, 2);
    ok(e.timestamps.buffer !== d.timestamps.buffer, 'a spare of another length is not used');
  });

  it('a record writer releases a columnar batch only when it copied every row out', async () => {
    const kernel = await loadKernel(await currentPlatform());
    const batch = () =>
      RecordBatch.fromColumnar({
        rowCount: 3,
        timestamps: Float64Array.from([1, 2, 3]),
        columns: [
          { name: 'v', type: 'f64', values: Float64Array.from([4, 5, 6]) },
          { name: 's', type: 'string', offsets: Int32Array.from([0, 1, 2, 3]), bytes: Uint8Array.from([97, 98, 99]) },
        ],
      });
    const numeric = () => {
      const b = batch().columnar as ColumnarBatch;
      return RecordBatch.fromColumnar({ ...b, columns: b.columns.slice(0, 1) });
    };
    const writer = (target: number | Int32Array, channels = 2) =>
      new RecordWriter(
        Array.from({ length: channels }, () => new Channel(8)),
        { select: () => target },
        1024,
        kernel,
      );
    const split = Int32Array.from([0, 1, 0]);
    const oneChannel = Int32Array.from([1, 1, 1]);
    equal(writer(split).write(numeric()), true, 'numeric split');
    equal(writer(split).write(batch()), true, 'split with a string column');
    equal(writer(oneChannel).write(numeric()), false, 'numeric, every row to one channel');
    equal(writer(oneChannel).write(batch()), false, 'string column, every row to one channel');
    equal(writer(0, 1).write(numeric()), false, 'a single channel');
    equal(writer(-1).write(numeric()), false, 'broadcast');
    equal(
      new RecordWriter([new Channel(8)], fixedTargets(Int32Array.from([0, 0, 0])), 8, kernel).write(numeric()),
      false,
    );
    const objects = new RecordBatch([1, 2, 3], [1, 2, 3]);
    equal(writer(split).write(objects), false, 'an object batch');
  });

  for (const [name, parallelism, keys] of [
    ['keyBy to one subtask: every batch is queued whole', 1, 5],
    ['keyBy to two subtasks with every key on one of them: batches are queued whole', 2, 1],
    ['keyBy to two subtasks, rows split: batches are copied out and recycled', 2, 5],
  ] as const) {
    it(`a generator's batches stay intact downstream: ${name}`, async () => {
      const count = 20_000;
      const env = StreamEnvironment.create({ parallelism, batchSize: 512 });
      const out = await env
        .fromColumnarGenerator(generator(count, keys, 1000))
        .setParallelism(1)
        .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
        .setParallelism(1) // chained to the source: its batches reach keyBy's writer as the generator made them
        .keyBy('k')
        .sum('v')
        .executeAndCollect();
      const last = new Map<number, number>();
      for (const row of out as { k: number; v: number }[]) last.set(row.k, row.v);
      deepEqual([...last].map(([k, s]) => `${k}:${s}`).sort(), expectedSums(count, keys));
      equal(out.length, count);
    });
  }

  it('a chain releases a batch only when every chained operator and every writer released it', async () => {
    const kernel = await loadKernel(await currentPlatform());
    const batch = RecordBatch.fromColumnar({
      rowCount: 2,
      timestamps: Float64Array.from([1, 2]),
      columns: [{ name: 'v', type: 'f64', values: Float64Array.from([3, 4]) }],
    });
    const operator = (answer: boolean | undefined) => ({
      name: `returns ${answer}`,
      operator: new (class extends BaseOperator {
        processBatch(): boolean | void {
          return answer;
        }
      })(),
    });
    const splitting = () =>
      new RecordWriter([new Channel(8), new Channel(8)], fixedTargets(Int32Array.from([0, 1])), 8, kernel);
    const whole = () => new RecordWriter([new Channel(8)], fixedTargets(Int32Array.from([0, 0])), 8, kernel);
    const guard = <T>(_name: string, fn: () => T): T => fn();
    const collect = (chained: ReturnType<typeof operator>[], writers: RecordWriter[]) =>
      new ChainOutput(chained, writers, new Map(), guard).collect(batch);
    equal(collect([], [splitting()]), true);
    equal(collect([], [splitting(), splitting()]), true);
    equal(collect([operator(true)], [splitting()]), true);
    equal(collect([operator(undefined)], [splitting()]), false, 'an operator that says nothing may keep it');
    equal(collect([operator(false)], []), false);
    equal(collect([operator(true), operator(undefined)], []), false);
    equal(collect([], [splitting(), whole()]), false, 'one writer queued it whole');
    equal(collect([operator(undefined)], [whole()]), false);
  });

  it('a buffer pool hands out size classes, reuses what it was given, and keeps no more than its bound', () => {
    const pool = new BufferPool(4 * CLASS_BYTES);
    equal(pool.take(100).byteLength, 100, 'small requests get an exact fresh buffer');
    const a = pool.take(CLASS_BYTES + 1);
    equal(a.byteLength, 2 * CLASS_BYTES);
    pool.give(a);
    equal(pool.pooled, 2 * CLASS_BYTES);
    throws(() => pool.give(a), /returned to the pool twice/);
    equal(pool.take(CLASS_BYTES + 5), a, 'the same class');
    pool.give(a);
    equal(pool.take(CLASS_BYTES), a, 'the next class up');
    equal(pool.pooled, 0);
    pool.give(new ArrayBuffer(CLASS_BYTES + 8));
    pool.give(new ArrayBuffer(100));
    equal(pool.pooled, 0, 'buffers outside the classes are dropped');
    pool.give(new ArrayBuffer(2 * CLASS_BYTES));
    pool.give(new ArrayBuffer(2 * CLASS_BYTES));
    pool.give(new ArrayBuffer(CLASS_BYTES));
    equal(pool.pooled, 4 * CLASS_BYTES, 'past the bound a buffer is dropped');
    pool.clear();
    equal(pool.pooled, 0);
  });

  it('a pooled buffer lays a batch out byte for byte as a fresh one, whatever it held before', () => {
    const schema: ColumnSpec[] = [
      { name: 'key', type: 'i32' },
      { name: 'amount', type: 'f64' },
    ];
    const rows = 4099; // an odd count: the i32 column ends in padding
    const fill = (share: ReturnType<typeof allocateNumericColumnar>) => {
      for (let i = 0; i < rows; i++) {
        share.timestamps[i] = i * 3;
        share.values[0]![i] = i - 7;
        share.values[1]![i] = i / 4;
      }
    };
    const fresh = allocateNumericColumnar(schema, rows);
    fill(fresh);
    const pool = new BufferPool();
    const dirty = pool.take(fresh.buffer.byteLength + 1000);
    new Uint8Array(dirty).fill(0xa5);
    pool.give(dirty);
    const pooled = allocateNumericColumnar(schema, rows, pool);
    equal(pooled.buffer, dirty, 'the pooled buffer is used');
    fill(pooled);
    const length = fresh.buffer.byteLength;
    ok(pooled.buffer.byteLength > length, 'longer than the encoding');
    deepEqual(Array.from(new Uint8Array(pooled.buffer, 0, length)), Array.from(new Uint8Array(fresh.buffer)));
    const decoded = decodeColumnar(pooled.buffer);
    equal(decoded.rowCount, rows);
    deepEqual(Array.from(decoded.timestamps.subarray(0, 3)), [0, 3, 6]);
  });

  it("a subtask returns a channel's wire buffer to the pool only when its operator kept nothing of the batch", () => {
    const schema: ColumnSpec[] = [{ name: 'v', type: 'f64' }];
    const rows = 8192; // 128 KiB of data: a pooled size class
    const subtaskWith = (answer: boolean | undefined) => {
      const seen: number[] = [];
      const operator = new (class extends BaseOperator {
        processBatch(batch: RecordBatch): boolean | void {
          seen.push(batch.length);
          return answer;
        }
      })();
      const channel = new Channel(8);
      const info = { id: 0, index: 0, parallelism: 1, vertexId: 0, vertexName: 'consumer' };
      const timers = new ProcessingTimeQueue(new ManualClock(0));
      const subtask = new InputSubtask(info, [channel], [{ name: 'consumer', operator }], [], timers);
      return { channel, subtask, seen };
    };
    wireBuffers.clear();
    const share = allocateNumericColumnar(schema, rows, wireBuffers);
    ok(share.buffer.byteLength % CLASS_BYTES === 0);
    const keeps = subtaskWith(undefined);
    keeps.channel.pushEncodedColumnar(share.buffer);
    keeps.subtask.step(4096);
    deepEqual(keeps.seen, [rows]);
    equal(wireBuffers.pooled, 0, 'an operator that says nothing may keep the batch');
    const refuses = subtaskWith(false);
    refuses.channel.pushEncodedColumnar(allocateNumericColumnar(schema, rows, wireBuffers).buffer);
    refuses.subtask.step(4096);
    equal(wireBuffers.pooled, 0);
    const releases = subtaskWith(true);
    releases.channel.pushEncodedColumnar(share.buffer);
    releases.channel.push({ kind: 'data', batch: RecordBatch.fromColumnar(decodeColumnar(share.buffer)) });
    releases.subtask.step(4096);
    releases.subtask.step(4096);
    deepEqual(releases.seen, [rows, rows]);
    equal(wireBuffers.pooled, share.buffer.byteLength, 'only the batch the channel decoded from its buffer');
    equal(allocateNumericColumnar(schema, rows, wireBuffers).buffer, share.buffer, 'the next share reuses it');
    wireBuffers.clear();
  });
});
