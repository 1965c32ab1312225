/**
 * How records cross an edge (SEMANTICS.md §7). `default` resolves at plan time, as Flink's StreamGraph does:
 * forward when both sides have the same parallelism, rebalance otherwise.
 */
export type PartitionerKind =
  'default' | 'forward' | 'rebalance' | 'shuffle' | 'broadcast' | 'rescale' | 'global' | 'keyGroup';

export interface PartitionerSpec {
  readonly kind: PartitionerKind;
  /** keyGroup only: extracts the key of a record. */
  readonly key?: (value: unknown) => unknown;
  /** keyGroup only, when the key is a field: named so the planner (and fingerprint) can see it. */
  readonly keyField?: string;
}

/** Partitioners whose channels connect subtask subsets one-to-one or one-to-few rather than all-to-all. */
export function isPointwise(kind: PartitionerKind): boolean {
  return kind === 'forward' || kind === 'rescale';
}
