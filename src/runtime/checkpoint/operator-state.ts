/**
 * What an operator hands to a checkpoint and gets back on restore (SEMANTICS.md §6, §5.2). Values are plain data
 * that the runtime encodes with msgpackr (state-codec.ts): objects, arrays, numbers, strings, Maps, typed arrays.
 * Class instances come back as plain objects, so an operator stores e.g. a TimeWindow as `{ start, end }` and
 * rebuilds it.
 *
 * - `keyGroups`: keyed state (values, timers, windows) per key group, the unit of rescaling: after a restore at
 *   another parallelism a subtask receives exactly the key groups of its new range (key-groups.ts).
 * - `operatorState`: non-keyed state as a list (Flink's split-distribute operator ListState): when parallelism
 *   changes the lists of all old subtasks are concatenated and dealt round-robin; at the same parallelism subtask i
 *   gets back exactly what subtask i stored. Source splits live here.
 * - `committables`: what a two-phase-commit sink prepared at this barrier; committed by the sink's Committer once
 *   the checkpoint is complete, and committed again after a restore from this checkpoint (committers are idempotent).
 */
export interface OperatorSnapshot {
  readonly keyGroups?: ReadonlyMap<number, unknown>;
  readonly operatorState?: readonly unknown[];
  readonly committables?: readonly unknown[];
}

/** The part of a checkpoint one subtask restores from; empty maps and lists when the operator had no state. */
export interface RestoredOperatorState {
  /** Only key groups of this subtask's range that held state. */
  readonly keyGroups: ReadonlyMap<number, unknown>;
  readonly operatorState: readonly unknown[];
}

export const EMPTY_RESTORED_STATE: RestoredOperatorState = { keyGroups: new Map(), operatorState: [] };

/**
 * Optional operator hooks (see Operator in operator.ts). `snapshotState` runs when the subtask has received the
 * barrier on every input (aligned) — after every record before the barrier and before any after it; it must not
 * emit. `initializeState` runs after `open` and before the first record, only when the job restores.
 */
export interface CheckpointedOperator {
  snapshotState?(checkpointId: number): OperatorSnapshot;
  initializeState?(state: RestoredOperatorState): void;
}
