/**
 * Per-key storage of the heap keyed state backend (Flink HeapKeyedStateBackend's StateTables, SEMANTICS.md §5):
 * every value belongs to a (key, state, namespace) triple. Process functions use the single VOID_NAMESPACE; a
 * window operator uses one namespace per window. Each key's key group (§5.2) is computed once, when the key first
 * stores something, so state can be snapshotted and restored per key group (key-group-snapshot.ts).
 *
 * ```
 *  keyGroups: keyGroup ──► keyId ──► KeyEntry { key, keyGroup, tables[stateId] }
 *                                              tables[stateId]: namespaceId ──► StateCell { namespace, value }
 *  keys:      keyId ──► the same KeyEntry        (one Map lookup per record on the hot path)
 * ```
 *
 * Invariants: an entry exists only while it holds at least one cell, a table only while it holds a cell; empty
 * ones are dropped at once, so memory follows live state. The current key is set per record (`setCurrentKey`);
 * its identity (keyIdentity) and entry are resolved lazily, at most once per record, when state is first touched.
 */
import { keyIdentity, type KeyIdentity } from '../wasm/key-encoding.ts';

/** The namespace of state that is not scoped to anything narrower than the key (Flink VoidNamespace). */
export const VOID_NAMESPACE = 'VoidNamespace';
export type VoidNamespace = typeof VOID_NAMESPACE;

export type NamespaceId = string | number;

export interface StateCell<N> {
  readonly namespace: N;
  /** The stored representation of the state's kind (see each state file); never undefined. */
  value: unknown;
}

export interface KeyEntry<N> {
  readonly key: unknown;
  readonly keyId: KeyIdentity;
  readonly keyGroup: number;
  /** Cells of each state (by state id) for this key, by namespace id; undefined while the state holds nothing. */
  readonly tables: (Map<NamespaceId, StateCell<N>> | undefined)[];
  /** Number of defined tables. */
  tableCount: number;
}

export interface KeyedStateBackendOptions<N> {
  /** Key group of a key under the job's maxParallelism (kernel.keyGroup). */
  readonly keyGroupOf: (key: unknown) => number;
  /** A stable, unique id of a namespace (e.g. a window's start and end). */
  readonly namespaceId: (namespace: N) => NamespaceId;
  /** The namespace new state handles start in. */
  readonly defaultNamespace: N;
  /** The job's processing-time clock, for TTL. */
  readonly now: () => number;
}

const NO_KEY =
  'No key set: keyed state and timers can only be used while a keyed function processes a record or a timer';

export class KeyedStateTables<N> {
  private readonly keys = new Map<KeyIdentity, KeyEntry<N>>();
  private readonly groups = new Map<number, Map<KeyIdentity, KeyEntry<N>>>();

  private hasKey = false;
  private key: unknown = undefined;
  private keyIdKnown = false;
  private keyId: KeyIdentity = undefined;
  private entryKnown = false;
  private entry: KeyEntry<N> | undefined = undefined;

  constructor(readonly options: KeyedStateBackendOptions<N>) {}

  /** Makes `key` current (per record: cheap, nothing is hashed until state is touched). */
  setCurrentKey(key: unknown): void {
    this.hasKey = true;
    this.key = key;
    this.keyIdKnown = false;
    this.entryKnown = false;
  }

  /** Makes `key` current when its identity is already known (a timer's key). */
  setCurrentKeyWithId(key: unknown, keyId: KeyIdentity): void {
    this.setCurrentKey(key);
    this.keyId = keyId;
    this.keyIdKnown = true;
  }

  get currentKey(): unknown {
    if (!this.hasKey) throw new Error(NO_KEY);
    return this.key;
  }

  /** keyIdentity of the current key, computed at most once per key change. */
  currentKeyId(): KeyIdentity {
    if (!this.keyIdKnown) {
      if (!this.hasKey) throw new Error(NO_KEY);
      this.keyId = keyIdentity(this.key);
      this.keyIdKnown = true;
    }
    return this.keyId;
  }

  /** The current key's cell of state `stateId` in namespace `namespaceId`, if it holds a value. */
  cell(stateId: number, namespaceId: NamespaceId): StateCell<N> | undefined {
    return this.currentEntry()?.tables[stateId]?.get(namespaceId);
  }

  /** Stores `value` (not undefined) in the current key's cell, creating entry, table and cell as needed. */
  setCell(stateId: number, namespaceId: NamespaceId, namespace: N, value: unknown): void {
    const entry = this.currentEntry() ?? this.createEntry();
    let table = entry.tables[stateId];
    if (table === undefined) {
      table = new Map();
      entry.tables[stateId] = table;
      entry.tableCount++;
    }
    const cell = table.get(namespaceId);
    if (cell === undefined) table.set(namespaceId, { namespace, value });
    else cell.value = value;
  }

  /** Removes the current key's cell, dropping a table or entry left empty. */
  removeCell(stateId: number, namespaceId: NamespaceId): void {
    const entry = this.currentEntry();
    const table = entry?.tables[stateId];
    if (entry === undefined || table === undefined || !table.delete(namespaceId) || table.size > 0) return;
    entry.tables[stateId] = undefined;
    if (--entry.tableCount === 0) this.dropEntry(entry);
  }

  /** Number of keys holding state. */
  get numKeys(): number {
    return this.keys.size;
  }

  /** Key groups holding state, ascending. */
  keyGroups(): number[] {
    return [...this.groups.keys()].sort((a, b) => a - b);
  }

  /** The keys of `keyGroup` holding state (a live view: do not change state while iterating). */
  keysInGroup(keyGroup: number): IterableIterator<KeyEntry<N>> {
    return (this.groups.get(keyGroup) ?? new Map<KeyIdentity, KeyEntry<N>>()).values();
  }

  private currentEntry(): KeyEntry<N> | undefined {
    if (!this.entryKnown) {
      this.entry = this.keys.get(this.currentKeyId());
      this.entryKnown = true;
    }
    return this.entry;
  }

  private createEntry(): KeyEntry<N> {
    const keyId = this.currentKeyId();
    const keyGroup = this.options.keyGroupOf(this.key);
    const entry: KeyEntry<N> = { key: this.key, keyId, keyGroup, tables: [], tableCount: 0 };
    this.keys.set(keyId, entry);
    let group = this.groups.get(keyGroup);
    if (group === undefined) this.groups.set(keyGroup, (group = new Map()));
    group.set(keyId, entry);
    this.entry = entry;
    return entry;
  }

  private dropEntry(entry: KeyEntry<N>): void {
    this.keys.delete(entry.keyId);
    const group = this.groups.get(entry.keyGroup);
    group?.delete(entry.keyId);
    if (group?.size === 0) this.groups.delete(entry.keyGroup);
    if (this.entry === entry) this.entry = undefined;
  }
}
