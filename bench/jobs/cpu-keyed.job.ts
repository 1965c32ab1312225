/// <reference types="node" />
/**
 * A CPU-bound keyed job for the parallel-speedup bench: a parallel columnar generator, keyBy, and a keyed process
 * function doing a fixed amount of arithmetic per record (a stand-in for parsing or scoring). Emits one record per
 * 100,000 inputs, so collection costs nothing. Sizes come from BENCH_QUICK, which workers inherit.
 */
import { defineJob, type Collector, type KeyedContext } from '../../src/index.ts';

export const COUNT = process.env['BENCH_QUICK'] === '1' ? 400_000 : 2_000_000;
const WORK = 300; // arithmetic steps per record

export default defineJob(import.meta.url, (env) =>
  env
    .fromColumnarGenerator({
      count: COUNT,
      schema: [
        { name: 'k', type: 'i32' },
        { name: 'v', type: 'f64' },
      ],
      fill({ k, v }, _timestamps, first, rows) {
        for (let i = 0; i < rows; i++) {
          (k as Int32Array)[i] = (first + i) % 1000;
          (v as Float64Array)[i] = first + i;
        }
      },
    })
    .keyBy('k')
    .process<number>((row: Record<string, number>, _ctx: KeyedContext<unknown>, out: Collector<number>) => {
      let x = row['v'] as number;
      for (let i = 0; i < WORK; i++) x = Math.sqrt(x * x + i);
      if ((row['v'] as number) % 100_000 === 0) out.collect(x);
    }),
);
