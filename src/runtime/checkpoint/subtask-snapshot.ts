/**
 * What one subtask hands to the checkpoint coordinator: the encoded state of every stateful operator of its chain
 * (and, for a source subtask, the reader's splits), ready to be written as blobs (checkpoint-storage.ts). Encoding
 * happens in the subtask, at the barrier, so that the operator may change its state right after, and so that a
 * worker sends bytes (transferred), never live objects.
 */
import type { ChainedOperator } from '../chain-output.ts';
import type { OperatorSnapshot } from './operator-state.ts';
import { encodeState } from './state-codec.ts';

export type CheckpointingMode = 'exactly-once' | 'at-least-once';

export interface EncodedOperatorState {
  /** The operator's state key: its uid, or one derived from the graph (operatorStateKey). */
  readonly key: string;
  readonly keyGroups: readonly (readonly [keyGroup: number, bytes: Uint8Array])[];
  /** Encoded operator-state list, absent when empty. */
  readonly operatorState?: Uint8Array;
  /** Encoded TaggedCommittables[] of a two-phase-commit sink, absent when none. */
  readonly committables?: Uint8Array;
}

export interface SubtaskSnapshot {
  readonly checkpointId: number;
  readonly vertexId: number;
  readonly subtaskIndex: number;
  /** The subtask had finished: this is its state at the end (Flink's "finished on restore"). */
  readonly finished: boolean;
  readonly operators: readonly EncodedOperatorState[];
}

/** A chained operator together with the key its state is stored under. */
export interface CheckpointedMember extends ChainedOperator {
  readonly stateKey: string;
}

/** How a subtask reaches the coordinator (inline: a direct call; workers: the worker's pending trigger call). */
export interface CheckpointWiring {
  /**
   * Whether checkpoints are taken. A job that only has two-phase-commit sinks is wired too (not enabled): its
   * subtasks keep their final state, whose committables the job commits at the end.
   */
  readonly enabled: boolean;
  readonly mode: CheckpointingMode;
  acknowledge(snapshot: SubtaskSnapshot): void;
}

/** Encodes one operator's snapshot; undefined when it holds nothing. */
export function encodeOperatorSnapshot(
  key: string,
  name: string,
  snapshot: OperatorSnapshot,
): EncodedOperatorState | undefined {
  const keyGroups: [number, Uint8Array][] = [];
  for (const [keyGroup, value] of snapshot.keyGroups ?? []) {
    keyGroups.push([keyGroup, encodeState(value, `the state of '${name}' (key group ${keyGroup})`)]);
  }
  const list = snapshot.operatorState ?? [];
  const committables = snapshot.committables ?? [];
  if (keyGroups.length === 0 && list.length === 0 && committables.length === 0) return undefined;
  return {
    key,
    keyGroups,
    ...(list.length > 0 ? { operatorState: encodeState(list, `the operator state of '${name}'`) } : {}),
    ...(committables.length > 0 ? { committables: encodeState(committables, `the committables of '${name}'`) } : {}),
  };
}

/** Every buffer a snapshot holds (the transfer list when it crosses to the host). */
export function snapshotBuffers(snapshot: SubtaskSnapshot): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  const add = (bytes: Uint8Array | undefined): void => {
    if (bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
      buffers.push(bytes.buffer as ArrayBuffer);
  };
  for (const op of snapshot.operators) {
    for (const [, bytes] of op.keyGroups) add(bytes);
    add(op.operatorState);
    add(op.committables);
  }
  return buffers;
}
