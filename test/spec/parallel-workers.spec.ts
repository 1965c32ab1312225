/**
 * Workers mode (DESIGN.md §2): golden jobs give the same multiset of results inline and in workers at parallelism 2
 * and 4; failures in a worker reject naming the operator; a graph that differs in a worker is refused; cancel and
 * crashes end the job. Every case terminates its workers, so the Node test process can exit.
 */
import {
  defineJob,
  JobCancelledError,
  OperatorError,
  StreamEnvironment,
  TestStream,
  WorkerPool,
  type JobDefinition,
} from '../../src/index.ts';
import { currentPlatform } from '../../src/platform/index.ts';
import { WorkerCrashError } from '../../src/platform/worker-handle.ts';
import { remoteChannels } from '../../src/runtime/worker/placement.ts';
import { deepEqual, equal, ok, rejects, sameMultiset } from './assert.ts';
import columnarWindow from './fixtures/columnar-window.job.ts';
import crashing from './fixtures/crashing.job.ts';
import endless from './fixtures/endless.job.ts';
import failing from './fixtures/failing.job.ts';
import hostDependent, { HOST_MARKER } from './fixtures/host-dependent.job.ts';
import keyedProcess from './fixtures/keyed-process.job.ts';
import unionBroadcast from './fixtures/union-broadcast.job.ts';
import windowedSum from './fixtures/windowed-sum.job.ts';
import { defineSuite } from './harness.ts';
import { until } from './support.ts';

interface Golden {
  readonly name: string;
  readonly job: JobDefinition;
  /** Number of results at parallelism p (a guard against two equally empty multisets). */
  readonly count: (p: number) => number;
}

const GOLDEN: readonly Golden[] = [
  { name: 'keyed windowed sum', job: windowedSum, count: () => 13 * 36 },
  { name: 'columnar keyed window sum (kernel)', job: columnarWindow, count: () => 101 * 10 },
  { name: 'keyed process function with state and timers', job: keyedProcess, count: () => 9 * 12 },
  { name: 'union and broadcast', job: unionBroadcast, count: (p) => 700 + 500 + 3 * p },
];

export default defineSuite('parallel workers', (it) => {
  it('placement: subtask i runs on worker i % workers; only channels between workers are remote', () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    env
      .fromGenerator(10, (i) => i)
      .keyBy((i) => i % 3)
      .reduce((a, b) => a + b)
      .rescale()
      .map((i) => i)
      .setParallelism(4);
    const { plan } = env.sealJob();
    const keys = (workers: number) =>
      remoteChannels(plan, workers).map((c) => `${c.key} ${c.fromWorker}→${c.toWorker}`);
    // edge 0, keyBy 2 → 2 (all-to-all); edge 1, rescale 2 → 4 (pointwise: 0 → {0, 1}, 1 → {2, 3})
    deepEqual(keys(2), ['0:0:1 0→1', '0:1:0 1→0', '1:0:1 0→1', '1:1:2 1→0']);
    deepEqual(keys(1), [], 'one worker: every channel in-process');
    deepEqual(keys(3), ['0:0:1 0→1', '0:1:0 1→0', '1:0:1 0→1', '1:1:2 1→2', '1:1:3 1→0']);
  });

  for (const { name, job, count } of GOLDEN) {
    it(`${name}: inline and in workers at parallelism 2 and 4 give the same multiset`, async () => {
      for (const parallelism of [2, 4]) {
        const inline = await job.executeAndCollect({ parallelism });
        equal(inline.length, count(parallelism), `inline results at parallelism ${parallelism}`);
        const workers = await job.executeAndCollect({ parallelism, runtime: 'workers' });
        sameMultiset(workers, inline, `workers vs inline at parallelism ${parallelism}`);
      }
    });
  }

  it('job timestamps: created <= running <= tasksRunning <= ended, inline and in workers', async () => {
    for (const runtime of ['inline', 'workers'] as const) {
      const before = performance.timeOrigin + performance.now();
      const { handle, finished } = await windowedSum.executeAndCollectAsync({ parallelism: 2, runtime });
      const { created, ended } = handle.timestamps;
      ok(created >= before, `${runtime}: created (${created}) is an epoch time after the call (${before})`);
      equal(ended, undefined, `${runtime}: no end before the job ended`);
      await finished;
      const after = performance.timeOrigin + performance.now();
      const final = handle.timestamps;
      deepEqual(
        [created, final.running, final.tasksRunning, final.ended].map((t) => typeof t),
        ['number', 'number', 'number', 'number'],
        `${runtime}: every stage has a timestamp (${JSON.stringify(final)})`,
      );
      const order = [before, final.created, final.running, final.tasksRunning, final.ended, after] as number[];
      ok(
        order.every((t, i) => i === 0 || t >= (order[i - 1] as number)),
        `${runtime}: ordered ${JSON.stringify(order)}`,
      );
    }
  });

  it('the same job with fewer workers than subtasks: several subtasks share a worker', async () => {
    const inline = await windowedSum.executeAndCollect({ parallelism: 4 });
    sameMultiset(await windowedSum.executeAndCollect({ parallelism: 4, runtime: 'workers', workers: 3 }), inline);
  });

  it('one credit per channel and tiny batches: the sender waits for credit, results stay the same', async () => {
    const inline = await keyedProcess.executeAndCollect({ parallelism: 3 });
    const tight = { parallelism: 3, runtime: 'workers', channelCapacity: 1, batchSize: 4 } as const;
    sameMultiset(await keyedProcess.executeAndCollect(tight), inline);
  });

  it('a WorkerPool hands the workers of a finished job to the next jobs, other job modules included', async () => {
    const pool = WorkerPool.create();
    try {
      await pool.prestart(2);
      deepEqual([pool.spawned, pool.idle], [2, 2], 'prestarted');
      const inline = await windowedSum.executeAndCollect({ parallelism: 2 });
      for (let run = 0; run < 2; run++) {
        sameMultiset(await windowedSum.executeAndCollect({ parallelism: 2, runtime: 'workers', pool }), inline);
        deepEqual([pool.spawned, pool.idle], [2, 2], `after run ${run}: the same two workers, idle again`);
      }
      const processInline = await keyedProcess.executeAndCollect({ parallelism: 3 });
      const processed = await keyedProcess.executeAndCollect({ parallelism: 3, runtime: 'workers', pool });
      sameMultiset(processed, processInline, 'another job module on reused workers');
      deepEqual([pool.spawned, pool.idle], [3, 3], 'a third worker spawned for parallelism 3, then kept');
    } finally {
      await pool.close();
    }
    equal(pool.idle, 0, 'close terminates the idle workers');
    await rejects(windowedSum.execute({ parallelism: 2, runtime: 'workers', pool }), /this WorkerPool is closed/);
  });

  it('a WorkerPool never reuses the workers of a failed or cancelled job', async () => {
    const pool = WorkerPool.create();
    try {
      await rejects(failing.execute({ parallelism: 2, runtime: 'workers', pool }), /failed: no 777/);
      deepEqual([pool.spawned, pool.idle], [2, 0], 'the failed job terminated its workers');
      const { handle } = await endless.executeAndCollectAsync({ parallelism: 2, runtime: 'workers', pool });
      await until(() => handle.status === 'RUNNING', 'the endless job running');
      await handle.cancel();
      deepEqual([pool.spawned, pool.idle], [4, 0], 'the cancelled job terminated its workers');
      const inline = await windowedSum.executeAndCollect({ parallelism: 2 });
      sameMultiset(await windowedSum.executeAndCollect({ parallelism: 2, runtime: 'workers', pool }), inline);
      deepEqual([pool.spawned, pool.idle], [6, 2], 'fresh workers, kept after the job finished');
    } finally {
      await pool.close();
    }
  });

  it('a WorkerPool drops an idle worker that dies, and a worker that cannot forget its job', async () => {
    const pool = WorkerPool.create();
    const platform = await currentPlatform();
    try {
      const [idle] = pool.acquire(platform, 1);
      await pool.release([idle!], true);
      deepEqual([pool.spawned, pool.idle], [1, 1]);
      await idle!.control.crash();
      await until(() => pool.idle === 0, 'the dead worker to leave the pool');
      const [busy] = pool.acquire(platform, 1);
      equal(pool.spawned, 2, 'a fresh worker in place of the dead one');
      const died = new Promise((resolve) => busy!.handle.onError(resolve));
      await busy!.control.crash();
      await died;
      await pool.release([busy!], true); // its reset fails: terminated, not kept
      deepEqual([pool.spawned, pool.idle], [2, 0]);
    } finally {
      await pool.close();
    }
  });

  it('a TestStream advancing processing time is refused on several workers, naming the rule', async () => {
    const scripted = defineJob(import.meta.url, (env) =>
      env.fromTestStream(TestStream.create<number>().addElement(1, 5).advanceProcessingTime(10)).map((n) => n * 2),
    );
    await rejects(
      scripted.execute({ parallelism: 2, runtime: 'workers' }),
      /a TestStream that advances processing time runs inline or on one worker \(workers: 1\), not on 2/,
    );
    deepEqual(await scripted.executeAndCollect({ parallelism: 2 }), [2], 'inline, the same job runs');
  });

  it('a user function failing in a worker rejects with an OperatorError naming operator and subtask', async () => {
    const err = await rejects(
      failing.execute({ parallelism: 2, runtime: 'workers' }),
      /^Operator 'explode' \(subtask \d\/2\) failed: no 777/,
    );
    ok(err instanceof OperatorError, `rebuilt as an OperatorError, got ${err.name}`);
    equal(err.operatorName, 'explode');
    ok(err.cause instanceof RangeError, 'the original error is the cause');
  });

  it('a worker that rebuilds a different graph is refused with a fingerprint mismatch', async () => {
    const host = globalThis as Record<string, unknown>;
    host[HOST_MARKER] = true;
    try {
      await rejects(
        hostDependent.execute({ parallelism: 2, runtime: 'workers' }),
        /built a different graph in worker \d \(fingerprint [0-9a-f]{8}\) than on the host/,
      );
    } finally {
      delete host[HOST_MARKER];
    }
  });

  it('a worker that crashes rejects the job with a WorkerCrashError', async () => {
    const err = await rejects(
      crashing.execute({ runtime: 'workers' }),
      /worker 1\/1 running 'Source: Collection Source -> crasher' \(1\/1\): .*uncaught in a worker after 'crash'/,
    );
    ok(err instanceof WorkerCrashError, `got ${err.name}: ${err.message}`);
    ok(err.cause instanceof WorkerCrashError, 'the crash as the worker handle reported it is the cause');
  });

  it('collected records reach the host while a job without checkpointing runs, not only at its end', async () => {
    const { handle, collected, finished } = await endless.executeAndCollectAsync({
      parallelism: 2,
      runtime: 'workers',
    });
    await until(() => collected.length === 2, 'the first records of an endless job');
    deepEqual(collected, [5, 5]);
    equal(handle.status, 'RUNNING');
    await handle.cancel();
    await rejects(finished, /was cancelled/);
  });

  it('cancel terminates the workers and rejects the result with JobCancelledError', async () => {
    const handle = await endless.executeAsync({ parallelism: 2, runtime: 'workers' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await handle.cancel();
    equal(handle.status, 'CANCELED');
    await rejects(handle.result, /was cancelled/).then((err) => ok(err instanceof JobCancelledError));
  });
});
