/**
 * ReducingState (SEMANTICS.md §5.1; Flink HeapReducingState, TtlReducingState + TtlReduceFunction): `add` folds
 * each value into the stored one with the reduce function; the first value is stored as it is. Stored as the
 * reduced value, or as a TtlValue when the state has a TTL (renewed by every add).
 */
import { KeyedStateBase, mergeNamespaces, ttlAwareMerge, type State } from './keyed-state.ts';
import type { KeyedStateTables } from './keyed-state-tables.ts';
import type { StateMeta } from './keyed-state-backend.ts';
import type { TtlPolicy } from './state-ttl.ts';

export interface ReducingState<T> extends State {
  /** The reduced value, or null when nothing was added (or it expired). */
  get(): T | null;
  /** Folds `value` in: `reduce(current, value)`, or `value` itself when empty. `null` clears (HeapReducingState). */
  add(value: T | null | undefined): void;
}

export class ReducingStateImpl<N, T> extends KeyedStateBase<N> implements ReducingState<T> {
  constructor(
    tables: KeyedStateTables<N>,
    meta: StateMeta,
    ttl: TtlPolicy | undefined,
    private readonly reduce: (a: T, b: T) => T,
  ) {
    super(tables, meta, ttl);
  }

  get(): T | null {
    const value = this.readValue();
    return value === undefined ? null : (value as T);
  }

  add(value: T | null | undefined): void {
    if (value === null || value === undefined) return this.clear();
    // TtlReduceFunction: an expired, invisible current value is replaced rather than reduced with.
    const current = this.unexpiredValue();
    this.storeValue(current === undefined ? value : this.reduce(current as T, value));
  }

  /** Reduces the values of `sources` into `target`'s and removes them (window merging). */
  mergeNamespaces(target: N, sources: readonly N[]): void {
    const merge = ttlAwareMerge(this.ttl, (a, b) => this.reduce(a as T, b as T));
    mergeNamespaces(this.tables, this.stateId, target, sources, merge);
  }
}
