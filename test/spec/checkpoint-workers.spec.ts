/**
 * Checkpoints, recovery and savepoints in workers mode (SEMANTICS.md §6): golden jobs give the same multiset run
 * straight (inline, no checkpointing), checkpointed in workers at parallelism 2, and crashed mid-stream at
 * parallelism 2 then restored from the latest checkpoint at parallelism 3 (Arroyo's three ways); under repeated
 * worker crashes the collect sink stays exactly-once and a plain sink only ever duplicates.
 */
import { memoryStateBackend, StreamEnvironment, type JobDefinition } from '../../src/index.ts';
import type { JobHandle } from '../../src/api/define-job.ts';
import { equal, ok, rejects, sameMultiset } from './assert.ts';
import { columnarWindow, keyedProcess, windowSum } from './fixtures/checkpoint-goldens.ts';
import checkpointedColumnarWindow from './fixtures/checkpointed-columnar-window.job.ts';
import checkpointedKeyedProcess from './fixtures/checkpointed-keyed-process.job.ts';
import checkpointedWindowSum from './fixtures/checkpointed-window-sum.job.ts';
import faultInjection, {
  AT_LEAST_ONCE_CHANNEL,
  FAULT_RECORDS,
  FAULT_SAMPLE,
  faultFreeOutput,
} from './fixtures/fault-injection.job.ts';
import { defineSuite } from './harness.ts';
import { tick, until } from './support.ts';

interface Golden {
  readonly name: string;
  /** The pipeline, built on an environment that runs it straight. */
  readonly build: (env: StreamEnvironment) => { executeAndCollect(): Promise<unknown[]> };
  readonly job: JobDefinition;
  readonly count: number;
}

const GOLDEN: readonly Golden[] = [
  { name: 'keyed event-time window sum', build: windowSum, job: checkpointedWindowSum, count: 13 * 40 },
  {
    name: 'keyed process function with state and timers',
    build: keyedProcess,
    job: checkpointedKeyedProcess,
    count: 9 * 400,
  },
  { name: 'columnar kernel window sum', build: columnarWindow, job: checkpointedColumnarWindow, count: 101 * 80 },
];

/**
 * Worker kills in the fault-injection case: 20 in Node and Deno; 10 in a browser, where the whole suite shares one
 * page and its time limit (test/browser/browser-harness.ts), and each restart (two fresh workers) costs ~1.5 s.
 */
const KILLS = 'document' in globalThis ? 10 : 20;

export default defineSuite('checkpoint workers', (it) => {
  for (const { name, build, job, count } of GOLDEN) {
    it(`${name}: straight, checkpointed in workers at p2, crashed at p2 and restored at p3 give the same multiset`, async () => {
      const straight = await build(StreamEnvironment.create({ parallelism: 2 })).executeAndCollect();
      equal(straight.length, count, 'straight results');

      const checkpointed = await job.executeAndCollectAsync({ parallelism: 2, runtime: 'workers' });
      sameMultiset(await checkpointed.finished, straight, 'checkpointed in workers at parallelism 2');
      ok(checkpointed.handle.completedCheckpoints.length > 0, 'a checkpoint completed');

      const storage = memoryStateBackend();
      const crashed = await job.executeAndCollectAsync({
        parallelism: 2,
        runtime: 'workers',
        checkpointStorage: storage,
      });
      await until(() => crashed.collected.length > 0 || crashed.handle.status !== 'RUNNING', 'a committed record');
      equal(crashed.handle.status, 'RUNNING', 'the job is still running once a checkpoint committed records');
      crashed.handle.injectWorkerCrash?.(1);
      await rejects(crashed.finished, /injected worker crash/);
      const before = crashed.collected.length;
      ok(before > 0 && before < count, `committed ${before} of ${count} results before the crash`);

      const restored = await job.executeAndCollectAsync({
        parallelism: 3,
        runtime: 'workers',
        checkpointStorage: storage,
        savepointPath: 'latest',
      });
      const after = await restored.finished;
      ok(restored.handle.restoreReport?.restoredFrom?.startsWith('chk-'), 'restored from a checkpoint');
      sameMultiset([...crashed.collected, ...after], straight, 'committed before the crash plus after the restore');
    });
  }

  it('stop-with-savepoint in workers at p2, then a restore from that savepoint at p3, completes the output', async () => {
    const straight = await windowSum(StreamEnvironment.create({ parallelism: 2 })).executeAndCollect();
    const storage = memoryStateBackend();
    const stopped = await checkpointedWindowSum.executeAndCollectAsync({
      parallelism: 2,
      runtime: 'workers',
      checkpointStorage: storage,
    });
    await until(() => stopped.collected.length > 0 || stopped.handle.status !== 'RUNNING', 'a committed record');
    const intermediate = await stopped.handle.triggerSavepoint();
    equal(intermediate.kind, 'savepoint', 'triggerSavepoint takes a savepoint');
    const savepoint = await stopped.handle.stopWithSavepoint();
    const before = await stopped.finished;
    equal(stopped.handle.status, 'FINISHED', 'a job stopped with a savepoint');
    ok(before.length < straight.length, `stopped mid-stream (${before.length} of ${straight.length} results)`);

    const restored = await checkpointedWindowSum.executeAndCollectAsync({
      parallelism: 3,
      runtime: 'workers',
      checkpointStorage: storage,
      savepointPath: savepoint.path,
    });
    const after = await restored.finished;
    equal(restored.handle.restoreReport?.restoredFrom, savepoint.path, 'restored from the savepoint');
    sameMultiset([...before, ...after], straight, 'output before the stop plus after the restore');
  });

  it('fault injection: worker kills at random points; the collect sink stays exactly-once, a plain sink only duplicates', async () => {
    const delivered = new Map<number, number>();
    const channel = new BroadcastChannel(AT_LEAST_ONCE_CHANNEL);
    channel.onmessage = (event: MessageEvent<number>) => {
      delivered.set(event.data, (delivered.get(event.data) ?? 0) + 1);
    };
    try {
      const { handle, finished } = await faultInjection.executeAndCollectAsync({ parallelism: 2, runtime: 'workers' });
      let before = 0; // the newest checkpoint before the last restart
      for (let kill = 0; kill < KILLS; kill++) {
        // Progress: the restarted attempt completes a checkpoint of its own before it is killed again.
        await until(() => latestCheckpoint(handle) > before || handle.status !== 'RUNNING', 'a new checkpoint');
        await tick(50 + Math.floor(Math.random() * 250));
        equal(handle.status, 'RUNNING', `the job still runs at kill ${kill + 1} (make it longer)`);
        handle.injectWorkerCrash?.(Math.floor(Math.random() * 2));
        await until(() => (handle.restoreReport?.restarts ?? 0) > kill, `restart ${kill + 1}`);
        before = latestCheckpoint(handle);
      }
      const output = await finished;
      equal(handle.restoreReport?.restarts, KILLS, 'restarts');
      sameMultiset(output, faultFreeOutput(), 'exactly-once collected output vs the failure-free output');

      await tick(100); // the last broadcasts
      let missing = 0;
      let duplicates = 0;
      for (let i = 0; i < FAULT_RECORDS; i += FAULT_SAMPLE) {
        const times = delivered.get(i) ?? 0;
        if (times === 0) missing++;
        duplicates += Math.max(0, times - 1);
      }
      equal(missing, 0, 'records the at-least-once sink lost');
      ok(duplicates > 0, 'replays after restores show up as duplicates in the at-least-once sink');
    } finally {
      channel.close();
    }
  });
});

function latestCheckpoint(handle: JobHandle): number {
  return handle.completedCheckpoints.at(-1)?.id ?? 0;
}
