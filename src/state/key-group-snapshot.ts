/**
 * Keyed state as plain rows per key group (SEMANTICS.md §5.2: key groups are the unit of snapshot, restore and
 * rescaling). A checkpoint writes one blob per key group from `snapshotKeyGroups`; a subtask restored at any
 * parallelism feeds the key groups of its new range to `restoreKeyGroup`. TTL timestamps are part of the rows,
 * TTL configs are not (§5.1).
 *
 * Rows share the user values held by the backend: serialize them before the operator processes anything else.
 */
import { keyIdentity } from '../wasm/key-encoding.ts';
import type { HeapKeyedStateBackend, StateMeta } from './keyed-state-backend.ts';
import type { StateKind } from './keyed-state.ts';
import type { MapEntry } from './map-state.ts';

export interface StateRow<N> {
  readonly state: string;
  readonly kind: StateKind;
  readonly withTtl: boolean;
  readonly key: unknown;
  readonly namespace: N;
  /** ListState: array of elements; MapState: array of [userKey, value] pairs; else the value. TtlValues with TTL. */
  readonly value: unknown;
}

export interface KeyGroupSnapshot<N> {
  readonly keyGroup: number;
  readonly rows: readonly StateRow<N>[];
}

/** One snapshot per key group holding state, ascending by key group. */
export function snapshotKeyGroups<N>(backend: HeapKeyedStateBackend<N>): KeyGroupSnapshot<N>[] {
  const metas: StateMeta[] = [];
  for (const meta of backend.stateMetas) metas[meta.id] = meta;
  return backend.keyGroups().map((keyGroup) => {
    const rows: StateRow<N>[] = [];
    for (const entry of backend.keysInGroup(keyGroup)) {
      entry.tables.forEach((table, stateId) => {
        const meta = metas[stateId] as StateMeta;
        for (const cell of table?.values() ?? []) {
          const { name: state, kind, withTtl } = meta;
          rows.push({
            state,
            kind,
            withTtl,
            key: entry.key,
            namespace: cell.namespace,
            value: toRow(kind, cell.value),
          });
        }
      });
    }
    return { keyGroup, rows };
  });
}

/** Adds the rows of one key group to `backend` (typically empty, before the first record). */
export function restoreKeyGroup<N>(backend: HeapKeyedStateBackend<N>, snapshot: KeyGroupSnapshot<N>): void {
  const { keyGroupOf, namespaceId } = backend.options;
  for (const row of snapshot.rows) {
    if (row.value === undefined || (Array.isArray(row.value) && row.value.length === 0)) continue; // nothing held
    const keyGroup = keyGroupOf(row.key);
    if (keyGroup !== snapshot.keyGroup) {
      throw new Error(
        `Cannot restore state '${row.state}': its key belongs to key group ${keyGroup}, not ${snapshot.keyGroup} ` +
          '(was maxParallelism changed? SEMANTICS.md §5.2)',
      );
    }
    const meta = backend.metaForRestore(row.state, row.kind, row.withTtl);
    backend.setCurrentKey(row.key);
    backend.setCell(meta.id, namespaceId(row.namespace), row.namespace, fromRow(row.kind, row.value));
  }
}

function toRow(kind: StateKind, stored: unknown): unknown {
  if (kind === 'ListState') return (stored as unknown[]).slice();
  if (kind === 'MapState')
    return [...(stored as Map<unknown, MapEntry<unknown>>).values()].map((e) => [e.key, e.value]);
  return stored;
}

function fromRow(kind: StateKind, value: unknown): unknown {
  if (kind === 'ListState') return (value as unknown[]).slice();
  if (kind === 'MapState') {
    const pairs = value as [unknown, unknown][];
    return new Map(pairs.map(([key, v]) => [keyIdentity(key), { key, value: v } satisfies MapEntry<unknown>]));
  }
  return value;
}
