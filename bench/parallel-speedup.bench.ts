/// <reference types="node" />
/**
 * Issue 5's scaling bench: a CPU-bound keyed job (bench/jobs/cpu-keyed.job.ts) in workers at parallelism 2
 * against the same job in workers at parallelism 1, on this 2-core machine.
 *
 * The reported figure is processing throughput: records over the time from every subtask running to the job's
 * end (JobTimestamps), so worker start-up (tsx in each Node worker) is left out on both sides; the end-to-end
 * figure, start-up included, is printed too.
 */
import { formatRate, measureJobsInterleaved, perSecond, QUICK, report } from './harness.ts';
import cpuKeyed, { COUNT } from './jobs/cpu-keyed.job.ts';

const run = (parallelism: number) => () => cpuKeyed.executeAndCollectAsync({ parallelism, runtime: 'workers' });
const options = QUICK ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 3 };
const timings = await measureJobsInterleaved({ p2: run(2), p1: run(1) }, options);
const line = (label: string, ms: number): string =>
  `${label}${formatRate(perSecond(COUNT, ms))}  (${ms.toFixed(0)} ms)`;
const endToEnd = timings.p1.totalMs / timings.p2.totalMs;
console.log(`CPU-bound keyed job, ${COUNT} records, workers mode; median of ${options.reps}`);
console.log(line('  parallelism 2 (2 workers), processing              ', timings.p2.processingMs));
console.log(line('  parallelism 1 (1 worker), processing               ', timings.p1.processingMs));
console.log(line('  parallelism 2, end to end (start-up included)      ', timings.p2.totalMs));
console.log(line('  parallelism 1, end to end (start-up included)      ', timings.p1.totalMs));
console.log(`  speed-up end to end ${endToEnd.toFixed(2)}×`);
report({
  bench: 'parallel-speedup',
  eventsPerSec: perSecond(COUNT, timings.p2.processingMs),
  baselineEventsPerSec: perSecond(COUNT, timings.p1.processingMs),
});
