/**
 * What every keyed state primitive shares (Flink AbstractHeapState + AbstractTtlDecorator): it is bound to one
 * state of one backend, reads and writes the cell of the backend's current key in its current namespace, and
 * applies the state's TTL policy, if any, to single stored values.
 */
import type { StateMeta } from './keyed-state-backend.ts';
import type { KeyedStateTables, NamespaceId } from './keyed-state-tables.ts';
import { isExpired, type TtlPolicy, type TtlValue } from './state-ttl.ts';

export type StateKind = 'ValueState' | 'ListState' | 'MapState' | 'ReducingState' | 'AggregatingState';

/** Every state has `clear()`: removes the current key's value (in the current namespace) only. */
export interface State {
  clear(): void;
}

export abstract class KeyedStateBase<N> implements State {
  readonly name: string;
  protected readonly stateId: number;
  protected namespace: N;
  protected namespaceId: NamespaceId;

  constructor(
    protected readonly tables: KeyedStateTables<N>,
    meta: StateMeta,
    /** Undefined when the state has no TTL. */
    protected readonly ttl: TtlPolicy | undefined,
  ) {
    this.stateId = meta.id;
    this.name = meta.name;
    this.namespace = tables.options.defaultNamespace;
    this.namespaceId = tables.options.namespaceId(this.namespace);
  }

  /** Scopes this handle to `namespace` (Flink InternalKvState#setCurrentNamespace). */
  setCurrentNamespace(namespace: N): void {
    this.namespace = namespace;
    this.namespaceId = this.tables.options.namespaceId(namespace);
  }

  clear(): void {
    this.tables.removeCell(this.stateId, this.namespaceId);
  }

  /** The stored representation in the current (key, namespace), or undefined. */
  protected stored(): unknown {
    return this.tables.cell(this.stateId, this.namespaceId)?.value;
  }

  protected store(value: unknown): void {
    this.tables.setCell(this.stateId, this.namespaceId, this.namespace, value);
  }

  /** Stores a single user value, stamped with the current time when the state has a TTL. */
  protected storeValue(value: unknown): void {
    this.store(this.ttl === undefined ? value : ({ value, lastAccess: this.ttl.now() } satisfies TtlValue<unknown>));
  }

  /**
   * The single user value, or undefined (AbstractTtlDecorator#getWrappedWithTtlCheckAndUpdate): an expired value
   * is removed, and returned this once only with ReturnExpiredIfNotCleanedUp; with OnReadAndWrite a read renews it.
   */
  protected readValue(): unknown {
    const stored = this.stored();
    const ttl = this.ttl;
    if (ttl === undefined || stored === undefined) return stored;
    const { value, lastAccess } = stored as TtlValue<unknown>;
    const now = ttl.now();
    if (isExpired(stored as TtlValue<unknown>, ttl, now)) {
      this.clear();
      return ttl.returnExpired ? value : undefined;
    }
    if (ttl.updateOnRead && lastAccess !== now) this.store({ value, lastAccess: now } satisfies TtlValue<unknown>);
    return value;
  }

  /**
   * The stored single value as an input to a reduce/aggregate step (Flink AbstractTtlDecorator#getUnexpired):
   * undefined when absent, or expired and not visible. Does not remove or renew anything.
   */
  protected unexpiredValue(): unknown {
    const stored = this.stored();
    const ttl = this.ttl;
    if (ttl === undefined || stored === undefined) return stored;
    if (!ttl.returnExpired && isExpired(stored as TtlValue<unknown>, ttl, ttl.now())) return undefined;
    return (stored as TtlValue<unknown>).value;
  }
}

/**
 * Merges the stored values of `sources` into `target` and removes the sources (Flink
 * AbstractHeapMergingState#mergeNamespaces: sources folded in order, then `merge(target, merged)`). Works on
 * stored representations; the handle's current namespace is unchanged. `merge` may return undefined (nothing left).
 */
export function mergeNamespaces<N>(
  tables: KeyedStateTables<N>,
  stateId: number,
  target: N,
  sources: readonly N[],
  merge: (a: unknown, b: unknown) => unknown,
): void {
  const namespaceId = tables.options.namespaceId;
  let merged: unknown = undefined;
  for (const source of sources) {
    const id = namespaceId(source);
    const value = tables.cell(stateId, id)?.value;
    if (value === undefined) continue;
    tables.removeCell(stateId, id);
    merged = merged === undefined ? value : merge(merged, value);
  }
  if (merged === undefined) return;
  const targetId = namespaceId(target);
  const current = tables.cell(stateId, targetId)?.value;
  const result = current === undefined ? merged : merge(current, merged);
  if (result === undefined) tables.removeCell(stateId, targetId);
  else tables.setCell(stateId, targetId, target, result);
}

/**
 * A merge of stored single values that honours TTL (Flink TtlReduceFunction / TtlAggregateFunction#merge): expired
 * invisible inputs are dropped, the result is stamped with the current time.
 */
export function ttlAwareMerge(
  ttl: TtlPolicy | undefined,
  merge: (a: unknown, b: unknown) => unknown,
): (a: unknown, b: unknown) => unknown {
  if (ttl === undefined) return merge;
  return (a, b) => {
    const now = ttl.now();
    const visible = (v: unknown) =>
      ttl.returnExpired || !isExpired(v as TtlValue<unknown>, ttl, now) ? (v as TtlValue<unknown>).value : undefined;
    const ua = visible(a);
    const ub = visible(b);
    if (ua === undefined && ub === undefined) return undefined;
    const value = ua === undefined ? ub : ub === undefined ? ua : merge(ua, ub);
    return { value, lastAccess: now } satisfies TtlValue<unknown>;
  };
}

/** The same error text as Flink's `Preconditions.checkNotNull` messages in HeapListState. */
export function checkNotNull(value: unknown, what: string): void {
  if (value === null || value === undefined) throw new TypeError(what);
}
