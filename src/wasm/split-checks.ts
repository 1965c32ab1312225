/** Argument checks shared by the kernel's channel split (channel-split.ts) and its reference. */
import type { NumericValues } from './channel-split.ts';

/** Throws unless `source` has n values and targets[c] is an array of its type with counts[c] values (or none). */
export function checkScatter(
  source: NumericValues,
  targets: readonly (NumericValues | undefined)[],
  n: number,
  counts: Int32Array,
): void {
  if (source.length !== n) throw new RangeError(`source has ${source.length} values for ${n} rows`);
  if (targets.length !== counts.length) {
    throw new RangeError(`${targets.length} targets for ${counts.length} channels`);
  }
  const type = source instanceof Float64Array ? Float64Array : Int32Array;
  targets.forEach((target, c) => {
    const count = counts[c] as number;
    if (target === undefined ? count !== 0 : !(target instanceof type) || target.length !== count) {
      throw new RangeError(`target of channel ${c} must be a ${type.name} of ${count} values`);
    }
  });
}
