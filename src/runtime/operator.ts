/**
 * The operator lifecycle (after Arroyo's hooks and Flink's StreamOperator): open, then any number of
 * processBatch / processWatermark / processWatermarkStatus calls, then endInput once when every input has ended,
 * then close. Operators are synchronous; a subtask calls them from its `step()`.
 */
import type { RuntimeContext } from '../api/functions.ts';
import type { RecordBatch } from '../batch/record-batch.ts';
import type { Kernel } from '../wasm/kernel.ts';
import type { CheckpointedOperator } from './checkpoint/operator-state.ts';
import type { ProcessingTimeService } from './processing-time.ts';

/** Where an operator sends what it produces. Records keep the order in which they are collected. */
export interface Output {
  /**
   * True when nothing downstream keeps `batch` or any of its arrays past this call, so the caller may reuse them
   * (a source's buffers: SourceReader.recycle). False whenever that is not known for sure.
   */
  collect(batch: RecordBatch): boolean;
  emitWatermark(timestamp: number): void;
  emitWatermarkStatus(idle: boolean): void;
  /** One record to the side output named by `tagId`; dropped when nothing reads that tag (as in Flink). */
  collectSide(tagId: string, value: unknown, timestamp: number): void;
}

export interface OperatorContext {
  readonly operatorName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly kernel: Kernel;
  readonly processingTime: ProcessingTimeService;
  /** Sink for user-requested printing (`print()`); the platform's stdout unless the environment overrides it. */
  readonly writeLine: (line: string) => void;
  /** Whether the job takes checkpoints (two-phase-commit sinks then pre-commit at every barrier). */
  readonly checkpointing: boolean;
}

/**
 * Checkpointing hooks are optional (checkpoint/operator-state.ts): an operator without `snapshotState` holds no
 * state that a checkpoint needs (map, filter, …).
 */
export interface Operator extends CheckpointedOperator {
  open(ctx: OperatorContext, output: Output): void;
  /**
   * Returns true only when neither this operator nor anything it handed `batch` to keeps the batch or any of its
   * arrays past the call (see Output.collect); nothing returned means it may be kept.
   */
  processBatch(batch: RecordBatch): boolean | void;
  /** Called with the combined input watermark, only when it advances. Must emit results before forwarding. */
  processWatermark(timestamp: number): void;
  processWatermarkStatus(idle: boolean): void;
  /** Every input has ended: flush what is pending. Results may still be emitted. */
  endInput(): void;
  /** True for two-phase-commit sinks: the job commits their final committables at its end. */
  readonly twoPhaseCommit?: boolean;
  /** Checkpoint `checkpointId` completed (its manifest is written and its committables committed). */
  notifyCheckpointComplete?(checkpointId: number): void;
  close(): void;
}

/** The part of the operator context user functions see in `open`. */
export function runtimeContextOf(ctx: OperatorContext): RuntimeContext {
  return {
    operatorName: ctx.operatorName,
    subtaskIndex: ctx.subtaskIndex,
    parallelism: ctx.parallelism,
    maxParallelism: ctx.maxParallelism,
  };
}

/** Defaults for every hook: watermarks and status pass through; nothing to flush or release. */
export abstract class BaseOperator implements Operator {
  protected output!: Output;
  protected ctx!: OperatorContext;

  open(ctx: OperatorContext, output: Output): void {
    this.ctx = ctx;
    this.output = output;
  }

  abstract processBatch(batch: RecordBatch): boolean | void;

  processWatermark(timestamp: number): void {
    this.output.emitWatermark(timestamp);
  }

  processWatermarkStatus(idle: boolean): void {
    this.output.emitWatermarkStatus(idle);
  }

  endInput(): void {}

  close(): void {}
}
