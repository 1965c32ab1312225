/**
 * How user functions reach keyed state (DESIGN.md §1; Flink KeyedStateStore / RuntimeContext#getState): by name,
 * or by a descriptor `{ name, ttl }` to give the state a time-to-live. The same name always yields the same state
 * (kind and TTL must match), scoped to the current key of the operator instance that owns it.
 */
import type { ReduceFunction } from '../api/functions.ts';
import type { AggregateStateFunction, AggregatingState } from './aggregating-state.ts';
import type { HeapKeyedStateBackend } from './keyed-state-backend.ts';
import type { ListState } from './list-state.ts';
import type { MapState } from './map-state.ts';
import type { ReducingState } from './reducing-state.ts';
import { StateTtlConfig } from './state-ttl.ts';
import type { ValueState } from './value-state.ts';

/** Names a state; `ttl` makes its values expire (StateDescriptor#enableTimeToLive). */
export interface StateDescriptor {
  readonly name: string;
  readonly ttl?: StateTtlConfig;
}

export type StateDescriptorLike = string | StateDescriptor;

export interface KeyedStateStore {
  getState<T>(descriptor: StateDescriptorLike): ValueState<T>;
  getListState<T>(descriptor: StateDescriptorLike): ListState<T>;
  getMapState<UK, UV>(descriptor: StateDescriptorLike): MapState<UK, UV>;
  /** The reduce function of the first call for a name is the one used. */
  getReducingState<T>(descriptor: StateDescriptorLike, reduceFunction: ReduceFunction<T>): ReducingState<T>;
  /** The aggregate function of the first call for a name is the one used. */
  getAggregatingState<IN, ACC, OUT>(
    descriptor: StateDescriptorLike,
    aggregateFunction: AggregateStateFunction<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT>;
}

/** Validates and normalizes a name or descriptor. */
export function stateDescriptorOf(descriptor: StateDescriptorLike): StateDescriptor {
  const d = typeof descriptor === 'string' ? { name: descriptor } : descriptor;
  if (d === null || typeof d !== 'object' || typeof d.name !== 'string' || d.name === '') {
    throw new TypeError('keyed state needs a non-empty name, or a descriptor { name, ttl? }');
  }
  if (d.ttl !== undefined && !(d.ttl instanceof StateTtlConfig)) {
    throw new TypeError(`state '${d.name}': ttl must be built with StateTtlConfig.newBuilder(ms)…build()`);
  }
  return d;
}

/** The default-namespace state getters of `backend`, as handed to keyed user functions. */
export function keyedStateStore<N>(backend: HeapKeyedStateBackend<N>): KeyedStateStore {
  return {
    getState: (descriptor) => backend.getValueState(descriptor),
    getListState: (descriptor) => backend.getListState(descriptor),
    getMapState: (descriptor) => backend.getMapState(descriptor),
    getReducingState: (descriptor, reduceFunction) => backend.getReducingState(descriptor, reduceFunction),
    getAggregatingState: (descriptor, aggregateFunction) => backend.getAggregatingState(descriptor, aggregateFunction),
  };
}
