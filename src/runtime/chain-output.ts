/**
 * The Output handed to an operator inside a subtask: its main output goes to chained successors (direct calls)
 * and to network writers; side outputs go to the writers of the edges that read them. Watermarks and idleness go
 * everywhere, including side-output edges, as in Flink.
 */
import type { RecordBatch } from '../batch/record-batch.ts';
import type { Operator, Output } from './operator.ts';
import type { RecordWriter } from './record-writer.ts';

export interface ChainedOperator {
  readonly name: string;
  readonly operator: Operator;
  /** Where its state lives in a checkpoint: the uid, or a key derived from the graph (checkpoint-layout.ts). */
  readonly stateKey?: string;
}

/** Runs `fn`, attributing any error to the operator `name` (see OperatorError). */
export type Guard = <T>(name: string, fn: () => T) => T;

export class ChainOutput implements Output {
  private readonly allWriters: RecordWriter[];

  constructor(
    private readonly chained: readonly ChainedOperator[],
    private readonly writers: readonly RecordWriter[],
    private readonly sideWriters: ReadonlyMap<string, readonly RecordWriter[]>,
    private readonly guard: Guard,
  ) {
    this.allWriters = [...writers, ...[...sideWriters.values()].flat()];
  }

  collect(batch: RecordBatch): boolean {
    if (batch.length === 0) return true;
    let released = true;
    for (const c of this.chained)
      released = this.guard(c.name, () => c.operator.processBatch(batch)) === true && released;
    for (const w of this.writers) released = w.write(batch) && released;
    return released;
  }

  emitWatermark(timestamp: number): void {
    for (const c of this.chained) this.guard(c.name, () => c.operator.processWatermark(timestamp));
    for (const w of this.allWriters) w.broadcastEvent({ kind: 'watermark', timestamp });
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const c of this.chained) this.guard(c.name, () => c.operator.processWatermarkStatus(idle));
    for (const w of this.allWriters) w.broadcastEvent({ kind: 'status', idle });
  }

  collectSide(tagId: string, value: unknown, timestamp: number): void {
    const writers = this.sideWriters.get(tagId);
    if (writers) for (const w of writers) w.writeOne(value, timestamp);
  }
}
