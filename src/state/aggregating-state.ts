/**
 * AggregatingState (SEMANTICS.md §5.1; Flink HeapAggregatingState, TtlAggregatingState + TtlAggregateFunction):
 * `add` folds each value into an accumulator (`createAccumulator` when empty); `get` is `getResult(accumulator)`.
 * Stored as the accumulator, or as a TtlValue when the state has a TTL (renewed by every add).
 */
import type { AggregateFunction } from '../api/windowing/window-functions.ts';
import { KeyedStateBase, mergeNamespaces, ttlAwareMerge, type State } from './keyed-state.ts';
import type { KeyedStateTables } from './keyed-state-tables.ts';
import type { StateMeta } from './keyed-state-backend.ts';
import type { TtlPolicy } from './state-ttl.ts';

/** Flink's AggregateFunction: `merge` is needed only when namespaces are merged (session windows). */
export type AggregateStateFunction<IN, ACC, OUT> = AggregateFunction<IN, ACC, OUT>;

export interface AggregatingState<IN, OUT> extends State {
  /** `getResult` of the accumulator, or null when nothing was added (or it expired). */
  get(): OUT | null;
  /** Folds `value` into the accumulator. `null` clears (HeapAggregatingState). */
  add(value: IN | null | undefined): void;
}

export class AggregatingStateImpl<N, IN, ACC, OUT> extends KeyedStateBase<N> implements AggregatingState<IN, OUT> {
  constructor(
    tables: KeyedStateTables<N>,
    meta: StateMeta,
    ttl: TtlPolicy | undefined,
    private readonly fn: AggregateStateFunction<IN, ACC, OUT>,
  ) {
    super(tables, meta, ttl);
    for (const method of ['createAccumulator', 'add', 'getResult'] as const) {
      if (typeof fn?.[method] !== 'function') {
        throw new TypeError(`AggregatingState '${meta.name}': the AggregateFunction needs a ${method}() method`);
      }
    }
  }

  get(): OUT | null {
    const accumulator = this.readValue();
    return accumulator === undefined ? null : this.fn.getResult(accumulator as ACC);
  }

  add(value: IN | null | undefined): void {
    if (value === null || value === undefined) return this.clear();
    // TtlAggregateFunction#add: an expired, invisible accumulator starts over.
    const current = this.unexpiredValue();
    const accumulator = current === undefined ? this.fn.createAccumulator() : (current as ACC);
    this.storeValue(this.fn.add(value, accumulator));
  }

  /** Merges the accumulators of `sources` into `target`'s with `merge` and removes them (window merging). */
  mergeNamespaces(target: N, sources: readonly N[]): void {
    const fn = this.fn;
    const mergeAccumulators = fn.merge;
    if (typeof mergeAccumulators !== 'function') {
      throw new TypeError(`AggregatingState '${this.name}': AggregateFunction.merge is required to merge namespaces`);
    }
    const merge = ttlAwareMerge(this.ttl, (a, b) => mergeAccumulators.call(fn, a as ACC, b as ACC));
    mergeNamespaces(this.tables, this.stateId, target, sources, merge);
  }
}
