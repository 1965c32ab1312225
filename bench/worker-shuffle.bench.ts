/// <reference types="node" />
/**
 * Issue 5's data-plane bench: a columnar keyed job (bench/jobs/columnar-shuffle.job.ts) across 2 workers, where
 * the keyed shuffle moves transferred columnar batches between workers, against the same job inline at
 * parallelism 1 (no shuffle at all). Rows/s includes generation, the shuffle and the kernel's window count.
 *
 * The reported figure is processing throughput (rows over the time from every subtask running to the job's end,
 * JobTimestamps) on the two workers of a WorkerPool, which keeps them between jobs: warm, as the inline side is
 * warm after its first run. Also printed: fresh workers for every job (cold code, processing only), and the
 * end-to-end times, start-up included (tsx in each fresh Node worker, ≈1 s).
 */
import { WorkerPool } from '../src/index.ts';
import { formatRate, measureJobsInterleaved, perSecond, QUICK, report } from './harness.ts';
import shuffle, { COUNT } from './jobs/columnar-shuffle.job.ts';

const options = QUICK ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 5 };
const pool = WorkerPool.create();
await pool.prestart(2);
const timings = await measureJobsInterleaved(
  {
    workers: () => shuffle.executeAndCollectAsync({ parallelism: 2, runtime: 'workers', pool }),
    fresh: () => shuffle.executeAndCollectAsync({ parallelism: 2, runtime: 'workers' }),
    inline: () => shuffle.executeAndCollectAsync({ parallelism: 1 }),
  },
  options,
);
await pool.close();
const line = (label: string, ms: number): string =>
  `${label}${formatRate(perSecond(COUNT, ms))}  (${ms.toFixed(0)} ms)`;
console.log(`columnar keyed job, ${COUNT} rows; median of ${options.reps}`);
console.log(line('  2 pooled workers, keyed shuffle between them, processing   ', timings.workers.processingMs));
console.log(line('  inline, parallelism 1, processing                          ', timings.inline.processingMs));
console.log(line('  2 fresh workers per job, processing                        ', timings.fresh.processingMs));
console.log(line('  2 pooled workers, end to end                               ', timings.workers.totalMs));
console.log(line('  2 fresh workers, end to end (worker start-up included)     ', timings.fresh.totalMs));
console.log(line('  inline, parallelism 1, end to end                          ', timings.inline.totalMs));
report({
  bench: 'worker-shuffle',
  eventsPerSec: perSecond(COUNT, timings.workers.processingMs),
  baselineEventsPerSec: perSecond(COUNT, timings.inline.processingMs),
});
