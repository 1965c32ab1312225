/**
 * FileSink (connectors/file-sink.ts) against the host's durable storage — a temp directory in Node and Deno,
 * IndexedDB in Chromium: output equals input exactly once without checkpoints; with checkpoints, a failure and a
 * restart leave the committed output equal to the failure-free output while a plain sink shows duplicates
 * (SEMANTICS.md §6, end-to-end exactly-once); output becomes visible only when a checkpoint completes, not at a
 * savepoint. Every case works in a fresh scratch location and destroys it.
 */
import { FileSink, readFileSinkOutput, RestartStrategies, StreamEnvironment, type JobClient } from '../../src/index.ts';
import { currentPlatform } from '../../src/platform/index.ts';
import { deepEqual, equal, ok, sameMultiset, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { until } from './support.ts';

async function withLocation(use: (location: string) => Promise<void>): Promise<void> {
  const host = (await currentPlatform()).durableState;
  const location = await host.scratchLocation();
  try {
    await use(location);
  } finally {
    await host.destroy(location);
  }
}

/** Busy-waits `ms` of wall-clock time: makes a job span several scheduler slices and checkpoints. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

export default defineSuite('file sink', (it) => {
  it('without checkpointing commits every record exactly once at the end', () =>
    withLocation(async (location) => {
      const env = StreamEnvironment.create({ parallelism: 3 });
      env.fromGenerator(1000, (i) => ({ i })).sinkTo(FileSink.forRows(location));
      await env.execute();
      const lines = await readFileSinkOutput(location);
      sameMultiset(
        lines,
        Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i })),
      );
    }));

  it('a committable committed twice is written once (idempotent commit)', () =>
    withLocation(async (location) => {
      const sink = FileSink.forRows<string>(location, { encode: (s) => s.toUpperCase() });
      const writer = sink.createWriter({ subtaskIndex: 1, parallelism: 2, checkpointing: true });
      for (const word of ['a', 'b', '']) writer.write(word, { timestamp: null, currentWatermark: 0 });
      const first = writer.prepareCommit();
      writer.write('c', { timestamp: null, currentWatermark: 0 });
      const second = writer.prepareCommit();
      deepEqual(writer.prepareCommit(), [], 'nothing written since the last prepare');
      ok(first[0]!.name !== second[0]!.name, 'part names are unique');
      const committer = sink.createCommitter();
      await committer.commit(first);
      await committer.commit([...first, ...second]);
      deepEqual(await readFileSinkOutput(location), ['A', 'B', '', 'C']);
      throws(() => writer.write('x\ny', { timestamp: null, currentWatermark: 0 }), /line break/);
    }));

  it('after a failure and a restart from a checkpoint the committed output equals the failure-free output', () =>
    withLocation(async (location) => {
      const count = 100_000;
      const keys = 5;
      const job: { client?: JobClient } = {}; // read by the map while the job runs
      let thrown = false;
      let seenCheckpoint: number | undefined;
      let sinceCheckpoint = 0;
      const plain: number[] = [];
      const env = StreamEnvironment.create({ parallelism: 2, batchSize: 64 });
      env.enableCheckpointing(10).setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 0));
      const values = env
        .fromGenerator(count, (i) => i)
        .setParallelism(1)
        .map((i) => {
          if (i % 64 === 0) spin(0.2);
          const latest = job.client?.completedCheckpoints.at(-1)?.id;
          if (latest !== seenCheckpoint) [seenCheckpoint, sinceCheckpoint] = [latest, 0];
          else sinceCheckpoint++;
          // Fail once, well after the latest completed checkpoint: whole batches passed the sinks since its barrier.
          if (!thrown && latest !== undefined && sinceCheckpoint >= 200) {
            thrown = true;
            throw new Error('injected failure');
          }
          return i;
        })
        .setParallelism(1);
      values.sinkTo((i) => void plain.push(i)).setParallelism(1);
      values
        .map((i) => ({ k: i % keys, v: i }))
        .setParallelism(1)
        .keyBy((e) => e.k)
        .reduce((a, b) => ({ k: a.k, v: a.v + b.v }))
        .sinkTo(FileSink.forRows(location, { encode: (e) => `${e.k}:${e.v}` }));
      const client = await env.executeAsync();
      job.client = client;
      await client.result;

      ok(thrown, 'the failure was injected after a completed checkpoint');
      equal(client.restoreReport?.restarts, 1);
      ok(client.restoreReport?.restoredFrom !== undefined, 'the restart restored a checkpoint');
      const sums = new Array<number>(keys).fill(0);
      const expected: string[] = [];
      for (let i = 0; i < count; i++) expected.push(`${i % keys}:${(sums[i % keys]! += i)}`);
      sameMultiset(await readFileSinkOutput(location), expected, 'FileSink output is exactly once');
      ok(plain.length > count, `the plain sink saw duplicates (${plain.length - count} records replayed)`);
      equal(new Set(plain).size, count, 'the plain sink lost nothing');
    }));

  it('output becomes visible when a checkpoint completes, not before and not at a savepoint', () =>
    withLocation(async (location) => {
      let passed = 0;
      const env = StreamEnvironment.create({ parallelism: 1, batchSize: 64 });
      env.enableCheckpointing(1000);
      env
        .fromGenerator(10_000_000, (i) => i)
        .map((i) => {
          if (i % 64 === 0) spin(0.2); // minutes of work: the job is cancelled long before its end
          passed++;
          return i;
        })
        .sinkTo(FileSink.forRows(location));
      const client = await env.executeAsync();
      const checkpoints = () => client.completedCheckpoints.filter((c) => c.kind === 'checkpoint').length;
      try {
        await until(() => passed > 1000, 'records reached the sink');
        deepEqual(await readFileSinkOutput(location), [], 'nothing is visible before a checkpoint');
        const savepoint = await client.triggerSavepoint();
        equal(savepoint.kind, 'savepoint');
        deepEqual(await readFileSinkOutput(location), [], 'a savepoint commits nothing');
        equal(checkpoints(), 0, 'no checkpoint completed yet (else the checks above prove nothing)');
        await until(() => checkpoints() > 0, 'a checkpoint completed');
        const lines = await readFileSinkOutput(location);
        ok(lines.length > 1000, `the checkpoint committed what was written before it (${lines.length} lines)`);
        deepEqual(
          lines,
          Array.from({ length: lines.length }, (_, i) => String(i)),
          'a prefix of the input, in order',
        );
      } finally {
        await client.cancel();
      }
    }));
});
