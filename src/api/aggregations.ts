/**
 * The rolling aggregations of KeyedStream as reduce functions, with Flink's semantics
 * (SumAggregator, ComparableAggregator):
 *   sum/min/max — the first record of the key with the field replaced by the aggregate;
 *   minBy/maxBy — the whole record holding the extreme value; on ties the first one (or the last, first=false).
 */
import { fieldAccessor, preview, type FieldExpression } from './field-access.ts';

export type Reduce<T> = (accumulated: T, value: T) => T;

export function sumAggregation<T>(field: FieldExpression): Reduce<T> {
  const api = `sum(${JSON.stringify(field)})`;
  const accessor = fieldAccessor(field, api);
  return (acc, value) => accessor.with(acc, add(accessor.get(acc), accessor.get(value), api, value)) as T;
}

export function extremumAggregation<T>(
  field: FieldExpression,
  kind: 'min' | 'max' | 'minBy' | 'maxBy',
  first = true,
): Reduce<T> {
  const api = `${kind}(${JSON.stringify(field)})`;
  const accessor = fieldAccessor(field, api);
  const wantsSmaller = kind === 'min' || kind === 'minBy';
  const byRecord = kind === 'minBy' || kind === 'maxBy';
  return (acc, value) => {
    const current = comparable(accessor.get(acc), api, acc);
    const candidate = comparable(accessor.get(value), api, value);
    const candidateWins = wantsSmaller ? candidate < current : candidate > current;
    if (byRecord) {
      if (candidate === current) return first ? acc : value;
      return candidateWins ? value : acc;
    }
    return candidateWins ? (accessor.with(acc, candidate) as T) : acc;
  };
}

function add(a: unknown, b: unknown, api: string, record: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
  throw new TypeError(
    `${api}: field values must both be numbers or both bigints; got ${preview(b)} in ${preview(record)}`,
  );
}

function comparable(v: unknown, api: string, record: unknown): number | bigint | string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string') return v;
  throw new TypeError(`${api}: field must be a number, bigint or string; got ${preview(v)} in ${preview(record)}`);
}
