/**
 * Checkpoints, recovery and savepoints of inline jobs (SEMANTICS.md §6): a failure restarts the job from the latest
 * completed checkpoint and the exactly-once collect sink delivers every result once; savepoints restore at another
 * parallelism; corrupt checkpoints are skipped for the previous good one; bad restores are refused by name.
 */
import {
  CorruptBlobError,
  EventTimeSessionWindows,
  memoryStateBackend,
  RestartStrategies,
  StreamEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type DataStream,
  type EnvironmentOptions,
  type JobClient,
  type StateBackend,
  upsertSink,
} from '../../src/index.ts';
import { CheckpointCoordinator } from '../../src/runtime/checkpoint/checkpoint-coordinator.ts';
import { framedStateBackend } from '../../src/state/backends/framed-state-backend.ts';
import { memoryBlobStore } from '../../src/state/backends/memory-blob-store.ts';
import { deepEqual, equal, ok, rejects, sameMultiset, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { endless, tick } from './support.ts';

interface Event {
  readonly k: number;
  readonly v: number;
  readonly ts: number;
}

const N = 60_000;
const KEYS = 37;

/** Generator → (optional failure) → event time → keyed tumbling window sum: 1 result per key and 1 s window. */
function windowJob(
  env: StreamEnvironment,
  hooks: { onRecord?: (e: Event) => void } = {},
): DataStream<{ k: number; start: number; v: number }> {
  return env
    .fromGenerator<Event>(N, (i) => ({ k: i % KEYS, v: 1 + (i % 3), ts: i }))
    .uid('events')
    .map((e) => {
      hooks.onRecord?.(e);
      return e;
    })
    .uid('fault')
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrderness<Event>(5).withTimestampAssigner((e) => e.ts),
    )
    .uid('timestamps')
    .keyBy((e) => e.k)
    .window(TumblingEventTimeWindows.of(1000))
    .reduce((a, b) => ({ ...a, v: a.v + b.v }))
    .uid('windows')
    .map((e) => ({ k: e.k, start: e.ts - (e.ts % 1000), v: e.v }))
    .uid('results');
}

/** What windowJob must produce, computed in plain JS. */
function expectedWindows(): { k: number; start: number; v: number }[] {
  const sums = new Map<string, { k: number; start: number; v: number }>();
  for (let i = 0; i < N; i++) {
    const k = i % KEYS;
    const start = i - (i % 1000);
    const id = `${k}/${start}`;
    const cell = sums.get(id) ?? { k, start, v: 0 };
    cell.v += 1 + (i % 3);
    sums.set(id, cell);
  }
  return [...sums.values()];
}

/** Starts the job built by `build` and reads its collected records while it runs (they are committed ones). */
async function start<T>(
  options: EnvironmentOptions,
  build: (env: StreamEnvironment) => DataStream<T>,
  configure: (env: StreamEnvironment) => void,
): Promise<{ client: JobClient; records: T[]; done: Promise<Error | undefined> }> {
  const env = StreamEnvironment.create(options);
  configure(env);
  const collected = build(env).collectAsync();
  const client = await env.executeAsync();
  const records: T[] = [];
  const done = (async () => {
    try {
      for await (const r of collected) records.push(r);
      return undefined;
    } catch (err) {
      return err as Error;
    }
  })();
  return { client, records, done };
}

/**
 * A flag a job's function raises once it has seen `n` records (inline: the same thread). The function also slows
 * the job down (1 ms per 500 records), so that what the test does at the flag lands before the input ends.
 */
function after(n: number): { onRecord: () => void; reached: Promise<void> } {
  let seen = 0;
  let reach: () => void = () => {};
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return {
    onRecord: () => {
      if (++seen % 500 === 0) spin(1);
      if (seen === n) reach();
    },
    reached,
  };
}

/** windowJob at parallelism 2, stopped with a savepoint after half its records went through the first map. */
async function windowJobStoppedHalfway(storage: StateBackend) {
  const half = after(N / 2);
  const first = await start(
    { parallelism: 2, checkpointStorage: storage },
    (env) => windowJob(env, half),
    (env) => env.enableCheckpointing(1000),
  );
  await half.reached;
  const savepoint = await first.client.stopWithSavepoint();
  await first.client.result;
  return { first, savepoint };
}

export default defineSuite('checkpointing (SEMANTICS §6)', (it) => {
  it('enableCheckpointing and fixedDelayRestart validate their arguments, naming the rule', () => {
    const env = StreamEnvironment.create();
    throws(() => env.enableCheckpointing(5), /interval must be an integer of at least 10 ms, got 5/);
    throws(() => env.enableCheckpointing(100, { mode: 'twice' as never }), /mode must be 'exactly-once' or/);
    throws(() => env.enableCheckpointing(100, { retained: 0 }), /retained must be a positive integer/);
    throws(() => env.enableCheckpointing(100, { storage: 42 as never }), /storage must be a StateBackend/);
    throws(() => RestartStrategies.fixedDelayRestart(-1, 0), /attempts must be a non-negative integer/);
  });

  for (const parallelism of [1, 2]) {
    it(`a failure at parallelism ${parallelism} restarts from the latest checkpoint; collected results are exact`, async () => {
      let failures = 0;
      let seen = 0; // records through the map, over all attempts
      let failedAfter = 0; // the newest checkpoint when the last failure was injected
      const running: { job?: JobClient } = {};
      const { client, records, done } = await start(
        { parallelism },
        (env) =>
          windowJob(env, {
            onRecord: (e) => {
              if (e.ts % 500 === 0) spin(1); // slow enough for checkpoints to complete between failures
              // Each failure comes after a checkpoint completed since the last one, past the middle of a run.
              const newest = running.job?.completedCheckpoints.at(-1)?.id ?? 0;
              if (failures < 2 && ++seen > 20_000 * (failures + 1) && newest > failedAfter) {
                failures++;
                failedAfter = newest;
                throw new Error(`injected failure ${failures}`);
              }
            },
          }),
        (env) => {
          env.enableCheckpointing(10);
          env.setRestartStrategy(RestartStrategies.fixedDelayRestart(5, 0));
        },
      );
      running.job = client;
      await client.result;
      equal(await done, undefined);
      equal(failures, 2);
      const report = client.restoreReport;
      ok(report && report.restarts === 2, `two restarts, got ${report?.restarts}`);
      ok(report.restoredFrom?.startsWith('chk-'), 'the last attempt restored from a checkpoint');
      sameMultiset(records, expectedWindows());
    });
  }

  it('without restarts left the job fails with the failure, naming the operator', async () => {
    const env = StreamEnvironment.create();
    env.enableCheckpointing(10);
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 0));
    windowJob(env, {
      onRecord: (e) => {
        if (e.ts === 100) throw new Error('always fails');
      },
    }).collectAsync();
    const client = await env.executeAsync();
    await rejects(client.result, /'Map'.*always fails|always fails/);
    equal(client.restoreReport?.restarts, 1);
  });

  it('a source that cannot be replayed is refused when checkpointing is on', async () => {
    const env = StreamEnvironment.create();
    env.enableCheckpointing(50);
    env.fromCollection(endless([1, 2, 3])).collectAsync();
    await rejects(env.execute(), /'Source: Collection Source' cannot be checkpointed: it is not replayable/);
  });

  it('stopWithSavepoint at parallelism 2, restored at parallelism 3: together exactly the full output', async () => {
    const storage = memoryStateBackend();
    const { first, savepoint } = await windowJobStoppedHalfway(storage);
    equal(first.client.status, 'FINISHED');
    equal(await first.done, undefined);
    ok(savepoint.path.startsWith('savepoint-'));
    ok(first.records.length < expectedWindows().length, 'the job stopped before the end');

    const second = await start(
      { parallelism: 3, checkpointStorage: storage, savepointPath: savepoint.path },
      (env) => windowJob(env),
      (env) => env.enableCheckpointing(1000),
    );
    await second.client.result;
    equal(await second.done, undefined);
    equal(second.client.restoreReport?.restoredFrom, savepoint.path);
    sameMultiset([...first.records, ...second.records], expectedWindows());
  });

  it('session windows and keyed state with timers survive a savepoint and a change of parallelism', async () => {
    const storage = memoryStateBackend();
    const count = 20_000;
    const build = (env: StreamEnvironment, onRecord?: () => void): DataStream<string> =>
      env
        .fromGenerator(count, (i) => ({ k: i % 11, ts: i * 10 - (i % 7) * 30 }))
        .uid('src')
        .map((e) => (onRecord?.(), e))
        .uid('tap')
        .assignTimestampsAndWatermarks(
          WatermarkStrategy.forBoundedOutOfOrderness<{ k: number; ts: number }>(200).withTimestampAssigner((e) => e.ts),
        )
        .uid('ts')
        .keyBy((e) => e.k)
        .window(EventTimeSessionWindows.withGap(25))
        .process<string>((key, ctx, elements, out) => {
          out.collect(`${String(key)}@${ctx.window.start}-${ctx.window.end}:${[...elements].length}`);
        })
        .uid('sessions');
    const straight = await build(StreamEnvironment.create({ parallelism: 2 })).executeAndCollect();
    const half = after(count / 2);
    const first = await start(
      { parallelism: 2, checkpointStorage: storage },
      (env) => build(env, half.onRecord),
      (env) => env.enableCheckpointing(1000),
    );
    await half.reached;
    const savepoint = await first.client.stopWithSavepoint();
    await first.client.result;
    equal(await first.done, undefined);
    const second = await start(
      { parallelism: 1, checkpointStorage: storage, savepointPath: savepoint.path },
      (env) => build(env),
      () => {},
    );
    await second.client.result;
    equal(await second.done, undefined);
    sameMultiset([...first.records, ...second.records], straight);
  });

  it('stopWithSavepoint({ drain: true }) ends the input first: every window fires, the job is FINISHED', async () => {
    const half = after(N / 2);
    let readSum = 0;
    const { client, records, done } = await start(
      { parallelism: 2 },
      (env) =>
        windowJob(env, {
          onRecord: (e) => {
            readSum += e.v;
            half.onRecord();
          },
        }),
      (env) => env.enableCheckpointing(1000),
    );
    await half.reached;
    const savepoint = await client.stopWithSavepoint({ drain: true });
    await client.result;
    equal(client.status, 'FINISHED');
    equal(await done, undefined);
    ok(savepoint.path.startsWith('savepoint-'));
    ok(records.length < expectedWindows().length, 'stopped before the end of the input');
    // Every window of what was read fired once (the last ones partly filled): the sums add up to what was read.
    equal(
      records.reduce((sum, r) => sum + r.v, 0),
      readSum,
    );
  });

  it('a corrupt checkpoint is reported by blob name and recovery falls back to the previous one', async () => {
    const store = memoryBlobStore();
    const storage: StateBackend = framedStateBackend(store);
    // Slowed down (~1 ms per 100 records) so that it is still running after two checkpoints.
    const slow = { onRecord: (e: Event) => e.ts % 100 === 0 && spin(1) };
    const first = await start(
      { parallelism: 2, checkpointStorage: storage },
      (env) => windowJob(env, slow),
      (env) => env.enableCheckpointing(10, { retained: 2 }),
    );
    // Until the older of the two retained checkpoints is at least the second one (or the job ended: then the
    // assertions below say what was missing instead of this loop waiting forever).
    while ((first.client.completedCheckpoints[0]?.id ?? 0) < 2 && first.client.status === 'RUNNING') await tick(5);
    await first.client.cancel();
    await first.done;
    const kept = first.client.completedCheckpoints.map((c) => c.path);
    equal(kept.length, 2, `two checkpoints retained, got ${kept.join(', ')}`);
    const [previous, latest] = kept as [string, string];
    // Flip one byte of a key-group blob of the latest checkpoint, below the framing (as a torn disk write would).
    const victim = (await storage.list(`${latest}/windows/kg-`))[0];
    ok(victim, 'the latest checkpoint holds window state');
    const raw = await store.read(victim);
    ok(raw);
    raw[raw.length - 1] = (raw[raw.length - 1] as number) ^ 0xff;
    await store.write([[victim, raw]]);

    const second = await start(
      { parallelism: 2, checkpointStorage: storage, savepointPath: 'latest' },
      (env) => windowJob(env),
      (env) => env.enableCheckpointing(1000),
    );
    await second.client.result;
    equal(await second.done, undefined);
    const report = second.client.restoreReport;
    equal(report?.restoredFrom, previous);
    equal(report?.skipped.length, 1);
    const skipped = report?.skipped[0];
    ok(skipped?.error instanceof CorruptBlobError, `a CorruptBlobError, got ${String(skipped?.error)}`);
    equal(skipped.path, latest);
    equal((skipped.error as CorruptBlobError).path, victim);
    // Nothing is lost: what the first run committed and what the restored run produced cover the output.
    const produced = new Set([...first.records, ...second.records].map((r) => `${r.k}/${r.start}/${r.v}`));
    for (const w of expectedWindows()) ok(produced.has(`${w.k}/${w.start}/${w.v}`), `window ${w.k}/${w.start}`);
  });

  it('a savepoint with another maxParallelism is refused, and so is state of an operator the job lacks', async () => {
    const storage = memoryStateBackend();
    const { savepoint } = await windowJobStoppedHalfway(storage);

    const other = StreamEnvironment.create({
      maxParallelism: 64,
      checkpointStorage: storage,
      savepointPath: savepoint.path,
    });
    windowJob(other).collectAsync();
    await rejects(other.execute(), /taken with maxParallelism 128, the job has 64/);

    const without = StreamEnvironment.create({ checkpointStorage: storage, savepointPath: savepoint.path });
    without
      .fromGenerator(10, (i) => i)
      .uid('events')
      .collectAsync();
    await rejects(without.execute(), /holds state of operator .*'windows'.*allowNonRestoredState/);

    const allowed = StreamEnvironment.create({
      checkpointStorage: storage,
      savepointPath: savepoint.path,
      allowNonRestoredState: true,
    });
    const rest = await allowed
      .fromGenerator(N, (i) => i)
      .uid('events')
      .executeAndCollect();
    // The generator resumed where the savepoint left each split: two contiguous tails, [a, N/2) and [b, N).
    const got = new Set(rest);
    equal(got.size, rest.length);
    ok(rest.length > 0 && rest.length < N, `${rest.length} records after the savepoint`);
    for (const v of rest) ok(v === N / 2 - 1 || v === N - 1 || got.has(v + 1), `${v + 1} follows ${v}`);
  });

  for (const parallelism of [1, 2]) {
    it(`at-least-once mode at parallelism ${parallelism}: no alignment, nothing lost after a restart`, async () => {
      let failed = false;
      const { client, records, done } = await start(
        { parallelism },
        (env) =>
          windowJob(env, {
            onRecord: (e) => {
              if (e.ts % 500 === 0) spin(1);
              if (!failed && e.ts === 30_000) {
                failed = true;
                throw new Error('injected');
              }
            },
          }),
        (env) => {
          env.enableCheckpointing(10, { mode: 'at-least-once' });
          env.setRestartStrategy(RestartStrategies.fixedDelayRestart(2, 0));
        },
      );
      await client.result;
      equal(await done, undefined);
      if (parallelism === 1) {
        // Every subtask has one input: nothing to align, so at-least-once is exactly-once here (§6).
        sameMultiset(records, expectedWindows());
        return;
      }
      // Two sources feed each window subtask: records after a barrier on the faster input may be counted twice.
      const got = new Map(records.map((r) => [`${r.k}/${r.start}`, r.v]));
      for (const w of expectedWindows()) {
        ok((got.get(`${w.k}/${w.start}`) ?? -1) >= w.v, `window ${w.k}/${w.start} has at least its records`);
      }
    });
  }

  it('an idempotent upsert sink ends with the exact state after a restart; an appending sink duplicates', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    env.enableCheckpointing(10);
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(2, 0));
    let seen = 0;
    let failed = false;
    const running: { job?: JobClient } = {};
    const totals = new Map<number, number>();
    const appended: number[] = [];
    const sums = env
      .fromGenerator(N, (i) => ({ k: i % KEYS, v: 1, ts: i }))
      .map((e) => {
        if (e.ts % 500 === 0) spin(1);
        if (!failed && ++seen >= N / 2 && (running.job?.completedCheckpoints.length ?? 0) > 0) {
          failed = true;
          throw new Error('injected');
        }
        return e;
      })
      .keyBy((e) => e.k)
      .sum('v');
    sums.sinkTo(
      upsertSink(
        (e) => e.k,
        (k, e) => totals.set(k, e.v),
      ),
    );
    sums.sinkTo((e) => void appended.push(e.k));
    const job = (running.job = await env.executeAsync());
    await job.result;
    equal(job.restoreReport?.restarts, 1);
    const expected = new Map(Array.from({ length: KEYS }, (_, k) => [k, Math.floor((N - 1 - k) / KEYS) + 1]));
    deepEqual(new Map([...totals].sort((a, b) => a[0] - b[0])), expected);
    ok(appended.length > N, `the appending sink saw ${appended.length - N} duplicates`);
  });

  it('a checkpoint that does not complete within timeoutMs is abandoned, and the next one can start', async () => {
    const coordinator = new CheckpointCoordinator(
      { intervalMs: 0, mode: 'exactly-once', timeoutMs: 30, retained: 1 },
      memoryStateBackend(),
      { jobName: 'slow', maxParallelism: 128, operators: [{ key: 'op', name: 'Op', parallelism: 1 }] },
      new Map(),
    );
    const announced: number[] = [];
    coordinator.attach({ announce: (id) => void announced.push(id), notifyComplete: () => {} }, 1, false);
    await rejects(coordinator.trigger('checkpoint'), /checkpoint 1 expired after 30 ms/);
    equal(coordinator.failures.length, 1);
    // The subtask's late snapshot of checkpoint 1 is dropped; checkpoint 2 completes with its own.
    coordinator.acknowledge({ checkpointId: 1, vertexId: 0, subtaskIndex: 0, finished: false, operators: [] });
    const next = coordinator.trigger('checkpoint');
    coordinator.acknowledge({ checkpointId: 2, vertexId: 0, subtaskIndex: 0, finished: false, operators: [] });
    equal((await next).path, 'chk-2');
    deepEqual(announced, [1, 2]);
    coordinator.detach('done');
  });

  it('a committable group is committed once, even by two commits racing (a checkpoint and the final one)', async () => {
    let commits = 0;
    const committer = {
      async commit(): Promise<void> {
        await tick(1);
        commits++;
      },
    };
    const coordinator = new CheckpointCoordinator(
      { intervalMs: 0, mode: 'exactly-once', timeoutMs: 1000, retained: 1 },
      memoryStateBackend(),
      { jobName: 'race', maxParallelism: 128, operators: [{ key: 'sink', name: 'Sink', parallelism: 1 }] },
      new Map([['sink', committer]]),
    );
    const groups = [{ key: 'sink', subtask: 0, entries: [{ tag: 3, committables: ['a', 'b'] }] }];
    await Promise.all([coordinator.commitPending(groups), coordinator.commitPending(groups)]);
    equal(commits, 1);
  });

  it('checkpoints are written to storage with the manifest last, and old ones are deleted', async () => {
    const storage = memoryStateBackend();
    const env = StreamEnvironment.create({ parallelism: 2, checkpointStorage: storage });
    env.enableCheckpointing(10, { retained: 1 });
    const slow = env.fromGenerator(N, (i) => ({ k: i % KEYS, v: 1, ts: i }));
    slow
      .keyBy((e) => e.k)
      .sum('v')
      .uid('sums')
      .collectAsync();
    const client = await env.executeAsync();
    await client.result;
    const manifests = (await storage.list('chk-')).filter((p) => p.endsWith('/_metadata'));
    deepEqual(
      manifests,
      client.completedCheckpoints.map((c) => `${c.path}/_metadata`),
    );
    ok(manifests.length <= 1, 'one checkpoint retained');
  });
});

/** Busy-waits `ms` milliseconds (a slow user function). */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}
