/**
 * Key-group arithmetic, exactly as SEMANTICS.md §5.2 (Flink `KeyGroupRangeAssignment`, `MathUtils`). Key groups
 * are the unit of keyed state: a key's group is fixed by its hash and maxParallelism (src/wasm/kernel.ts), and
 * parallelism only decides which operator instance owns which contiguous range of groups. All divisions are Java
 * integer divisions of non-negative ints; products stay below 2^31 because every input is at most 32768.
 */

/** Flink `KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM` (1 << 15). */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

/** Flink `KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM` (1 << 7). */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;

/** Key groups `start..end`, both inclusive; never empty when parallelism ≤ maxParallelism. */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

/**
 * `computeOperatorIndexForKeyGroup`: the operator instance (0..p-1) that owns `keyGroup`. Called per record when
 * routing, so — like Flink — it does not validate; check the parallelisms once with checkParallelism.
 */
export function operatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** `computeKeyGroupRangeForOperatorIndex`: the contiguous key groups owned by operator instance `index`. */
export function keyGroupRange(maxParallelism: number, parallelism: number, index: number): KeyGroupRange {
  checkParallelism(parallelism, maxParallelism);
  checkIndex('operator index', index, parallelism, 'parallelism');
  return {
    start: Math.floor((index * maxParallelism + parallelism - 1) / parallelism),
    end: Math.floor(((index + 1) * maxParallelism - 1) / parallelism),
  };
}

/**
 * `computeDefaultMaxParallelism`: `min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)`, so 128 for any
 * parallelism ≤ 85 and 256 from 86.
 */
export function defaultMaxParallelism(parallelism: number): number {
  checkParallelism(parallelism);
  const wanted = roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2));
  return Math.min(Math.max(wanted, DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}

/** `MathUtils.roundUpToPowerOfTwo` for 1 ≤ x ≤ 2^30: smear the highest set bit of x-1 downwards, add one. */
function roundUpToPowerOfTwo(x: number): number {
  let v = x - 1;
  v |= v >>> 1;
  v |= v >>> 2;
  v |= v >>> 4;
  v |= v >>> 8;
  v |= v >>> 16;
  return v + 1;
}

/** Throws RangeError unless maxParallelism is an integer in 1..32768 (`checkParallelismPreconditions`). */
export function checkMaxParallelism(maxParallelism: number): void {
  checkBounded('maxParallelism', maxParallelism);
}

/**
 * Throws RangeError unless `parallelism` is an integer in 1..32768 and, when `maxParallelism` is given (after
 * checking it too), at most maxParallelism. `name` is how the message names the parameter, e.g.
 * `parallelism of 'map'`.
 */
export function checkParallelism(parallelism: number, maxParallelism?: number, name = 'parallelism'): void {
  checkBounded(name, parallelism);
  if (maxParallelism === undefined) return;
  checkMaxParallelism(maxParallelism);
  if (parallelism > maxParallelism) {
    throw new RangeError(`${name} (${parallelism}) must not exceed maxParallelism (${maxParallelism})`);
  }
}

/** Throws RangeError unless keyGroup is an integer in 0..maxParallelism-1. */
export function checkKeyGroup(keyGroup: number, maxParallelism: number): void {
  checkIndex('keyGroup', keyGroup, maxParallelism, 'maxParallelism');
}

function checkBounded(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > UPPER_BOUND_MAX_PARALLELISM) {
    throw new RangeError(`${name} (${value}) must be an integer in 1..${UPPER_BOUND_MAX_PARALLELISM}`);
  }
}

function checkIndex(name: string, value: number, bound: number, boundName: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= bound) {
    throw new RangeError(`${name} (${value}) must be an integer in 0..${boundName}-1 (${bound - 1})`);
  }
}
