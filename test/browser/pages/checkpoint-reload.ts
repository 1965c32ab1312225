/**
 * Page script of checkpoint-reload.html (driven by test/browser/checkpoint-reload.test.ts). Query parameters: `db`
 * (the IndexedDB database holding checkpoints), `out` (the database FileSink commits into), and `mode=cleanup` to
 * delete both instead of running. Each load runs the same job with `savepointPath: 'latest'`: the first load starts
 * fresh, a load after a reload resumes from the newest checkpoint. Progress is published on
 * `globalThis.__checkpointReload` while the job runs.
 */
import { FileSink, readFileSinkOutput, StreamEnvironment } from '../../../src/index.ts';
import { currentPlatform } from '../../../src/platform/index.ts';
import { RELOAD_JOB, type ReloadProgress } from './checkpoint-reload-job.ts';

declare global {
  var __checkpointReload: ReloadProgress | undefined;
  /** Every committed line of the output, joined by '\n' (one string is cheap to hand to the driver). */
  var __checkpointReloadOutput: (() => Promise<string>) | undefined;
}

const params = new URLSearchParams(location.search);
const db = params.get('db') ?? 'rivulet-checkpoint-reload';
const out = params.get('out') ?? 'rivulet-checkpoint-reload-out';
const progress: ReloadProgress = { status: 'running', mapped: 0, checkpoints: 0, committedLines: 0 };
globalThis.__checkpointReload = progress;
globalThis.__checkpointReloadOutput = async () => (await readFileSinkOutput(out)).join('\n');

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

async function run(): Promise<void> {
  const env = StreamEnvironment.create({ parallelism: 2, batchSize: 64, savepointPath: 'latest' });
  env.enableCheckpointing(50, { storage: db });
  env
    .fromGenerator(RELOAD_JOB.count, (i) => i)
    .setParallelism(1)
    .map((i) => {
      if (i % 64 === 0) spin(RELOAD_JOB.spinMsPer64); // a slowish map: the job runs for a few seconds
      progress.mapped++;
      return { k: i % RELOAD_JOB.keys, v: i };
    })
    .setParallelism(1)
    .keyBy((e) => e.k)
    .reduce((a, b) => ({ k: a.k, v: a.v + b.v }))
    .sinkTo(FileSink.forRows(out, { encode: (e) => `${e.k}:${e.v}` }));
  const client = await env.executeAsync('checkpoint-reload');
  progress.restoredFrom = client.restoreReport?.restoredFrom;
  const watch = setInterval(() => {
    progress.checkpoints = client.completedCheckpoints.at(-1)?.id ?? 0;
    progress.restoredFrom = client.restoreReport?.restoredFrom;
  }, 10);
  try {
    await client.result;
  } finally {
    clearInterval(watch);
  }
  progress.restoredFrom = client.restoreReport?.restoredFrom;
  progress.committedLines = (await readFileSinkOutput(out)).length;
  progress.status = 'done';
}

async function cleanup(): Promise<void> {
  const host = (await currentPlatform()).durableState;
  await host.destroy(out);
  await host.destroy(db);
  progress.status = 'done';
}

(params.get('mode') === 'cleanup' ? cleanup() : run()).catch((err: unknown) => {
  progress.status = 'failed';
  progress.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
});
