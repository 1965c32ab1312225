/// <reference types="node" />
/**
 * Bench 1 of the WASM hot path: a keyed tumbling sum (10k keys, 1 s windows, 5M events) on the engine's columnar
 * path — columnar generator → watermarks → keyBy('k') → window → sum('v'), which the planner runs in the wasm
 * window kernel, → a sink that takes result batches whole (SinkWriter.writeBatch): columns in, columns out —
 * against a hand-written JS Map loop over typed arrays in the same process (baseline).
 *
 * Also timed, for the record: the same job with a sink that takes each result as a row object (`sinkTo(fn)`), and
 * the kernel floor — the same batches generated into fresh arrays, key indices and the wasm kernel with its
 * watermark firing, and nothing else (no engine, no result records). The gap between the floor and the engine is
 * what the engine's plumbing costs.
 */
import { StreamEnvironment, TumblingEventTimeWindows, WatermarkStrategy } from '../src/index.ts';
import { currentPlatform } from '../src/platform/index.ts';
import { KeyDictionary } from '../src/runtime/operators/window/key-dictionary.ts';
import { loadKernel } from '../src/wasm/kernel.ts';
import { DEFAULT_OPTIONS, formatRate, measureInterleavedAsync, perSecond, QUICK, report } from './harness.ts';
import { fill, handWrittenMapLoop, type Workload } from './jobs/keyed-tumbling-sum.ts';

const workload: Workload = {
  count: QUICK ? 1_000_000 : 5_000_000,
  keys: 10_000,
  eventsPerMs: 100, // 100k events per second of event time: 50 windows over 5M events
  windowMs: 1000,
  batchSize: 65_536,
};

/** The engine's job; `rowSink` takes results as row objects (`sinkTo(fn)`) instead of whole columnar batches. */
async function engine(rowSink = false): Promise<number> {
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
    .sinkTo(
      rowSink
        ? () => void windows++
        : { createWriter: () => ({ write: () => void windows++, writeBatch: (b) => void (windows += b.rowCount) }) },
    );
  await env.execute();
  return windows;
}

const kernel = await loadKernel(await currentPlatform());

/** The kernel floor (see the top): returns windows fired. */
async function kernelFloor(): Promise<number> {
  const aggregator = kernel.createWindowAggregator({ kind: 'tumbling', size: workload.windowMs });
  const keys = new KeyDictionary(kernel, () => {});
  const indices = new Int32Array(workload.batchSize);
  let fired = 0;
  for (let first = 0; first < workload.count; first += workload.batchSize) {
    const rows = Math.min(workload.batchSize, workload.count - first);
    const [k, v, ts] = [new Int32Array(rows), new Float64Array(rows), new Float64Array(rows)];
    fill(workload, k, v, ts, first, rows);
    keys.indicesOfNumbers(k, indices, rows);
    aggregator.process(indices, v, ts, rows);
    fired += aggregator.advanceWatermark((ts[rows - 1] as number) - 1).fired.length;
  }
  fired += aggregator.advanceWatermark(Number.MAX_SAFE_INTEGER).fired.length;
  aggregator.dispose();
  return fired;
}

const expectedWindows = handWrittenMapLoop(workload);
if ((await kernelFloor()) !== expectedWindows) throw new Error('the kernel floor fired a different number of windows');
const engineWindows = await engine();
if (engineWindows !== expectedWindows || (await engine(true)) !== expectedWindows) {
  throw new Error(`engine emitted ${engineWindows} windows, the baseline ${expectedWindows}`);
}
const options = QUICK ? { warmup: 1, reps: 3 } : { warmup: 2, reps: 7 };
const timings = await measureInterleavedAsync(
  {
    engine: () => engine(),
    baseline: async () => handWrittenMapLoop(workload),
    floor: kernelFloor,
    rowSink: () => engine(true),
  },
  options,
);
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
const rowSinkRate = perSecond(workload.count, timings.rowSink.medianMs);
console.log(
  `  engine, results as row objects  ${formatRate(rowSinkRate)}  (${timings.rowSink.medianMs.toFixed(0)} ms)`,
);
const floorRate = perSecond(workload.count, timings.floor.medianMs);
console.log(`  kernel floor (no engine)        ${formatRate(floorRate)}  (${timings.floor.medianMs.toFixed(0)} ms)`);
report({ bench: 'windowed-sum-columnar', eventsPerSec: engineRate, baselineEventsPerSec: baselineRate });
