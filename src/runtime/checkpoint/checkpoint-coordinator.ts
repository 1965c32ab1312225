/**
 * The checkpoint coordinator (Flink's CheckpointCoordinator, SEMANTICS.md §6), on the host: triggers checkpoints
 * periodically (one at a time, Flink's default of one concurrent checkpoint), collects every subtask's snapshot,
 * writes the blobs and then the manifest — the commit point — commits two-phase-commit sinks' committables, tells
 * the subtasks, and deletes checkpoints beyond the number retained. A checkpoint that does not complete within
 * `timeoutMs` is abandoned; the next one supersedes it.
 *
 * The coordinator lives as long as the job; each attempt (the first run and every restart) attaches its own
 * transport — direct calls inline, the control plane in workers mode — and detaches when it ends.
 */
import type { Committer } from '../../api/sink.ts';
import type { BlobEntry, StateBackend } from '../../state/backends/state-backend.ts';
import type { TaggedCommittables } from '../sinks/sink-operator.ts';
import {
  committablesPath,
  encodeManifest,
  keyGroupPath,
  manifestPath,
  operatorStatePath,
  parseSnapshotDirectory,
  snapshotDirectory,
  MANIFEST_VERSION,
  type CheckpointManifest,
  type ManifestOperator,
  type SnapshotKind,
} from './checkpoint-layout.ts';
import { decodeState } from './state-codec.ts';
import type { CheckpointingMode, SubtaskSnapshot } from './subtask-snapshot.ts';

export interface CheckpointConfig {
  readonly intervalMs: number;
  readonly mode: CheckpointingMode;
  readonly timeoutMs: number;
  /** Completed checkpoints kept in storage (Flink's state.checkpoints.num-retained); older ones are deleted. */
  readonly retained: number;
}

/** One operator of the running job, as the manifest lists it. */
export interface OperatorInfo {
  readonly key: string;
  readonly name: string;
  readonly parallelism: number;
}

/** What the coordinator needs from the running attempt. */
export interface CheckpointTransport {
  /** Tells every subtask checkpoint `id` started (sources inject its barrier); snapshots arrive through `acknowledge`. */
  announce(id: number): void;
  /** Checkpoint `id` completed and its committables were committed. */
  notifyComplete(id: number): void;
}

export interface CompletedCheckpoint {
  readonly id: number;
  readonly kind: SnapshotKind;
  /** The directory in the state backend, e.g. `chk-7`: what `savepointPath` takes to start from it. */
  readonly path: string;
  /** Milliseconds from trigger to manifest written. */
  readonly durationMs: number;
  /** Bytes of state written (blobs, manifest excluded). */
  readonly stateBytes: number;
}

interface PendingCheckpoint {
  readonly id: number;
  readonly kind: SnapshotKind;
  readonly started: number;
  readonly acks: SubtaskSnapshot[];
  /** Subtasks expected: every subtask of the attempt that started it. */
  readonly expected: number;
  /** Whether completing it commits side effects (checkpoints and stop-with-savepoint; not plain savepoints). */
  readonly commits: boolean;
  readonly settle: { resolve(done: CompletedCheckpoint): void; reject(error: Error): void };
  readonly timer: ReturnType<typeof setTimeout>;
  /** Set once every snapshot arrived: it is being written and will complete whatever happens to the attempt. */
  writing?: Promise<void>;
  /** Resolves when it completed or was abandoned. */
  readonly done: Promise<void>;
}

export class CheckpointAbortedError extends Error {
  override name = 'CheckpointAbortedError';
}

export class CheckpointCoordinator {
  private transport: CheckpointTransport | undefined;
  private expectedAcks = 0;
  private pending: PendingCheckpoint | undefined;
  private lastId = 0;
  private periodic: ReturnType<typeof setTimeout> | undefined;
  /** `<operator key>#<subtask>#<tag>` of every committable group committed by this job (commits happen once). */
  private readonly committed = new Set<string>();
  private readonly completed: CompletedCheckpoint[] = [];
  /** Why the last checkpoints failed, newest last (metrics and tests); a failed checkpoint does not fail the job. */
  readonly failures: Error[] = [];

  constructor(
    private readonly config: CheckpointConfig,
    readonly backend: StateBackend,
    private readonly job: {
      readonly jobName: string;
      readonly maxParallelism: number;
      readonly operators: readonly OperatorInfo[];
    },
    private readonly committers: ReadonlyMap<string, Committer<unknown>>,
  ) {}

  /** Ids continue after `checkpointId` (a restored one), so storage never holds two snapshots with one id. */
  continueAfter(checkpointId: number): void {
    this.lastId = Math.max(this.lastId, checkpointId);
  }

  /** The newest completed checkpoint or savepoint of this job. */
  get latest(): CompletedCheckpoint | undefined {
    return this.completed.at(-1);
  }

  get completedCheckpoints(): readonly CompletedCheckpoint[] {
    return this.completed;
  }

  /** An attempt starts: snapshots come from its `expectedAcks` subtasks through `transport`. */
  attach(transport: CheckpointTransport, expectedAcks: number, periodic: boolean): void {
    this.transport = transport;
    this.expectedAcks = expectedAcks;
    if (periodic && this.config.intervalMs > 0) this.schedule();
  }

  /** The attempt ended (finished, failed or cancelled): a pending checkpoint is abandoned, triggers stop. */
  detach(reason: string): void {
    if (this.periodic !== undefined) clearTimeout(this.periodic);
    this.periodic = undefined;
    this.transport = undefined;
    this.abandon(new CheckpointAbortedError(`checkpoint abandoned: ${reason}`));
  }

  /**
   * Starts a checkpoint or savepoint now; resolves once its manifest is written (and, when `commits`, its
   * committables committed). Rejects with CheckpointAbortedError when one is already in progress.
   */
  trigger(
    kind: SnapshotKind,
    commits = kind === 'checkpoint',
    beforeAnnounce?: () => void,
  ): Promise<CompletedCheckpoint> {
    const transport = this.transport;
    if (!transport) return Promise.reject(new CheckpointAbortedError('the job is not running'));
    if (this.pending) {
      const id = this.pending.id;
      if (kind === 'checkpoint')
        return Promise.reject(new CheckpointAbortedError(`checkpoint ${id} is still in progress`));
      // A savepoint waits for the checkpoint in progress (one at a time), as Flink queues it.
      return this.pending.done.then(() => this.trigger(kind, commits, beforeAnnounce));
    }
    const id = ++this.lastId;
    let settled!: () => void;
    const done = new Promise<void>((resolve) => (settled = resolve));
    return new Promise<CompletedCheckpoint>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.abandon(new CheckpointAbortedError(`checkpoint ${id} expired after ${this.config.timeoutMs} ms`), id),
        this.config.timeoutMs,
      );
      this.pending = {
        id,
        kind,
        started: performance.now(),
        acks: [],
        expected: this.expectedAcks,
        commits,
        settle: {
          resolve: (checkpoint) => {
            settled();
            resolve(checkpoint);
          },
          reject: (error) => {
            settled();
            reject(error);
          },
        },
        timer,
        done,
      };
      beforeAnnounce?.(); // synchronously with the announce: no other checkpoint can come in between
      transport.announce(id);
    });
  }

  /** A subtask's snapshot for a pending checkpoint; late ones (of an abandoned checkpoint) are dropped. */
  acknowledge(snapshot: SubtaskSnapshot): void {
    const pending = this.pending;
    if (!pending || pending.id !== snapshot.checkpointId) return;
    pending.acks.push(snapshot);
    if (pending.acks.length === pending.expected) pending.writing = this.complete(pending);
  }

  /** Resolves once a checkpoint being written (all snapshots in) has completed or failed. */
  async settled(): Promise<void> {
    await this.pending?.writing;
  }

  /**
   * Commits committables (from a restored checkpoint, or the final state of a finished job) not committed yet by
   * this coordinator, in order of their tags per subtask.
   */
  async commitPending(
    groups: readonly { key: string; subtask: number; entries: readonly TaggedCommittables[] }[],
    restored = false,
  ): Promise<void> {
    for (const { key, subtask, entries } of groups) {
      const committer = this.committers.get(key);
      if (!committer || (restored && committer.recommitOnRestore === false)) continue;
      for (const entry of [...entries].sort((a, b) => a.tag - b.tag)) {
        const id = `${key}#${subtask}#${entry.tag}`;
        if (this.committed.has(id)) continue;
        // Marked before the await: a checkpoint completing while the job's final commit runs must not commit the
        // same group a second time (that race duplicated a checkpoint's collected records in workers mode).
        this.committed.add(id);
        try {
          await committer.commit(entry.committables);
        } catch (err) {
          this.committed.delete(id);
          throw err;
        }
      }
    }
  }

  private async complete(pending: PendingCheckpoint): Promise<void> {
    try {
      const done = await this.write(pending);
      if (pending.commits) await this.commitPending(committablesOf(pending.acks));
      clearTimeout(pending.timer);
      this.pending = undefined;
      this.completed.push(done);
      if (pending.commits) this.transport?.notifyComplete(pending.id);
      await this.prune();
      pending.settle.resolve(done);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.abandon(
        new CheckpointAbortedError(`checkpoint ${pending.id} failed: ${error.message}`, { cause: error }),
        pending.id,
        true,
      );
    }
  }

  /** Writes every blob, then the manifest. */
  private async write(pending: PendingCheckpoint): Promise<CompletedCheckpoint> {
    const dir = snapshotDirectory(pending.kind, pending.id);
    const entries: BlobEntry[] = [];
    const byKey = new Map<string, { keyGroups: number[]; operatorState: number[]; committables: number[] }>();
    for (const op of this.job.operators) byKey.set(op.key, { keyGroups: [], operatorState: [], committables: [] });
    let stateBytes = 0;
    for (const ack of pending.acks) {
      for (const op of ack.operators) {
        const listed = byKey.get(op.key);
        if (!listed)
          throw new Error(`internal error: a snapshot names operator '${op.key}', which the job does not have`);
        for (const [keyGroup, bytes] of op.keyGroups) {
          entries.push([keyGroupPath(dir, op.key, keyGroup), bytes]);
          listed.keyGroups.push(keyGroup);
          stateBytes += bytes.byteLength;
        }
        if (op.operatorState) {
          entries.push([operatorStatePath(dir, op.key, ack.subtaskIndex), op.operatorState]);
          listed.operatorState.push(ack.subtaskIndex);
          stateBytes += op.operatorState.byteLength;
        }
        if (op.committables) {
          entries.push([committablesPath(dir, op.key, ack.subtaskIndex), op.committables]);
          listed.committables.push(ack.subtaskIndex);
          stateBytes += op.committables.byteLength;
        }
      }
    }
    await this.backend.putAll(entries);
    const operators: ManifestOperator[] = this.job.operators.map((op) => {
      const listed = byKey.get(op.key) as { keyGroups: number[]; operatorState: number[]; committables: number[] };
      const sorted = (list: number[]): number[] => list.sort((a, b) => a - b);
      return {
        ...op,
        keyGroups: sorted(listed.keyGroups),
        operatorState: sorted(listed.operatorState),
        committables: sorted(listed.committables),
      };
    });
    const manifest: CheckpointManifest = {
      version: MANIFEST_VERSION,
      checkpointId: pending.id,
      kind: pending.kind,
      jobName: this.job.jobName,
      timestamp: Date.now(),
      maxParallelism: this.job.maxParallelism,
      operators,
    };
    await this.backend.put(manifestPath(dir), encodeManifest(manifest));
    return {
      id: pending.id,
      kind: pending.kind,
      path: dir,
      durationMs: performance.now() - pending.started,
      stateBytes,
    };
  }

  /** Deletes completed checkpoints (never savepoints) beyond the newest `retained`. */
  private async prune(): Promise<void> {
    const checkpoints = this.completed.filter((c) => c.kind === 'checkpoint');
    for (const old of checkpoints.slice(0, Math.max(0, checkpoints.length - this.config.retained))) {
      await this.deleteSnapshot(old.path);
      this.completed.splice(this.completed.indexOf(old), 1);
    }
  }

  private async deleteSnapshot(dir: string): Promise<void> {
    if (!parseSnapshotDirectory(dir)) return;
    // The manifest first: from then on the directory is no checkpoint, whatever remains of it.
    await this.backend.delete(manifestPath(dir));
    for (const path of await this.backend.list(`${dir}/`)) await this.backend.delete(path);
  }

  private abandon(error: CheckpointAbortedError, onlyId?: number, force = false): void {
    const pending = this.pending;
    if (!pending || (onlyId !== undefined && pending.id !== onlyId)) return;
    // A checkpoint with every snapshot in is consistent even if the attempt that made it fails: let it complete.
    if (pending.writing && !force) return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    this.failures.push(error);
    pending.settle.reject(error);
  }

  private schedule(): void {
    this.periodic = setTimeout(() => {
      this.periodic = undefined;
      if (!this.transport) return;
      if (!this.pending) this.trigger('checkpoint').catch(() => {}); // failures are kept in `failures`
      this.schedule();
    }, this.config.intervalMs);
  }
}

/** The committables in a set of subtask snapshots, grouped per operator and subtask. */
export function committablesOf(
  acks: readonly SubtaskSnapshot[],
): { key: string; subtask: number; entries: TaggedCommittables[] }[] {
  const groups: { key: string; subtask: number; entries: TaggedCommittables[] }[] = [];
  for (const ack of acks) {
    for (const op of ack.operators) {
      if (!op.committables) continue;
      const entries = decodeState(op.committables, `the committables of '${op.key}'`) as TaggedCommittables[];
      groups.push({ key: op.key, subtask: ack.subtaskIndex, entries });
    }
  }
  return groups;
}
