/**
 * MapState (SEMANTICS.md §5.1; Flink HeapMapState, TtlMapState): a map per key and namespace. User keys follow
 * key equality (keyIdentity: strings, numbers, bigints, booleans, null, undefined and arrays of those; `-0` is
 * `0`, composite keys compare by value). Stored as a non-empty Map from user-key identity to `{ key, value }`,
 * the value being a TtlValue when the state has a TTL — then every entry expires on its own, and an expired
 * entry is removed when it is read (get, contains, iteration).
 */
import { keyIdentity, type KeyIdentity } from '../wasm/key-encoding.ts';
import { KeyedStateBase, type State } from './keyed-state.ts';
import { isExpired, type TtlValue } from './state-ttl.ts';

export interface MapState<UK, UV> extends State {
  /** The value of `key`, or null when absent (or expired). */
  get(key: UK): UV | null;
  put(key: UK, value: UV): void;
  /** Puts every entry of a Map or of an iterable of `[key, value]` pairs. */
  putAll(entries: Iterable<readonly [UK, UV]>): void;
  contains(key: UK): boolean;
  remove(key: UK): void;
  /** The entries in insertion order, as a fresh array (safe to change the state while looping over it). */
  entries(): [UK, UV][];
  keys(): UK[];
  values(): UV[];
  isEmpty(): boolean;
}

/** One stored entry: the user key as given first, and the value (or its TtlValue). */
export interface MapEntry<UK> {
  readonly key: UK;
  value: unknown;
}

/** Marks "no visible entry" (a stored value may itself be null or undefined). */
const MISSING: unique symbol = Symbol('missing');

export class MapStateImpl<N, UK, UV> extends KeyedStateBase<N> implements MapState<UK, UV> {
  get(key: UK): UV | null {
    const value = this.read(this.userKeyId(key), this.storedMap());
    return value === MISSING ? null : ((value ?? null) as UV | null);
  }

  put(key: UK, value: UV): void {
    const id = this.userKeyId(key);
    const stored = this.storedMap();
    const wrapped = this.ttl === undefined ? value : ({ value, lastAccess: this.ttl.now() } satisfies TtlValue<UV>);
    const entry = stored?.get(id);
    if (entry !== undefined) entry.value = wrapped;
    else if (stored !== undefined) stored.set(id, { key, value: wrapped });
    else this.store(new Map([[id, { key, value: wrapped }]]));
  }

  putAll(entries: Iterable<readonly [UK, UV]>): void {
    if (entries === null || entries === undefined) return;
    for (const [key, value] of entries) this.put(key, value);
  }

  contains(key: UK): boolean {
    return this.read(this.userKeyId(key), this.storedMap()) !== MISSING;
  }

  remove(key: UK): void {
    const id = this.userKeyId(key);
    const stored = this.storedMap();
    if (stored?.delete(id) && stored.size === 0) this.clear();
  }

  entries(): [UK, UV][] {
    const out: [UK, UV][] = [];
    this.visit((key, value) => void out.push([key, value]));
    return out;
  }

  keys(): UK[] {
    const out: UK[] = [];
    this.visit((key) => void out.push(key));
    return out;
  }

  values(): UV[] {
    const out: UV[] = [];
    this.visit((_key, value) => void out.push(value));
    return out;
  }

  isEmpty(): boolean {
    let empty = true;
    this.visit(() => ((empty = false), true));
    return empty;
  }

  private storedMap(): Map<KeyIdentity, MapEntry<UK>> | undefined {
    return this.stored() as Map<KeyIdentity, MapEntry<UK>> | undefined;
  }

  /** Visits visible entries in order (TtlMapState's EntriesIterator) until `visit` returns true. */
  private visit(visit: (key: UK, value: UV) => boolean | void): void {
    const stored = this.storedMap();
    if (stored === undefined) return;
    // Deleting from a Map while iterating it is safe: removed entries are simply not visited.
    for (const [id, entry] of stored) {
      const value = this.read(id, stored);
      if (value !== MISSING && visit(entry.key, value as UV) === true) return;
    }
  }

  /**
   * The value of the entry `id` (AbstractTtlDecorator#getWrappedWithTtlCheckAndUpdate per entry): an expired
   * entry is removed, and returned this once only with ReturnExpiredIfNotCleanedUp; OnReadAndWrite renews it.
   */
  private read(id: KeyIdentity, stored: Map<KeyIdentity, MapEntry<UK>> | undefined): unknown {
    const entry = stored?.get(id);
    if (entry === undefined || stored === undefined) return MISSING;
    const ttl = this.ttl;
    if (ttl === undefined) return entry.value;
    const { value, lastAccess } = entry.value as TtlValue<unknown>;
    const now = ttl.now();
    if (isExpired(entry.value as TtlValue<unknown>, ttl, now)) {
      stored.delete(id);
      if (stored.size === 0) this.clear();
      return ttl.returnExpired ? value : MISSING;
    }
    if (ttl.updateOnRead && lastAccess !== now) entry.value = { value, lastAccess: now } satisfies TtlValue<unknown>;
    return value;
  }

  private userKeyId(key: UK): KeyIdentity {
    try {
      return keyIdentity(key);
    } catch (err) {
      throw new TypeError(`MapState '${this.name}': ${(err as Error).message}`, { cause: err });
    }
  }
}
