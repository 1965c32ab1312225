/// <reference types="node" />
/**
 * Bench 4 of the WASM hot path: memory stays flat as windows come and go. A keyed tumbling sum over 1,000 keys,
 * one event per key per ms, 1 s windows, run for 1,000 windows on the kernel path and on the JS path. The sink
 * samples memory (after a full GC) when the results of window 100 and of window 1,000 arrive: JS heap, and
 * ArrayBuffer memory (Node counts wasm linear memory there). The kernel's own linear memory is read from an
 * aggregator fed the same rows. The last line compares the kernel path's throughput with the JS path's.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StreamEnvironment, TumblingEventTimeWindows, WatermarkStrategy } from '../src/index.ts';
import { currentPlatform } from '../src/platform/index.ts';
import { loadKernel } from '../src/wasm/kernel.ts';
import { formatRate, perSecond, QUICK, report } from './harness.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const KEYS = 1000;
const WINDOW_MS = 1000;
const EVENTS_PER_MS = QUICK ? 1 : 10; // events per ms of event time, spread over the keys
const WINDOWS = 1000;
const COUNT = WINDOWS * WINDOW_MS * EVENTS_PER_MS;
const MiB = 2 ** 20;

interface Sample {
  heapMiB: number;
  arrayBuffersMiB: number;
}

function sample(): Sample {
  gc();
  const usage = process.memoryUsage();
  return { heapMiB: usage.heapUsed / MiB, arrayBuffersMiB: usage.arrayBuffers / MiB };
}

async function run(wasmKernels: boolean): Promise<{ ms: number; at100: Sample; at1000: Sample }> {
  const env = StreamEnvironment.create({ wasmKernels });
  const samples = new Map<number, Sample>();
  let results = 0;
  env
    .fromColumnarGenerator({
      count: COUNT,
      batchSize: 16_384,
      schema: [
        { name: 'k', type: 'i32' },
        { name: 'v', type: 'f64' },
      ],
      fill({ k, v }, timestamps, first, rows) {
        for (let i = 0; i < rows; i++) {
          const n = first + i;
          (k as Int32Array)[i] = n % KEYS;
          (v as Float64Array)[i] = 1;
          timestamps[i] = Math.floor(n / EVENTS_PER_MS);
        }
      },
    })
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
    .keyBy('k')
    .window(TumblingEventTimeWindows.of(WINDOW_MS))
    .sum('v')
    .sinkTo(() => {
      results++;
      if (results === 100 * KEYS || results === WINDOWS * KEYS) samples.set(results / KEYS, sample());
    });
  const started = performance.now();
  await env.execute();
  const ms = performance.now() - started;
  return { ms, at100: samples.get(100)!, at1000: samples.get(WINDOWS)! };
}

/** The kernel's linear memory after 100 and after 1,000 windows of the same rows. */
async function kernelMemory(): Promise<[number, number]> {
  const kernel = await loadKernel(await currentPlatform());
  const aggregator = kernel.createWindowAggregator({ kind: 'tumbling', size: WINDOW_MS });
  for (let key = 0; key < KEYS; key++) aggregator.setKeyGroup(key, key % 128);
  const batch = WINDOW_MS * EVENTS_PER_MS;
  const keys = new Int32Array(batch);
  const values = new Float64Array(batch).fill(1);
  const timestamps = new Float64Array(batch);
  const memory: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    for (let i = 0; i < batch; i++) {
      const n = w * batch + i;
      keys[i] = n % KEYS;
      timestamps[i] = Math.floor(n / EVENTS_PER_MS);
    }
    aggregator.process(keys, values, timestamps);
    aggregator.advanceWatermark((w + 1) * WINDOW_MS - 1);
    if (w + 1 === 100 || w + 1 === WINDOWS) memory.push(aggregator.memoryBytes / MiB);
  }
  aggregator.dispose();
  return [memory[0]!, memory[1]!];
}

const [wasm100, wasm1000] = await kernelMemory();
const kernelPath = await run(true);
const jsPath = await run(false);
const fmt = (s: Sample) => `heap ${s.heapMiB.toFixed(1)} MiB, array buffers ${s.arrayBuffersMiB.toFixed(1)} MiB`;
console.log(`keyed tumbling sum, ${KEYS} keys, ${COUNT} events, ${WINDOWS} windows of ${WINDOW_MS} ms`);
console.log(
  `  kernel linear memory  after 100 windows ${wasm100.toFixed(2)} MiB, after 1000 ${wasm1000.toFixed(2)} MiB`,
);
console.log(`  kernel path  after 100 windows: ${fmt(kernelPath.at100)}`);
console.log(`               after 1000 windows: ${fmt(kernelPath.at1000)}`);
console.log(`  JS path      after 100 windows: ${fmt(jsPath.at100)}`);
console.log(`               after 1000 windows: ${fmt(jsPath.at1000)}`);
const kernelRate = perSecond(COUNT, kernelPath.ms);
const jsRate = perSecond(COUNT, jsPath.ms);
console.log(`  throughput: kernel path ${formatRate(kernelRate)}, JS path ${formatRate(jsRate)} (one run each)`);
report({ bench: 'window-memory', eventsPerSec: kernelRate, baselineEventsPerSec: jsRate });
