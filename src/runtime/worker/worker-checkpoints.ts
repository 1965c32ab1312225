/**
 * Checkpoints inside one worker (SEMANTICS.md §6, workers mode): the host's coordinator calls the worker's
 * `triggerCheckpoint(id)`, which announces the checkpoint to this worker's subtasks and resolves once every one of
 * them acknowledged it — sources at their next step, aligned subtasks when the barrier arrived on every input
 * (barriers cross workers in-band, remote-channel.ts), finished subtasks at once. The snapshots then travel to the
 * host as one reply, their bytes transferred.
 */
import type { LoadedCheckpoint } from '../checkpoint/checkpoint-restore.ts';
import {
  snapshotBuffers,
  type CheckpointingMode,
  type CheckpointWiring,
  type SubtaskSnapshot,
} from '../checkpoint/subtask-snapshot.ts';

/** What the host sends a worker at deploy when the job is wired for checkpoints. */
export interface WorkerCheckpointSpec {
  readonly enabled: boolean;
  readonly mode: CheckpointingMode;
  /**
   * The checkpoint the attempt restores from, as the host loaded and checked it (JobRecovery); every worker gets all
   * of it (state here is small) and picks its subtasks' parts with restoredStateFor, as an inline job does.
   */
  readonly restore?: LoadedCheckpoint;
}

interface PendingAcks {
  readonly acks: SubtaskSnapshot[];
  done(acks: SubtaskSnapshot[]): void;
}

export class WorkerCheckpoints {
  private readonly pending = new Map<number, PendingAcks>();

  constructor(private readonly subtaskCount: () => number) {}

  /** The wiring deploy hands every subtask of this worker. */
  wiring(spec: WorkerCheckpointSpec): CheckpointWiring {
    return { enabled: spec.enabled, mode: spec.mode, acknowledge: (snapshot) => this.acknowledge(snapshot) };
  }

  /** Runs `announce` (which tells the subtasks) and resolves with every local subtask's snapshot of `id`. */
  collect(id: number, announce: () => void): Promise<SubtaskSnapshot[]> {
    // The coordinator runs one checkpoint at a time: an older one still pending here was abandoned there.
    for (const [older, entry] of this.pending) {
      if (older >= id) continue;
      this.pending.delete(older);
      entry.done([]);
    }
    const collected = new Promise<SubtaskSnapshot[]>((done) => this.pending.set(id, { acks: [], done }));
    announce(); // finished subtasks acknowledge synchronously, hence the entry exists first
    const entry = this.pending.get(id);
    if (entry && entry.acks.length >= this.subtaskCount()) this.settle(id, entry);
    return collected;
  }

  private acknowledge(snapshot: SubtaskSnapshot): void {
    const entry = this.pending.get(snapshot.checkpointId);
    if (!entry) return;
    entry.acks.push(snapshot);
    if (entry.acks.length >= this.subtaskCount()) this.settle(snapshot.checkpointId, entry);
  }

  private settle(id: number, entry: PendingAcks): void {
    this.pending.delete(id);
    entry.done(entry.acks);
  }
}

/**
 * The buffers to transfer with `snapshots`: only those of running subtasks. A finished subtask acknowledges the same
 * final-state bytes at every checkpoint (and in finalSnapshots), so they are copied, never detached; a buffer is
 * listed once, as a transfer list may not repeat one.
 */
export function transferableBuffers(snapshots: readonly SubtaskSnapshot[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const snapshot of snapshots) {
    if (snapshot.finished) continue;
    for (const buffer of snapshotBuffers(snapshot)) buffers.add(buffer);
  }
  return [...buffers];
}
