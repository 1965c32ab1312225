/**
 * The heap keyed state backend of one operator instance (Flink HeapKeyedStateBackend, SEMANTICS.md §5.1): the
 * registry of named states on top of the per-key tables (keyed-state-tables.ts). A state name has one kind and
 * one TTL setting for the life of the operator; getting it again returns the same handle, so a handle fetched in
 * `open` follows the current key like one fetched per record.
 *
 * A window operator uses it directly, with windows as namespaces:
 * ```ts
 * const backend = new HeapKeyedStateBackend<TimeWindow>({
 *   keyGroupOf: (key) => kernel.keyGroup(key, maxParallelism), namespaceId: (w) => w.id, defaultNamespace, now,
 * });
 * const contents = backend.getListState<T>('window-contents');
 * backend.setCurrentKey(key);               // per record or timer
 * contents.setCurrentNamespace(window);     // per window
 * contents.add(value); contents.mergeNamespaces(merged, [a, b]); contents.clear();
 * ```
 */
import type { ReduceFunction } from '../api/functions.ts';
import { AggregatingStateImpl, type AggregateStateFunction } from './aggregating-state.ts';
import { ListStateImpl } from './list-state.ts';
import { MapStateImpl } from './map-state.ts';
import { ReducingStateImpl } from './reducing-state.ts';
import { stateDescriptorOf, type StateDescriptorLike } from './keyed-state-store.ts';
import type { StateKind } from './keyed-state.ts';
import { KeyedStateTables, type KeyedStateBackendOptions } from './keyed-state-tables.ts';
import { ttlPolicy, type StateTtlConfig, type TtlPolicy } from './state-ttl.ts';
import { ValueStateImpl } from './value-state.ts';

/** What the backend knows of a state name: registered by a getter, or seen in a restored snapshot. */
export interface StateMeta {
  readonly id: number;
  readonly name: string;
  readonly kind: StateKind;
  readonly withTtl: boolean;
  ttl: StateTtlConfig | undefined;
  handle: unknown;
}

export class HeapKeyedStateBackend<N> extends KeyedStateTables<N> {
  private readonly states = new Map<string, StateMeta>();

  constructor(options: KeyedStateBackendOptions<N>) {
    super(options);
  }

  /** Every state name known to this backend, in registration order. */
  get stateMetas(): IterableIterator<StateMeta> {
    return this.states.values();
  }

  getValueState<T>(descriptor: StateDescriptorLike): ValueStateImpl<N, T> {
    return this.register('ValueState', descriptor, (d, policy) => new ValueStateImpl<N, T>(this, d, policy));
  }

  getListState<T>(descriptor: StateDescriptorLike): ListStateImpl<N, T> {
    return this.register('ListState', descriptor, (d, policy) => new ListStateImpl<N, T>(this, d, policy));
  }

  getMapState<UK, UV>(descriptor: StateDescriptorLike): MapStateImpl<N, UK, UV> {
    return this.register('MapState', descriptor, (d, policy) => new MapStateImpl<N, UK, UV>(this, d, policy));
  }

  /** The first registration's reduce function is kept; later calls with the same name return that state. */
  getReducingState<T>(descriptor: StateDescriptorLike, reduce: ReduceFunction<T>): ReducingStateImpl<N, T> {
    return this.register(
      'ReducingState',
      descriptor,
      (d, p) => new ReducingStateImpl<N, T>(this, d, p, reducer(reduce)),
    );
  }

  getAggregatingState<IN, ACC, OUT>(
    descriptor: StateDescriptorLike,
    fn: AggregateStateFunction<IN, ACC, OUT>,
  ): AggregatingStateImpl<N, IN, ACC, OUT> {
    return this.register('AggregatingState', descriptor, (d, p) => new AggregatingStateImpl(this, d, p, fn));
  }

  /** The meta of `name`, created (unregistered) if unknown; used by restore. */
  metaForRestore(name: string, kind: StateKind, withTtl: boolean): StateMeta {
    const existing = this.states.get(name);
    if (existing === undefined) {
      const meta: StateMeta = { id: this.states.size, name, kind, withTtl, ttl: undefined, handle: undefined };
      this.states.set(name, meta);
      return meta;
    }
    checkCompatible(existing, kind, withTtl);
    return existing;
  }

  /** Returns the handle of the named state, creating it on first use; per-record calls take the first branch. */
  private register<S>(
    kind: StateKind,
    descriptorLike: StateDescriptorLike,
    create: (meta: StateMeta, policy: TtlPolicy | undefined) => S,
  ): S {
    const isName = typeof descriptorLike === 'string';
    const existing = this.states.get(isName ? descriptorLike : descriptorLike?.name);
    if (existing?.handle !== undefined) {
      const ttl = isName ? undefined : descriptorLike.ttl;
      checkCompatible(existing, kind, ttl !== undefined);
      if (existing.ttl !== undefined && ttl !== existing.ttl && !existing.ttl.equals(ttl)) {
        throw new Error(`State '${existing.name}' has ${existing.ttl}; it cannot also be used with ${ttl}`);
      }
      return existing.handle as S;
    }
    const descriptor = stateDescriptorOf(descriptorLike);
    const meta = existing ?? this.metaForRestore(descriptor.name, kind, descriptor.ttl !== undefined);
    checkCompatible(meta, kind, descriptor.ttl !== undefined);
    const handle = create(meta, descriptor.ttl && ttlPolicy(descriptor.ttl, this.options.now));
    meta.ttl = descriptor.ttl;
    meta.handle = handle;
    return handle;
  }
}

/** ReduceFunction in either form, as a plain function (normalized once, when the state is created). */
function reducer<T>(fn: ReduceFunction<T>): (a: T, b: T) => T {
  if (typeof fn === 'function') return fn;
  if (fn !== null && typeof fn === 'object' && typeof fn.reduce === 'function') return (a, b) => fn.reduce(a, b);
  throw new TypeError('getReducingState expects a reduce function or an object with a reduce() method');
}

function checkCompatible(meta: StateMeta, kind: StateKind, withTtl: boolean): void {
  if (meta.kind !== kind) {
    throw new Error(`State '${meta.name}' is a ${meta.kind}; it cannot also be used as a ${kind}`);
  }
  if (meta.withTtl !== withTtl) {
    const has = (ttl: boolean) => (ttl ? 'with a TTL' : 'without a TTL');
    throw new Error(`State '${meta.name}' is a ${kind} ${has(meta.withTtl)}; it cannot be used ${has(withTtl)}`);
  }
}
