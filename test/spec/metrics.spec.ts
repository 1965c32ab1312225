/**
 * Job metrics (SEMANTICS.md §8): exact record counts per subtask and vertex, the input watermark and its lag, and
 * the three times adding up to 1000 ms/s. Timing is asserted only as structure (time-meter.ts partitions a
 * subtask's life, so the sum is exact whenever the window is measurable); backpressure.spec.ts covers the ratios.
 */
import { StreamEnvironment, WatermarkStrategy, type JobMetrics, type SubtaskMetrics } from '../../src/index.ts';
import { deepEqual, equal, ok } from './assert.ts';
import metricsJob from './fixtures/metrics.job.ts';
import { defineSuite } from './harness.ts';
import { tick } from './support.ts';

type Counts = [vertex: number, subtask: number, recordsIn: number, recordsOut: number];

const counts = (m: JobMetrics): Counts[] =>
  m.subtasks.map((s) => [s.vertexId, s.subtaskIndex, s.recordsIn, s.recordsOut]);

function timesAddUp(s: SubtaskMetrics): void {
  const sum = s.busyTimeMsPerSecond + s.idleTimeMsPerSecond + s.backPressuredTimeMsPerSecond;
  // Zero only when the subtask lived shorter than the platform clock's resolution.
  ok(sum === 0 || Math.abs(sum - 1000) < 50, `${s.vertexName} #${s.subtaskIndex}: times add up to ${sum} ms/s`);
}

export default defineSuite('job metrics', (it) => {
  it('counts records in and out exactly, per subtask and per vertex, and reports the end of event time', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    env
      .fromElements(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
      .map((x) => x * 10)
      .rebalance()
      .filter((x) => x % 20 === 0)
      .keyBy((x) => x % 3)
      .map((x) => x)
      .sinkTo(() => {});
    const job = await env.executeAsync('counts');
    await job.result;
    const m = await job.metrics();
    // fromElements is not parallel, so the first map starts a vertex of its own.
    deepEqual(
      m.vertices.map((v) => [v.vertexName, v.parallelism, v.recordsIn, v.recordsOut]),
      [
        ['Source: Collection Source', 1, 10, 10],
        ['Map', 2, 10, 10],
        ['Filter', 2, 10, 5],
        ['Map -> Sink: Unnamed', 2, 5, 0],
      ],
    );
    deepEqual(m.totals, { recordsIn: 35, recordsOut: 25, queuedRecords: 0, queuedBatches: 0 });
    equal(m.subtasks.length, 7);
    for (const s of m.subtasks) {
      ok(s.finished, 'finished');
      equal(s.currentInputWatermark, Infinity, 'a finished bounded job ends event time');
      equal(s.watermarkLagMs, null);
      ok(['OK', 'LOW', 'HIGH'].includes(s.backPressureStatus));
      timesAddUp(s);
    }
  });

  it('reports the input watermark and its lag behind processing time while the job runs', async () => {
    const env = StreamEnvironment.create({ autoWatermarkInterval: 5 });
    const base = Date.now() - 60_000;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* events(): AsyncGenerator<number> {
      yield base + 1;
      yield base + 10;
      await gate;
    }
    env
      .fromCollection(events())
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((t) => t),
      )
      .rebalance()
      .sinkTo(() => {});
    const job = await env.executeAsync('watermarks');
    let sink: SubtaskMetrics | undefined;
    for (let attempt = 0; attempt < 200; attempt++) {
      sink = (await job.metrics()).subtasks[1];
      if (sink && Number.isFinite(sink.currentInputWatermark)) break;
      await tick(10);
    }
    release();
    await job.result;
    ok(sink, 'the sink subtask is reported');
    equal(sink.currentInputWatermark, base + 9, 'monotonous timestamps: max timestamp − 1');
    ok(sink.watermarkLagMs !== null && sink.watermarkLagMs >= 60_000 - 9, `lag ${sink.watermarkLagMs}`);
    equal(sink.recordsIn, 2);
    timesAddUp(sink);
  });

  it('workers mode: every subtask of every worker, with exact counts, after the end', async () => {
    const job = await metricsJob.executeAsync({ parallelism: 2, runtime: 'workers', workers: 2 });
    await job.result;
    const m = await job.metrics();
    // Rebalance starts at a random channel and keying splits unevenly: those subtasks are checked by their sums.
    const unknown = -1;
    const exact = counts(m).map(([v, i, rIn, rOut]): Counts => (v === 0 ? [v, i, rIn, rOut] : [v, i, rIn, unknown]));
    deepEqual(exact, [
      [0, 0, 500, 500],
      [0, 1, 500, 500],
      [1, 0, 500, unknown],
      [1, 1, 500, unknown],
      [2, 0, m.subtasks[4]?.recordsIn ?? unknown, unknown],
      [2, 1, m.subtasks[5]?.recordsIn ?? unknown, unknown],
    ]);
    deepEqual(
      m.vertices.map((v) => [v.vertexName, v.recordsIn, v.recordsOut]),
      [
        ['Source: Generator', 1000, 1000],
        ['Filter', 1000, 500],
        ['Map -> Sink: Unnamed', 500, 0],
      ],
    );
    for (const s of m.subtasks) timesAddUp(s);
  });
});
