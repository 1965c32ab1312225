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
      // The same rows as k = (n · 7919) mod 10 000, ts = floor(n / 1000) for row n, stepped rather than computed
      // per row: a floating-point modulo per row cost 20 ns, half of the inline job, and this bench measures the
      // shuffle, not the generator's arithmetic.
      fill({ k, v }, timestamps, first, rows) {
        const keys = k as Int32Array;
        const values = v as Float64Array;
        let key = (first * 7919) % 10_000;
        let second = Math.floor(first / 1000);
        let untilNextSecond = 1000 - (first % 1000);
        for (let i = 0; i < rows; i++) {
          keys[i] = key;
          key += 7919;
          if (key >= 10_000) key -= 10_000;
          values[i] = 1;
          timestamps[i] = second;
          if (--untilNextSecond === 0) {
            second++;
            untilNextSecond = 1000;
          }
        }
      },
    })
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
    .keyBy('k')
    .window(TumblingEventTimeWindows.of(60_000))
    .count(),
);
