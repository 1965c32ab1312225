/// <reference types="node" />
/**
 * Issue 5's scaling bench: a CPU-bound keyed job (bench/jobs/cpu-keyed.job.ts) in workers at parallelism 2
 * against the same job in workers at parallelism 1, on this 2-core machine. Worker start-up (tsx in each Node
 * worker) is included on both sides.
 */
import { formatRate, measureInterleavedAsync, perSecond, QUICK, report } from './harness.ts';
import cpuKeyed, { COUNT } from './jobs/cpu-keyed.job.ts';

const run = (parallelism: number) => () => cpuKeyed.executeAndCollect({ parallelism, runtime: 'workers' });
const options = QUICK ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 3 };
const timings = await measureInterleavedAsync({ p2: run(2), p1: run(1) }, options);
const p2 = perSecond(COUNT, timings.p2.medianMs);
const p1 = perSecond(COUNT, timings.p1.medianMs);
console.log(`CPU-bound keyed job, ${COUNT} records, workers mode; median of ${options.reps}`);
console.log(`  parallelism 2 (2 workers)  ${formatRate(p2)}  (${timings.p2.medianMs.toFixed(0)} ms)`);
console.log(`  parallelism 1 (1 worker)   ${formatRate(p1)}  (${timings.p1.medianMs.toFixed(0)} ms)`);
report({ bench: 'parallel-speedup', eventsPerSec: p2, baselineEventsPerSec: p1 });
