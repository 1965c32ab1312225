/// <reference types="node" />
/**
 * Bench 1 of the WASM hot path: a keyed tumbling sum (10k keys, 1 s windows, 5M events) on the engine's columnar
 * path — columnar generator → watermarks → keyBy('k') → window → sum('v'), which the planner runs in the wasm
 * window kernel — against a hand-written JS Map loop over typed arrays in the same process (baseline).
 */
import { StreamEnvironment, TumblingEventTimeWindows, WatermarkStrategy } from '../src/index.ts';
import { DEFAULT_OPTIONS, formatRate, measureInterleavedAsync, perSecond, QUICK, report } from './harness.ts';
import { fill, handWrittenMapLoop, type Workload } from './jobs/keyed-tumbling-sum.ts';

const workload: Workload = {
  count: QUICK ? 1_000_000 : 5_000_000,
  keys: 10_000,
  eventsPerMs: 100, // 100k events per second of event time: 50 windows over 5M events
  windowMs: 1000,
  batchSize: 65_536,
};

async function engine(): Promise<number> {
  const env = StreamEnvironment.create();
  let windows = 0;
  env
    .fromColumnarGenerator({
      count: workload.count,
      batchSize: workload.batchSize,
      schema: [
        { name: 'k', type: 'i32' },
        { name: 'v', type: 'f64' },
      ],
      fill: (columns, timestamps, first, rows) =>
        fill(workload, columns.k as Int32Array, columns.v as Float64Array, timestamps, first, rows),
    })
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
    .keyBy('k')
    .window(TumblingEventTimeWindows.of(workload.windowMs))
    .sum('v')
    .sinkTo(() => void windows++);
  await env.execute();
  return windows;
}

const expectedWindows = handWrittenMapLoop(workload);
const engineWindows = await engine();
if (engineWindows !== expectedWindows) {
  throw new Error(`engine emitted ${engineWindows} windows, the baseline ${expectedWindows}`);
}
const options = QUICK ? { warmup: 1, reps: 3 } : { warmup: 2, reps: 7 };
const timings = await measureInterleavedAsync({ engine, baseline: async () => handWrittenMapLoop(workload) }, options);
const engineRate = perSecond(workload.count, timings.engine.medianMs);
const baselineRate = perSecond(workload.count, timings.baseline.medianMs);
console.log(
  `keyed tumbling sum: ${workload.count} events, ${workload.keys} keys, ${workload.windowMs} ms windows, ` +
    `${expectedWindows} results; median of ${options.reps} (default reps ${DEFAULT_OPTIONS.reps})`,
);
console.log(`  engine, columnar → wasm kernel  ${formatRate(engineRate)}  (${timings.engine.medianMs.toFixed(0)} ms)`);
console.log(
  `  hand-written Map loop           ${formatRate(baselineRate)}  (${timings.baseline.medianMs.toFixed(0)} ms)`,
);
report({ bench: 'windowed-sum-columnar', eventsPerSec: engineRate, baselineEventsPerSec: baselineRate });
