/// <reference types="node" />
/**
 * Issue 5's data-plane bench: a columnar keyed job (bench/jobs/columnar-shuffle.job.ts) across 2 workers, where
 * the keyed shuffle moves transferred columnar batches between workers, against the same job inline at
 * parallelism 1 (no shuffle at all). Rows/s includes generation, the shuffle and the kernel's window count.
 */
import { formatRate, measureInterleavedAsync, perSecond, QUICK, report } from './harness.ts';
import shuffle, { COUNT } from './jobs/columnar-shuffle.job.ts';

const options = QUICK ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 3 };
const timings = await measureInterleavedAsync(
  {
    workers: () => shuffle.executeAndCollect({ parallelism: 2, runtime: 'workers' }),
    inline: () => shuffle.executeAndCollect({ parallelism: 1 }),
  },
  options,
);
const workers = perSecond(COUNT, timings.workers.medianMs);
const inline = perSecond(COUNT, timings.inline.medianMs);
console.log(`columnar keyed job, ${COUNT} rows; median of ${options.reps}`);
console.log(
  `  2 workers, keyed shuffle between them  ${formatRate(workers)}  (${timings.workers.medianMs.toFixed(0)} ms)`,
);
console.log(
  `  inline, parallelism 1                  ${formatRate(inline)}  (${timings.inline.medianMs.toFixed(0)} ms)`,
);
report({ bench: 'worker-shuffle', eventsPerSec: workers, baselineEventsPerSec: inline });
