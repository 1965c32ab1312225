import {
  DataStream,
  StreamEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type ColumnarBatch,
} from '../../src/index.ts';
import { referenceKeyGroup } from '../../src/wasm/key-hash-reference.ts';
import { keyGroupRange } from '../../src/state/key-groups.ts';
import { deepEqual, equal, ok, rejects, sameMultiset, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

const columnar = (count: number, batchSize?: number) => ({
  count,
  batchSize,
  schema: [
    { name: 'k', type: 'i32' as const },
    { name: 'v', type: 'f64' as const },
  ],
  fill(columns: Record<string, Float64Array | Int32Array>, timestamps: Float64Array, first: number, rows: number) {
    const k = columns.k as Int32Array;
    const v = columns.v as Float64Array;
    for (let i = 0; i < rows; i++) {
      k[i] = (first + i) % 7;
      v[i] = first + i;
      timestamps[i] = (first + i) * 10;
    }
  },
});

export default defineSuite('generator sources and the columnar path', (it) => {
  it('fromGenerator yields exactly indices 0..count-1 at any parallelism', async () => {
    for (const parallelism of [1, 3]) {
      const env = StreamEnvironment.create({ parallelism });
      const out = await env.fromGenerator(1000, (i) => i * 2).executeAndCollect();
      sameMultiset(
        out,
        Array.from({ length: 1000 }, (_, i) => i * 2),
        `parallelism ${parallelism}`,
      );
    }
  });

  it('fromColumnarGenerator rows carry their columns and timestamps', async () => {
    const env = StreamEnvironment.create();
    const out = await env
      .fromColumnarGenerator(columnar(5, 2))
      .process<string>((row, ctx, o) => o.collect(`${row.k}:${row.v}@${ctx.timestamp()}`))
      .executeAndCollect();
    deepEqual(out, ['0:0@0', '1:1@10', '2:2@20', '3:3@30', '4:4@40']);
  });

  it('keyBy on a column splits columnar batches by key group, keeping per-key order', async () => {
    const seen: { subtask: number; k: number; v: number }[] = [];
    const env = StreamEnvironment.create({ parallelism: 3 });
    env
      .fromColumnarGenerator(columnar(3000, 256))
      .setParallelism(1)
      .keyBy('k')
      .sinkTo({
        createWriter: ({ subtaskIndex }) => ({
          write: (row: Record<string, number>) => seen.push({ subtask: subtaskIndex, k: row.k!, v: row.v! }),
        }),
      });
    await env.execute();
    equal(seen.length, 3000);
    for (const { subtask, k } of seen) {
      const range = keyGroupRange(128, 3, subtask);
      const group = referenceKeyGroup(k, 128);
      ok(group >= range.start && group <= range.end, `key ${k} on subtask ${subtask}`);
    }
    for (let k = 0; k < 7; k++) {
      const vs = seen.filter((e) => e.k === k).map((e) => e.v);
      deepEqual(
        vs,
        [...vs].sort((a, b) => a - b),
        `order of key ${k}`,
      );
    }
  });

  it('columnar rows through watermarks and windows give the same results as the same rows as objects', async () => {
    const run = async (fromColumns: boolean) => {
      const env = StreamEnvironment.create({ parallelism: 2 });
      const spec = columnar(20_000, 1000);
      const rows = fromColumns
        ? env.fromColumnarGenerator(spec)
        : env
            .fromGenerator(20_000, (i) => ({ k: i % 7, v: i, ts: i * 10 }))
            .assignTimestampsAndWatermarks(
              WatermarkStrategy.forMonotonousTimestamps<{ k: number; v: number; ts: number }>().withTimestampAssigner(
                (e) => e.ts,
              ),
            )
            .map(({ k, v }) => ({ k, v }));
      const stamped = fromColumns
        ? rows.assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
        : rows;
      return stamped.keyBy('k').window(TumblingEventTimeWindows.of(5000)).sum('v').executeAndCollect();
    };
    const [fromColumns, fromObjects] = await Promise.all([run(true), run(false)]);
    equal(fromColumns.length, 7 * 40);
    sameMultiset(fromColumns, fromObjects);
  });

  it('a sink writer with writeBatch takes columnar batches whole and object batches row by row', async () => {
    type Row = Record<string, number>;
    const run = async (job: (env: StreamEnvironment) => DataStream<Row>) => {
      const env = StreamEnvironment.create({ parallelism: 2 });
      const fromBatches: Row[] = [];
      const fromWrite: Row[] = [];
      const timestamps: number[] = [];
      job(env).sinkTo({
        createWriter: () => ({
          write: (row: Row) => void fromWrite.push(row),
          writeBatch(batch: ColumnarBatch) {
            for (let i = 0; i < batch.rowCount; i++) {
              const row: Row = {};
              for (const column of batch.columns) if (column.type !== 'string') row[column.name] = column.values[i]!;
              fromBatches.push(row);
              timestamps.push(batch.timestamps[i]!);
            }
          },
        }),
      });
      await env.execute();
      return { fromBatches, fromWrite, timestamps };
    };
    const windowed = (env: StreamEnvironment) =>
      env
        .fromColumnarGenerator(columnar(20_000, 1000))
        .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
        .keyBy('k')
        .window(TumblingEventTimeWindows.of(5000))
        .sum('v');
    const columns = await run(windowed);
    equal(columns.fromWrite.length, 0, 'no row of a columnar batch goes to write');
    equal(columns.fromBatches.length, 7 * 40);
    ok(
      columns.timestamps.every((ts) => (ts + 1) % 5000 === 0),
      'each result carries its window end - 1 as timestamp',
    );
    const rows = await windowed(StreamEnvironment.create({ parallelism: 2 })).executeAndCollect();
    sameMultiset(columns.fromBatches, rows as Row[]);

    const objects = await run((env) => env.fromElements<Row>({ k: 1, v: 2 }, { k: 3, v: 4 }));
    deepEqual(objects.fromBatches, []);
    sameMultiset(objects.fromWrite, [
      { k: 1, v: 2 },
      { k: 3, v: 4 },
    ]);
  });

  it('a writeBatch that returns a Promise fails the job', async () => {
    const env = StreamEnvironment.create();
    env.fromColumnarGenerator(columnar(10)).sinkTo({
      createWriter: () => ({ write() {}, writeBatch: async () => {} }),
    });
    await rejects(env.execute(), /SinkWriter.writeBatch returned a Promise/);
  });

  it('bad generator arguments are refused at build time', () => {
    const env = StreamEnvironment.create();
    throws(() => env.fromGenerator(-1, (i) => i), /count must be a non-negative integer/);
    throws(() => env.fromGenerator(1, 5 as never), /function of the record index/);
    throws(
      () => env.fromColumnarGenerator({ ...columnar(1), schema: [{ name: 's', type: 'string' }] }),
      /must be f64 or i32/,
    );
    throws(() => env.fromColumnarGenerator({ ...columnar(1), fill: 1 as never }), /fill\(columns/);
    throws(() => env.fromColumnarGenerator({ ...columnar(1), schema: [{ name: '', type: 'f64' }] }), /name/);
  });
});
