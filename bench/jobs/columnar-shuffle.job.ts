/// <reference types="node" />
/**
 * A columnar keyed job for the worker-shuffle bench: a parallel columnar generator, keyBy on an i32 column (a
 * keyed shuffle: between workers, batches cross as transferred columnar ArrayBuffers), and a tumbling count in the
 * wasm kernel, which keeps the output small.
 */
import { defineJob, TumblingEventTimeWindows, WatermarkStrategy } from '../../src/index.ts';

export const COUNT = process.env['BENCH_QUICK'] === '1' ? 2_000_000 : 10_000_000;

export default defineJob(import.meta.url, (env) =>
  env
    .fromColumnarGenerator({
      count: COUNT,
      schema: [
        { name: 'k', type: 'i32' },
        { name: 'v', type: 'f64' },
      ],
      fill({ k, v }, timestamps, first, rows) {
        for (let i = 0; i < rows; i++) {
          const n = first + i;
          (k as Int32Array)[i] = (n * 7919) % 10_000;
          (v as Float64Array)[i] = 1;
          timestamps[i] = Math.floor(n / 1000);
        }
      },
    })
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
    .keyBy('k')
    .window(TumblingEventTimeWindows.of(60_000))
    .count(),
);
