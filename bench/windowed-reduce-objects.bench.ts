/// <reference types="node" />
/**
 * Bench 2 of the WASM hot path: the same keyed tumbling sum as windowed-sum-columnar, written the way a Flink
 * user ports it — per-event objects, a timestamp assigner, `keyBy(e => e.k)` and `reduce` closures — so it runs
 * on the JS WindowOperator, against the same hand-written Map loop (baseline).
 */
import { StreamEnvironment, TumblingEventTimeWindows, WatermarkStrategy } from '../src/index.ts';
import { formatRate, measureInterleavedAsync, perSecond, QUICK, report } from './harness.ts';
import { handWrittenMapLoop, type Workload } from './jobs/keyed-tumbling-sum.ts';

interface Click {
  k: number;
  v: number;
  ts: number;
}

const workload: Workload = {
  count: QUICK ? 500_000 : 5_000_000,
  keys: 10_000,
  eventsPerMs: 100,
  windowMs: 1000,
  batchSize: 65_536,
};

async function engine(): Promise<number> {
  const env = StreamEnvironment.create();
  let windows = 0;
  env
    .fromGenerator<Click>(workload.count, (n) => ({
      k: (n * 7919) % workload.keys,
      v: n % 10,
      ts: Math.floor(n / workload.eventsPerMs),
    }))
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forMonotonousTimestamps<Click>().withTimestampAssigner((e) => e.ts),
    )
    .keyBy((e) => e.k)
    .window(TumblingEventTimeWindows.of(workload.windowMs))
    .reduce((a, b) => ({ k: a.k, v: a.v + b.v, ts: a.ts }))
    .sinkTo(() => void windows++);
  await env.execute();
  return windows;
}

const expectedWindows = handWrittenMapLoop(workload);
const engineWindows = await engine();
if (engineWindows !== expectedWindows) {
  throw new Error(`engine emitted ${engineWindows} windows, the baseline ${expectedWindows}`);
}
const options = QUICK ? { warmup: 1, reps: 3 } : { warmup: 1, reps: 5 };
const timings = await measureInterleavedAsync({ engine, baseline: async () => handWrittenMapLoop(workload) }, options);
const engineRate = perSecond(workload.count, timings.engine.medianMs);
const baselineRate = perSecond(workload.count, timings.baseline.medianMs);
console.log(
  `keyed tumbling reduce on objects: ${workload.count} events, ${workload.keys} keys, ${workload.windowMs} ms ` +
    `windows, ${expectedWindows} results; median of ${options.reps}`,
);
console.log(
  `  engine, objects + closures (JS path)  ${formatRate(engineRate)}  (${timings.engine.medianMs.toFixed(0)} ms)`,
);
console.log(
  `  hand-written Map loop (typed arrays)  ${formatRate(baselineRate)}  (${timings.baseline.medianMs.toFixed(0)} ms)`,
);
report({ bench: 'windowed-reduce-objects', eventsPerSec: engineRate, baselineEventsPerSec: baselineRate });
