/** The plain-TS reference of Kernel.maxTimestamp (assembly/timestamps.ts), for the differential tests. */
import { NO_TIMESTAMP } from '../runtime/time.ts';

/** The largest of `timestamps` (-Infinity for none), or NaN if one is NO_TIMESTAMP; NaN timestamps are skipped. */
export function referenceMaxTimestamp(timestamps: Float64Array): number {
  let max = -Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const timestamp = timestamps[i] as number;
    if (timestamp === NO_TIMESTAMP) return NaN;
    if (timestamp > max) max = timestamp;
  }
  return max;
}
