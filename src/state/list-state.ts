/**
 * ListState (SEMANTICS.md §5.1; Flink HeapListState, UserFacingListState, TtlListState): a list per key and
 * namespace. Stored as a non-empty array of values, or of TtlValues when the state has a TTL — then every element
 * expires on its own, and expired elements are removed when the list is read.
 */
import { checkNotNull, KeyedStateBase, mergeNamespaces, type State } from './keyed-state.ts';
import { isExpired, type TtlValue } from './state-ttl.ts';

export interface ListState<T> extends State {
  /** The elements, oldest first, as a fresh array; empty when unset (UserFacingListState). */
  get(): T[];
  add(value: T): void;
  addAll(values: Iterable<T>): void;
  /** Replaces the list; `null`, `undefined` or an empty list clears it. */
  update(values: Iterable<T> | null | undefined): void;
}

const NULL_ELEMENT = 'You cannot add null to a ListState.';

export class ListStateImpl<N, T> extends KeyedStateBase<N> implements ListState<T> {
  get(): T[] {
    const stored = this.stored() as T[] | TtlValue<T>[] | undefined;
    if (stored === undefined) return [];
    const ttl = this.ttl;
    if (ttl === undefined) return (stored as T[]).slice();
    const now = ttl.now();
    const visible: T[] = [];
    const kept: TtlValue<T>[] = [];
    for (const element of stored as TtlValue<T>[]) {
      if (isExpired(element, ttl, now)) {
        if (ttl.returnExpired) visible.push(element.value);
        continue;
      }
      visible.push(element.value);
      kept.push(ttl.updateOnRead ? { value: element.value, lastAccess: now } : element);
    }
    if (kept.length === 0) this.clear();
    else if (ttl.updateOnRead || kept.length < stored.length) this.store(kept);
    return visible;
  }

  add(value: T): void {
    checkNotNull(value, NULL_ELEMENT);
    const element = this.element(value);
    const stored = this.stored() as unknown[] | undefined;
    if (stored === undefined) this.store([element]);
    else stored.push(element);
  }

  addAll(values: Iterable<T>): void {
    checkNotNull(values, 'List of values to add cannot be null.');
    const elements = this.elements(values);
    if (elements.length === 0) return;
    const stored = this.stored() as unknown[] | undefined;
    if (stored === undefined) this.store(elements);
    else for (const element of elements) stored.push(element);
  }

  update(values: Iterable<T> | null | undefined): void {
    const elements = values === null || values === undefined ? [] : this.elements(values);
    if (elements.length === 0) this.clear();
    else this.store(elements);
  }

  /** Appends the lists of `sources` to `target`'s, in order, and removes them (window merging; elements keep their TTL stamps). */
  mergeNamespaces(target: N, sources: readonly N[]): void {
    mergeNamespaces(this.tables, this.stateId, target, sources, (a, b) => (a as unknown[]).concat(b as unknown[]));
  }

  private element(value: T): T | TtlValue<T> {
    return this.ttl === undefined ? value : { value, lastAccess: this.ttl.now() };
  }

  /** Checks every value first, so a null element leaves the state unchanged. */
  private elements(values: Iterable<T>): unknown[] {
    const elements: unknown[] = [];
    for (const value of values) {
      checkNotNull(value, NULL_ELEMENT);
      elements.push(this.element(value));
    }
    return elements;
  }
}
