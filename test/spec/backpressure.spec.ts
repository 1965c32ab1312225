/**
 * Backpressure (SEMANTICS.md §8): a fast source into a sink that takes ~1 ms per record. Credits bound what is
 * buffered between them, and the source is reported back-pressured while the sink is busy.
 *
 * The bound, per channel, for one-to-one operators on object records (SourceSubtask polls at most batchSize records
 * per credit check; every queued batch then holds at most batchSize records):
 *   a writer is stepped on while every channel holds < capacity batches; one poll adds at most one batch per channel
 *   (a full buffer, or the polled batch itself), so at most `capacity` batches once credit runs out; the end-of-step
 *   flush adds one partial batch (< batchSize records) without a credit check. Hence
 *   queuedRecords ≤ capacity·batchSize + (batchSize − 1) per channel, summed over the job's channels.
 * Queues only grow during the producer's step, so sampling after every step sees the peak. Columnar batches are not
 * split to batchSize (generator-source.ts), so for them the bound holds in batches, not records.
 */
import { RecordBatch } from '../../src/batch/record-batch.ts';
import { StreamEnvironment } from '../../src/index.ts';
import { Channel } from '../../src/runtime/channel.ts';
import { deploy } from '../../src/runtime/deploy.ts';
import { BaseOperator } from '../../src/runtime/operator.ts';
import { ProcessingTimeQueue } from '../../src/runtime/processing-time.ts';
import { Scheduler } from '../../src/runtime/scheduler.ts';
import { InputSubtask } from '../../src/runtime/subtask.ts';
import { ManualClock, NO_TIMESTAMP } from '../../src/runtime/time.ts';
import { deepEqual, equal, ok } from './assert.ts';
import { defineSuite } from './harness.ts';
import { tick } from './support.ts';

const CAPACITY = 2;
const BATCH_SIZE = 8;

/** About 1 ms of work without timers, so it behaves the same in every runtime. */
function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

export default defineSuite('backpressure', (it) => {
  it('a step takes a batch from every input channel, however far batches exceed the budget', () => {
    const seen: number[] = [];
    const operator = new (class extends BaseOperator {
      processBatch(batch: RecordBatch): void {
        seen.push(batch.values[0] as number);
      }
    })();
    const channels = [new Channel(8), new Channel(8)];
    const batch = (first: number) =>
      new RecordBatch(
        Array.from({ length: 5000 }, (_, i) => first + i),
        new Array<number>(5000).fill(NO_TIMESTAMP),
      );
    channels[0]!.push({ kind: 'data', batch: batch(0) });
    channels[0]!.push({ kind: 'data', batch: batch(10_000) });
    channels[1]!.push({ kind: 'data', batch: batch(20_000) });
    channels[1]!.push({ kind: 'data', batch: batch(30_000) });
    const info = { id: 0, index: 0, parallelism: 1, vertexId: 0, vertexName: 'consumer' };
    const timers = new ProcessingTimeQueue(new ManualClock(0));
    const subtask = new InputSubtask(info, channels, [{ name: 'consumer', operator }], [], timers);
    // Two producers each put one 5000-record batch per step: taking one batch per step would fall behind them.
    equal(subtask.step(4096), 'worked');
    deepEqual(seen, [0, 20_000], 'one batch of each channel in the first step');
    equal(subtask.step(4096), 'worked');
    deepEqual(seen, [0, 20_000, 10_000, 30_000]);
  });

  it('buffered records never exceed capacity·batchSize + (batchSize − 1) per channel', async () => {
    const env = StreamEnvironment.create({ channelCapacity: CAPACITY, batchSize: BATCH_SIZE });
    let written = 0;
    env
      .fromGenerator(150, (i) => i)
      .rebalance()
      .sinkTo(() => {
        written++;
        busyWait(1);
      })
      .setParallelism(2);
    const sealed = env.sealJob();
    const services = await env.runtimeServices(sealed);
    const timers = new ProcessingTimeQueue(services.clock);
    const subtasks = deploy(sealed.plan, { ...services, timers, batchSize: BATCH_SIZE, channelCapacity: CAPACITY });
    // The hook: after every step, the records queued on all channels (every channel is some subtask's input).
    let peak = 0;
    for (const subtask of subtasks) {
      const step = subtask.step.bind(subtask);
      subtask.step = (budget) => {
        const outcome = step(budget);
        let queued = 0;
        for (const s of subtasks) queued += s.queuedRecords;
        peak = Math.max(peak, queued);
        return outcome;
      };
    }
    await new Scheduler(subtasks, timers, services.clock, { budget: 4096, sliceMs: 8 }).run();
    const channels = 1 * 2; // source parallelism 1 → sink parallelism 2, all-to-all
    const bound = channels * (CAPACITY * BATCH_SIZE + BATCH_SIZE - 1);
    equal(written, 150);
    ok(peak <= bound, `peak of ${peak} buffered records exceeds the bound ${bound}`);
    // The source blocks only once some channel holds `capacity` full batches: backpressure did engage.
    ok(peak >= CAPACITY * BATCH_SIZE, `peak ${peak} < ${CAPACITY * BATCH_SIZE}: the queues never filled`);
  });

  it('the source of a slow sink is back-pressured (HIGH), the sink busy', async () => {
    const env = StreamEnvironment.create({ channelCapacity: CAPACITY, batchSize: BATCH_SIZE });
    env
      .fromGenerator(1_000_000, (i) => i)
      .rebalance()
      .sinkTo(() => busyWait(1));
    const job = await env.executeAsync('slow sink');
    await tick(300);
    const metrics = await job.metrics();
    await job.cancel();
    const [source, sink] = metrics.vertices;
    ok(source && sink, 'two vertices');
    ok(source.recordsOut > 0 && sink.recordsIn > 0, 'records flowed');
    // Ratios of time, not absolute timings: while the sink works, the source waits for credit.
    ok(
      source.backPressuredTimeMsPerSecond > 500,
      `source back-pressured ${source.backPressuredTimeMsPerSecond} ms/s, expected > 500`,
    );
    ok(source.backPressuredTimeMsPerSecond > source.busyTimeMsPerSecond, 'source: back-pressured > busy');
    equal(source.backPressureStatus, 'HIGH');
    ok(sink.busyTimeMsPerSecond > sink.backPressuredTimeMsPerSecond, 'sink: busy > back-pressured');
    equal(sink.backPressureStatus, 'OK');
  });
});
