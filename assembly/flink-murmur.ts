// Flink's `MathUtils.murmurHash(int)` (flink-core, org.apache.flink.util.MathUtils), as used by
// `KeyGroupRangeAssignment.computeKeyGroupForKeyHash`; SEMANTICS.md §5.2. All arithmetic is 32-bit and wraps,
// exactly like Java `int`.

import { fmix32, scrambleBlock } from './murmur3';

/** Flink's murmurHash of a 32-bit key hash: one MurmurHash3 round plus finalizer, folded to be non-negative. */
// @ts-ignore: decorator
@inline
export function flinkMurmurHash(code: i32): i32 {
  let h: u32 = scrambleBlock(<u32>code);
  h = rotl<u32>(h, 13);
  h = h * 5 + 0xe6546b64;
  const mixed = <i32>fmix32(h ^ 4);
  // Java: code >= 0 ? code : (code != Integer.MIN_VALUE ? -code : 0)
  if (mixed >= 0) return mixed;
  return mixed != i32.MIN_VALUE ? -mixed : 0;
}
