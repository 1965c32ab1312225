import type { CommittingSinkWriter, Sink, SinkWriteContext, SinkWriter } from '../../api/sink.ts';
import type { RecordBatch } from '../../batch/record-batch.ts';
import type { OperatorSnapshot } from '../checkpoint/operator-state.ts';
import { BaseOperator, type OperatorContext, type Output } from '../operator.ts';
import { MIN_WATERMARK, NO_TIMESTAMP } from '../time.ts';

class MutableWriteContext implements SinkWriteContext {
  timestamp: number | null = null;
  currentWatermark = MIN_WATERMARK;
}

/** Committables a writer prepared at barrier `tag` (a checkpoint id, or END_OF_INPUT_TAG); see committer-set.ts. */
export interface TaggedCommittables {
  readonly tag: number;
  readonly committables: readonly unknown[];
}

/** The tag of what a committing writer prepares at end of input (after every checkpoint id). */
export const END_OF_INPUT_TAG = Number.MAX_SAFE_INTEGER;

/**
 * Hands records to a user SinkWriter. Watermarks stop here. For a two-phase-commit sink it also keeps what the
 * writer prepared and the host has not confirmed committed: every snapshot carries all of it, so a checkpoint that
 * completes commits whatever an aborted one left behind (the host commits each tag once).
 */
export class SinkOperator<T> extends BaseOperator {
  private writer: SinkWriter<T> | undefined;
  private readonly writeContext = new MutableWriteContext();
  private uncommitted: TaggedCommittables[] = [];

  constructor(private readonly sink: Sink<T>) {
    super();
  }

  /** A two-phase-commit sink: its final state holds committables even when the job takes no checkpoints. */
  get twoPhaseCommit(): boolean {
    return this.sink.createCommitter !== undefined;
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    const { subtaskIndex, parallelism, checkpointing } = ctx;
    this.writer = this.sink.createWriter({ subtaskIndex, parallelism, checkpointing });
    if (
      this.sink.createCommitter &&
      typeof (this.writer as Partial<CommittingSinkWriter<T, unknown>>).prepareCommit !== 'function'
    ) {
      throw new TypeError('a sink with createCommitter() must create writers with a prepareCommit() method');
    }
  }

  processBatch(batch: RecordBatch<T>): void {
    const writer = this.writer as SinkWriter<T>;
    if (batch.columnar !== undefined && writer.writeBatch !== undefined) {
      const result: unknown = writer.writeBatch(batch.columnar, this.writeContext);
      if (result instanceof Promise) throw asyncWriterError(result, 'writeBatch');
      return;
    }
    const { values, timestamps } = batch;
    const context = this.writeContext;
    for (let i = 0; i < values.length; i++) {
      const ts = timestamps[i] as number;
      context.timestamp = ts === NO_TIMESTAMP ? null : ts;
      const result: unknown = writer.write(values[i] as T, context);
      if (result instanceof Promise) throw asyncWriterError(result, 'write');
    }
  }

  override processWatermark(timestamp: number): void {
    this.writeContext.currentWatermark = timestamp;
  }

  override processWatermarkStatus(): void {}

  snapshotState(checkpointId: number): OperatorSnapshot {
    if (!this.sink.createCommitter) return {};
    this.prepare(checkpointId);
    return { committables: this.uncommitted.slice() };
  }

  /** The host committed every tag up to `checkpointId`: forget them. */
  notifyCheckpointComplete(checkpointId: number): void {
    this.uncommitted = this.uncommitted.filter((entry) => entry.tag > checkpointId);
  }

  override endInput(): void {
    this.writer?.flush?.(true);
    if (this.sink.createCommitter) this.prepare(END_OF_INPUT_TAG);
  }

  override close(): void {
    this.writer?.close?.();
  }

  private prepare(tag: number): void {
    const prepared = (this.writer as CommittingSinkWriter<T, unknown>).prepareCommit();
    if (!Array.isArray(prepared))
      throw new TypeError('SinkWriter.prepareCommit() must return an array of committables');
    if (prepared.length === 0) return;
    const last = this.uncommitted.at(-1);
    // The final snapshot after end of input prepares under the same tag: one entry per tag, as the host commits by tag.
    if (last?.tag === tag)
      this.uncommitted[this.uncommitted.length - 1] = { tag, committables: [...last.committables, ...prepared] };
    else this.uncommitted.push({ tag, committables: prepared });
  }
}

function asyncWriterError(result: Promise<unknown>, method: string): TypeError {
  result.catch(() => {});
  return new TypeError(`SinkWriter.${method} returned a Promise: asynchronous sink writers are not supported yet`);
}
