/// <reference types="node" />
/**
 * Issue 5's data-plane bench: a columnar keyed job (bench/jobs/columnar-shuffle.job.ts) across 2 workers, where
 * the keyed shuffle moves transferred columnar batches between workers, against the same job inline at
 * parallelism 1 (no shuffle at all). Rows/s includes generation, the shuffle and the kernel's window count.
 *
 * The reported figure is processing throughput: rows over the time from every subtask running to the job's end
 * (JobTimestamps), so worker start-up (tsx in each Node worker, ≈1 s) is left out on both sides; the end-to-end
 * figure, start-up included, is printed too.
 */
import { formatRate, measureJobsInterleaved, perSecond, QUICK, report } from './harness.ts';
import shuffle, { COUNT } from './jobs/columnar-shuffle.job.ts';

const options = QUICK ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 3 };
const timings = await measureJobsInterleaved(
  {
    workers: () => shuffle.executeAndCollectAsync({ parallelism: 2, runtime: 'workers' }),
    inline: () => shuffle.executeAndCollectAsync({ parallelism: 1 }),
  },
  options,
);
const line = (label: string, ms: number): string =>
  `${label}${formatRate(perSecond(COUNT, ms))}  (${ms.toFixed(0)} ms)`;
console.log(`columnar keyed job, ${COUNT} rows; median of ${options.reps}`);
console.log(line('  2 workers, keyed shuffle between them, processing   ', timings.workers.processingMs));
console.log(line('  inline, parallelism 1, processing                   ', timings.inline.processingMs));
console.log(line('  2 workers, end to end (worker start-up included)    ', timings.workers.totalMs));
console.log(line('  inline, parallelism 1, end to end                   ', timings.inline.totalMs));
report({
  bench: 'worker-shuffle',
  eventsPerSec: perSecond(COUNT, timings.workers.processingMs),
  baselineEventsPerSec: perSecond(COUNT, timings.inline.processingMs),
});
