/// <reference types="node" />
/**
 * What checkpointing costs (SEMANTICS.md §6). (a) Throughput of a keyed job — generator → keyBy → rolling reduce —
 * with a checkpoint every 1000 ms (memory storage, the default) against the same job without checkpointing, in the
 * same run and interleaved; the ratio is the result line (target ≥ 0.8). (b) How long a savepoint of a large keyed
 * state takes: 1 M keys (100 k with BENCH_QUICK=1) in a keyed reduce, snapshotted to memory and to files (a temp
 * directory), with the bytes written; printed only, as no baseline exists for it.
 */
import { StreamEnvironment, type CompletedCheckpoint, type StateBackend } from '../src/index.ts';
import { currentPlatform } from '../src/platform/index.ts';
import { durableStateBackend } from '../src/state/backends/index.ts';
import { formatRate, measureInterleavedAsync, perSecond, QUICK, report } from './harness.ts';

const THROUGHPUT = { count: QUICK ? 10_000_000 : 20_000_000, keys: 10_000, intervalMs: 1000 };
const LARGE_STATE_KEYS = QUICK ? 100_000 : 1_000_000;

interface Event {
  k: number;
  v: number;
}

/** Runs the keyed job to its end; returns the checkpoints it completed. */
async function keyedJob(checkpointing: boolean): Promise<number> {
  const env = StreamEnvironment.create({ parallelism: 1 });
  if (checkpointing) env.enableCheckpointing(THROUGHPUT.intervalMs);
  let out = 0;
  env
    .fromGenerator<Event>(THROUGHPUT.count, (n) => ({ k: (n * 7919) % THROUGHPUT.keys, v: n % 10 }))
    .keyBy((e) => e.k)
    .reduce((a, b) => ({ k: a.k, v: a.v + b.v }))
    .sinkTo(() => void out++);
  const client = await env.executeAsync();
  await client.result;
  if (out !== THROUGHPUT.count) throw new Error(`the job emitted ${out} of ${THROUGHPUT.count} records`);
  if (checkpointing) checkpointsTaken += client.completedCheckpoints.at(-1)?.id ?? 0;
  return out;
}
let checkpointsTaken = 0;

/** A savepoint of a keyed reduce holding `keys` keys, taken once every key has state; the job is then cancelled. */
async function largeStateSavepoint(storage: StateBackend | undefined): Promise<CompletedCheckpoint> {
  const env = StreamEnvironment.create({ parallelism: 1 });
  env.enableCheckpointing(3_600_000, storage ? { storage } : {}); // no periodic checkpoint within the run
  let reduced = 0;
  env
    .fromGenerator<Event>(LARGE_STATE_KEYS * 1000, (n) => ({ k: n % LARGE_STATE_KEYS, v: 1 }))
    .keyBy((e) => e.k)
    .reduce((a, b) => ({ k: a.k, v: a.v + b.v }))
    .sinkTo(() => void reduced++);
  const client = await env.executeAsync();
  try {
    while (reduced < LARGE_STATE_KEYS) await new Promise((resolve) => setTimeout(resolve, 1));
    return await client.triggerSavepoint();
  } finally {
    await client.cancel();
  }
}

// (a) throughput with and without checkpoints
const options = QUICK ? { warmup: 1, reps: 1 } : { warmup: 1, reps: 3 };
const timings = await measureInterleavedAsync(
  { checkpointed: () => keyedJob(true), plain: () => keyedJob(false) },
  options,
);
const checkpointedRate = perSecond(THROUGHPUT.count, timings.checkpointed.medianMs);
const plainRate = perSecond(THROUGHPUT.count, timings.plain.medianMs);
const runs = options.warmup + options.reps;
console.log(
  `keyed rolling reduce: ${THROUGHPUT.count} events, ${THROUGHPUT.keys} keys, parallelism 1; median of ${options.reps}`,
);
console.log(
  `  checkpoint every ${THROUGHPUT.intervalMs} ms  ${formatRate(checkpointedRate)}  ` +
    `(${timings.checkpointed.medianMs.toFixed(0)} ms; ${(checkpointsTaken / runs).toFixed(1)} checkpoints per run)`,
);
console.log(`  no checkpointing             ${formatRate(plainRate)}  (${timings.plain.medianMs.toFixed(0)} ms)`);

// (b) checkpoint duration for a large keyed state
const host = (await currentPlatform()).durableState;
const location = await host.scratchLocation();
try {
  const inMemory = await largeStateSavepoint(undefined);
  const files = await durableStateBackend(await currentPlatform(), location);
  const onDisk = await largeStateSavepoint(files).finally(() => files.close());
  for (const [where, savepoint] of [
    ['memory', inMemory],
    ['files ', onDisk],
  ] as const) {
    console.log(
      `savepoint of ${LARGE_STATE_KEYS} keys to ${where}  ${savepoint.durationMs.toFixed(0)} ms, ` +
        `${(savepoint.stateBytes / 1e6).toFixed(1)} MB of state`,
    );
  }
} finally {
  await host.destroy(location);
}

report({ bench: 'checkpointing', eventsPerSec: checkpointedRate, baselineEventsPerSec: plainRate });
