/** The kernel's batch maximum of timestamps (the watermark operator's columnar path) against its TS reference. */
import { currentPlatform } from '../../src/platform/index.ts';
import { loadKernel } from '../../src/wasm/kernel.ts';
import { referenceMaxTimestamp } from '../../src/wasm/timestamps-reference.ts';
import { equal, ok } from './assert.ts';
import { defineSuite } from './harness.ts';
import { seededRandom } from './support.ts';

/** Same number, NaN included; zeros of either sign are equal (see Kernel.maxTimestamp). */
function sameMax(actual: number, expected: number, what: string): void {
  ok(actual === expected || (Number.isNaN(actual) && Number.isNaN(expected)), `${what}: ${actual} vs ${expected}`);
}

export default defineSuite('kernel timestamps', (it) => {
  it('the maximum of a batch of timestamps equals the reference: odd lengths, NaN skipped, NO_TIMESTAMP', async () => {
    const kernel = await loadKernel(await currentPlatform());
    const random = seededRandom(3);
    for (const n of [0, 1, 2, 3, 4, 5, 17, 1000, 4097]) {
      for (const variant of ['plain', 'nan', 'missing', 'negative', 'infinite'] as const) {
        const timestamps = Float64Array.from({ length: n }, () => Math.floor((random() - 0.5) * 2e12));
        if (variant === 'negative') timestamps.forEach((_, i) => (timestamps[i] = -1 - i));
        if (n > 0 && variant !== 'plain' && variant !== 'negative') {
          const at = Math.floor(random() * n);
          timestamps[at] = variant === 'nan' ? NaN : variant === 'missing' ? -Infinity : Infinity;
        }
        sameMax(kernel.maxTimestamp(timestamps), referenceMaxTimestamp(timestamps), `${variant}, ${n} timestamps`);
      }
    }
    equal(kernel.maxTimestamp(new Float64Array(0)), -Infinity, 'none');
    ok(Number.isNaN(kernel.maxTimestamp(Float64Array.from([1, 2, 3, -Infinity]))), 'NO_TIMESTAMP last, odd lane');
    ok(Number.isNaN(kernel.maxTimestamp(Float64Array.from([1, 2, -Infinity]))), 'NO_TIMESTAMP in the tail');
    equal(kernel.maxTimestamp(Float64Array.from([NaN, NaN, NaN])), -Infinity, 'only NaN: none');
    equal(kernel.maxTimestamp(Float64Array.from([5, NaN, 7, NaN, 6])), 7);
    equal(kernel.maxTimestamp(Float64Array.from([-3, -0, 0, -7])), 0);
  });
});
