// The largest event timestamp of a batch, for the watermark operator's columnar path
// (src/runtime/operators/timestamps-and-watermarks.ts); two lanes at a time.

const NO_TIMESTAMP: f64 = -Infinity;

/**
 * The largest of the n f64 timestamps at `ptr` (-Infinity for none), or NaN if one is NO_TIMESTAMP (-Infinity).
 * NaN timestamps are skipped, as `timestamp > max` skips them in JS: pmax keeps its first operand unless the second
 * is greater.
 */
export function maxTimestampOf(ptr: usize, n: u32): f64 {
  const none = f64x2.splat(NO_TIMESTAMP);
  let max = none;
  let missing = v128.splat<i64>(0);
  let i: u32 = 0;
  for (; i + 2 <= n; i += 2) {
    const pair = v128.load(ptr + (<usize>i << 3));
    max = f64x2.pmax(max, pair);
    missing = v128.or(missing, f64x2.eq(pair, none));
  }
  if (v128.any_true(missing)) return NaN;
  const a = f64x2.extract_lane(max, 0);
  const b = f64x2.extract_lane(max, 1);
  let result = a < b ? b : a;
  if (i < n) {
    const last = load<f64>(ptr + (<usize>i << 3));
    if (last == NO_TIMESTAMP) return NaN;
    if (last > result) result = last;
  }
  return result;
}
