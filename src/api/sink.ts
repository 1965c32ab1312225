/**
 * The sink contract (after Flink's Sink V2): one writer per parallel subtask, `write` per record, `flush(true)`
 * once at end of input, `close` last. Writers are synchronous; returning a Promise from `write` is refused.
 *
 * Exactly-once sinks add two-phase commit (Sink V2 `SupportsCommitter`, SEMANTICS.md §6): the writer's
 * `prepareCommit()` hands over what it wrote since the last call as committables — at every checkpoint barrier
 * (pre-commit) and once at end of input — and the sink's Committer makes them visible once the checkpoint that
 * holds them is complete (commit). Committables are stored in the checkpoint: after a failure, what was not
 * committed is discarded and replayed from the sources, and a restore commits the restored checkpoint's
 * committables again, so `commit` must be idempotent. The Committer runs where the job was started (the host).
 */
import type { ColumnarBatch } from '../batch/columnar-batch.ts';

export interface SinkContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** Whether the job takes checkpoints: a committing writer then gets `prepareCommit()` at every barrier. */
  readonly checkpointing: boolean;
}

export interface SinkWriteContext {
  /** Event timestamp of the record, or null when it has none. */
  readonly timestamp: number | null;
  readonly currentWatermark: number;
}

/** What `writeBatch` is told besides the batch (timestamps are the batch's own `timestamps` column). */
export interface SinkBatchContext {
  readonly currentWatermark: number;
}

export interface SinkWriter<T> {
  write(value: T, context: SinkWriteContext): void;
  /**
   * Optional: takes a columnar batch whole, so that no row object is built for it (columns in, columns out). When a
   * writer has it, columnar batches arrive here and only batches of objects go to `write`, in stream order either
   * way. The batch and its arrays are the writer's for the duration of the call only: copy what you keep.
   */
  writeBatch?(batch: ColumnarBatch, context: SinkBatchContext): void;
  flush?(endOfInput: boolean): void;
  close?(): void;
}

/** The writer of a two-phase-commit sink: see the module comment. */
export interface CommittingSinkWriter<T, C> extends SinkWriter<T> {
  /** What was written since the last call, ready to be committed once the current checkpoint completes. */
  prepareCommit(): C[];
}

export interface Committer<C> {
  /** Makes `committables` visible. Called again with the same committables after a restore: be idempotent. */
  commit(committables: readonly C[]): void | Promise<void>;
  /**
   * Whether a job started from a checkpoint or savepoint commits the committables stored in it again (default
   * true: the earlier run may have failed between completing the checkpoint and committing). False for sinks whose
   * commits went to the earlier run itself, such as collecting to the caller.
   */
  readonly recommitOnRestore?: boolean;
  close?(): void | Promise<void>;
}

export interface Sink<T> {
  createWriter(context: SinkContext): SinkWriter<T>;
  /** Present on two-phase-commit sinks; their writers must implement CommittingSinkWriter. */
  createCommitter?(): Committer<unknown>;
}

/** `sinkTo` also takes a plain function, shorthand for a stateless writer. */
export type SinkLike<T> = Sink<T> | ((value: T, context: SinkWriteContext) => void);
