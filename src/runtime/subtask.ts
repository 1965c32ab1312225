/**
 * A subtask: one parallel instance of a vertex (an operator chain). It never owns a loop or a timer; the
 * scheduler calls `step(budget)` and the subtask processes at most about `budget` records, then returns what it
 * is waiting for. This is what lets one engine run in a browser tab, a Deno isolate and a Node process.
 */
import { wireBuffers } from '../batch/buffer-pool.ts';
import { BACK_PRESSURED, BUSY, IDLE, TimeMeter, type TimeState } from './metrics/time-meter.ts';
import type { ChainOutput, ChainedOperator, Guard } from './chain-output.ts';
import type { Channel } from './channel.ts';
import {
  encodeOperatorSnapshot,
  type CheckpointWiring,
  type EncodedOperatorState,
  type SubtaskSnapshot,
} from './checkpoint/subtask-snapshot.ts';
import { OperatorError } from './errors.ts';
import type { ProcessingTimeQueue } from './processing-time.ts';
import type { RecordWriter } from './record-writer.ts';
import type { SourceReader } from './sources/source-reader.ts';
import { MAX_WATERMARK, MIN_WATERMARK } from './time.ts';
import { StatusWatermarkValve } from './watermark-valve.ts';

/** worked: made progress; idle: no input; blocked: no output credit; waiting: async source; clock: see SourcePoll. */
export type StepOutcome = 'worked' | 'idle' | 'blocked' | 'waiting' | 'clock' | 'finished';

export interface SubtaskInfo {
  readonly id: number;
  readonly index: number;
  readonly parallelism: number;
  /** The plan vertex this subtask runs (same id in every worker) and its name, the chain's names joined by ' -> '. */
  readonly vertexId: number;
  readonly vertexName: string;
}

export abstract class Subtask {
  finished = false;
  /** Set while an asynchronous source waits; cleared when the promise settles. */
  waitingFor: Promise<void> | undefined;
  /** Records read from input channels, or for a source subtask from its reader (metrics, SEMANTICS.md §8). */
  recordsIn = 0;
  /** Busy, idle and back-pressured time, charged per step by the scheduler through `account`. */
  readonly meter = new TimeMeter(performance.now());
  /** Set by deploy when the job takes checkpoints. */
  checkpointing: CheckpointWiring | undefined;
  /** The state this subtask finished with (committables a job commits at its end); undefined while running. */
  get finalSnapshot(): SubtaskSnapshot | undefined {
    if (!this.finalState) return undefined;
    const { vertexId, index: subtaskIndex } = this.info;
    return {
      checkpointId: Number.MAX_SAFE_INTEGER,
      vertexId,
      subtaskIndex,
      finished: true,
      operators: this.finalState,
    };
  }

  /** A checkpoint the coordinator announced that this subtask has not acknowledged yet. */
  protected announced: number | undefined;
  /** Set for a draining stop-with-savepoint: the state at the end is kept whole even without checkpointing. */
  keepFinalState = false;
  /** The state at the end, taken between endInput and close: what a finished subtask acknowledges. */
  private finalState: readonly EncodedOperatorState[] | undefined;

  protected constructor(
    readonly info: SubtaskInfo,
    /** Chained operators in topological order, each fed by its predecessor or by this subtask's input. */
    protected readonly members: readonly ChainedOperator[],
    protected readonly writers: readonly RecordWriter[],
    protected readonly timers: ProcessingTimeQueue,
  ) {}

  abstract step(budget: number): StepOutcome;

  /** Where the subtask stands between steps: what it would be doing were it on a thread of its own (time-meter.ts). */
  protected abstract stateAfterStep(): TimeState;

  /** Charges a step that ran over [start, end] with `outcome` to the meter; called by the scheduler once per step. */
  account(start: number, end: number, outcome: StepOutcome): void {
    if (outcome === 'finished') return; // the meter stopped in finish()
    const during = outcome === 'worked' ? BUSY : outcome === 'blocked' ? BACK_PRESSURED : IDLE;
    this.meter.step(start, end, during, this.stateAfterStep(), this.recordsIn, this.recordsOut);
  }

  /** Records written to outgoing network edges. */
  get recordsOut(): number {
    let n = 0;
    for (const w of this.writers) n += w.recordsWritten;
    return n;
  }

  /** The watermark this subtask's chain last received (metrics); -Infinity before any. */
  abstract get inputWatermark(): number;

  /** Records queued on this subtask's input channels. */
  get queuedRecords(): number {
    return 0;
  }

  /** Data batches queued on this subtask's input channels. */
  get queuedBatches(): number {
    return 0;
  }

  /** Runs `fn`, turning any error into an OperatorError for operator `name` of this subtask. */
  readonly guard: Guard = (name, fn) => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof OperatorError) throw err;
      throw new OperatorError(name, this.info.index, this.info.parallelism, err);
    }
  };

  protected hasCredit(): boolean {
    for (const w of this.writers) if (!w.hasCredit()) return false;
    return true;
  }

  protected flush(): void {
    for (const w of this.writers) w.flush();
  }

  /** Pushes buffered output to channels; the scheduler calls it after firing this subtask's timers. */
  flushOutputs(): void {
    this.flush();
  }

  /**
   * The coordinator started checkpoint `checkpointId`. A source subtask injects its barrier at its next step; other
   * subtasks snapshot when the barrier has arrived on every input; a finished one acknowledges its final state now.
   */
  announceCheckpoint(checkpointId: number): void {
    if (this.finished) {
      this.acknowledge(checkpointId, this.finalState ?? [], true);
      return;
    }
    this.announced = checkpointId;
  }

  /** Checkpoint `checkpointId` is complete: operators may forget what it holds (committed sink transactions). */
  notifyCheckpointComplete(checkpointId: number): void {
    if (this.finished) return;
    for (const m of this.members) {
      const operator = m.operator;
      if (operator.notifyCheckpointComplete)
        this.guard(m.name, () => operator.notifyCheckpointComplete?.(checkpointId));
    }
  }

  /** Snapshots the chain at barrier `checkpointId` and hands it to the coordinator. Never emits. */
  protected snapshotAtBarrier(checkpointId: number): void {
    this.acknowledge(checkpointId, this.snapshotOperators(checkpointId), false);
  }

  /** The encoded state of every stateful chained operator (a source subtask adds its reader's splits). */
  /** With `onlyCommitting`, only two-phase-commit sinks (their committables): the final state of a plain job. */
  protected snapshotOperators(checkpointId: number, onlyCommitting = false): EncodedOperatorState[] {
    const encoded: EncodedOperatorState[] = [];
    for (const m of this.members) {
      const operator = m.operator;
      if (!operator.snapshotState || m.stateKey === undefined) continue;
      if (onlyCommitting && operator.twoPhaseCommit !== true) continue;
      const key = m.stateKey;
      const state = this.guard(m.name, () => {
        const snapshot = operator.snapshotState?.(checkpointId) ?? {};
        return encodeOperatorSnapshot(key, m.name, snapshot);
      });
      if (state) encoded.push(state);
    }
    return encoded;
  }

  private acknowledge(checkpointId: number, operators: readonly EncodedOperatorState[], finished: boolean): void {
    if (this.announced !== undefined && this.announced <= checkpointId) this.announced = undefined;
    const snapshot: SubtaskSnapshot = {
      checkpointId,
      vertexId: this.info.vertexId,
      subtaskIndex: this.info.index,
      finished,
      operators,
    };
    this.checkpointing?.acknowledge(snapshot);
  }

  /** End of input: endInput on every chained operator in order, close them, then signal the end downstream. */
  protected finish(): void {
    for (const m of this.members) this.guard(m.name, () => m.operator.endInput());
    if (this.checkpointing) {
      // Without checkpoints (or a draining stop-with-savepoint) only two-phase-commit sinks need their final state.
      const onlyCommitting = !this.checkpointing.enabled && !this.keepFinalState;
      this.finalState = this.snapshotOperators(Number.MAX_SAFE_INTEGER, onlyCommitting);
      // Announced, and never to see its barrier on every input: the end stands for it (Flink's finished tasks).
      if (this.announced !== undefined) this.acknowledge(this.announced, this.finalState, true);
    }
    for (const m of this.members) this.guard(m.name, () => m.operator.close());
    for (const w of this.writers) w.broadcastEvent({ kind: 'end' });
    this.finished = true;
    this.timers.dropOwner(this.info.id);
    this.meter.stop(performance.now());
  }

  /** Failure or cancellation: release operators, ignoring their errors (the first failure is what is reported). */
  abort(): void {
    for (const m of this.members) {
      try {
        m.operator.close();
      } catch {
        // secondary failure during teardown; the job already failed or was cancelled
      }
    }
    this.finished = true;
    this.timers.dropOwner(this.info.id);
    this.meter.stop(performance.now());
  }
}

/** A subtask whose chain starts at a source. */
export class SourceSubtask extends Subtask {
  /** A clock advance the source asked for; applied by the scheduler once the job is quiescent. */
  pendingClockAdvance = 0;
  /**
   * Stop-with-savepoint: 'suspend' stops reading right after the next barrier (the savepoint's); 'drain' ends the
   * input now — MAX watermark, endInput everywhere — keeping the reader's position (SEMANTICS.md §2.6).
   */
  stopRequest: 'suspend' | 'drain' | undefined;
  private suspended = false;
  private lastWatermark = MIN_WATERMARK;

  constructor(
    info: SubtaskInfo,
    private readonly sourceName: string,
    private readonly reader: SourceReader,
    private readonly output: ChainOutput,
    members: readonly ChainedOperator[],
    writers: readonly RecordWriter[],
    timers: ProcessingTimeQueue,
    /**
     * Most records asked of the reader per credit check (deploy passes the batch size): what a poll emits after the
     * last check is the overshoot past a channel's credit, so this bounds buffered records (backpressure.spec.ts).
     */
    private readonly pollLimit = Infinity,
    /** Where the reader's splits live in a checkpoint (see ChainedOperator.stateKey). */
    private readonly sourceStateKey = '',
  ) {
    super(info, members, writers, timers);
  }

  get inputWatermark(): number {
    return this.lastWatermark;
  }

  protected stateAfterStep(): TimeState {
    if (this.waitingFor || this.pendingClockAdvance > 0) return IDLE;
    return this.hasCredit() ? BUSY : BACK_PRESSURED;
  }

  step(budget: number): StepOutcome {
    if (this.finished) return 'finished';
    const barrier = this.announced;
    if (barrier !== undefined) {
      // Barriers are injected between polls, so the reader's position is exactly what was emitted before them.
      this.snapshotAtBarrier(barrier);
      for (const w of this.writers) w.broadcastEvent({ kind: 'barrier', checkpointId: barrier });
      if (this.stopRequest === 'suspend') this.suspended = true;
    }
    if (this.suspended) {
      this.waitingFor ??= new Promise<void>(() => {}); // until the job stops
      return 'waiting';
    }
    if (this.stopRequest === 'drain') {
      this.emitWatermark(MAX_WATERMARK);
      this.finish();
      this.guard(this.sourceName, () => this.reader.close());
      return 'finished';
    }
    if (this.waitingFor) return 'waiting';
    if (this.pendingClockAdvance > 0) return 'clock';
    let processed = 0;
    while (processed < budget) {
      if (!this.hasCredit()) break;
      const poll = this.guard(this.sourceName, () => this.reader.poll(Math.min(budget - processed, this.pollLimit)));
      if (poll.kind === 'batch') {
        processed += Math.max(1, poll.batch.length);
        this.recordsIn += poll.batch.length;
        if (this.output.collect(poll.batch)) this.reader.recycle?.(poll.batch);
      } else if (poll.kind === 'watermark') {
        processed++;
        this.emitWatermark(poll.timestamp);
      } else if (poll.kind === 'advance-clock') {
        this.pendingClockAdvance = poll.ms;
        break;
      } else if (poll.kind === 'pending') {
        const ready = poll.ready.then(() => {
          if (this.waitingFor === ready) this.waitingFor = undefined;
        });
        this.waitingFor = ready;
        break;
      } else {
        // A bounded source that finishes cleanly ends event time (SEMANTICS.md §2.6); a cancelled one never gets here.
        this.emitWatermark(MAX_WATERMARK);
        this.finish(); // snapshots the reader's final position when the job checkpoints
        this.guard(this.sourceName, () => this.reader.close());
        return 'finished';
      }
    }
    this.flush();
    if (processed > 0) return 'worked';
    if (this.pendingClockAdvance > 0) return 'clock';
    return this.waitingFor ? 'waiting' : 'blocked';
  }

  /** Whether the reader can be part of a checkpoint or savepoint (see SourceReader.snapshotState). */
  get replayable(): boolean {
    return this.reader.snapshotState !== undefined;
  }

  protected override snapshotOperators(checkpointId: number, onlyCommitting = false): EncodedOperatorState[] {
    const chained = super.snapshotOperators(checkpointId, onlyCommitting);
    if (onlyCommitting) return chained;
    const reader = this.reader;
    const splits = this.guard(this.sourceName, () => {
      if (!reader.snapshotState) throw new Error(`'${this.sourceName}' is not replayable: it cannot be snapshotted`);
      return reader.snapshotState();
    });
    const own = encodeOperatorSnapshot(this.sourceStateKey, this.sourceName, { operatorState: splits });
    return own ? [own, ...chained] : chained;
  }

  override abort(): void {
    try {
      this.reader.close();
    } catch {
      // see Subtask#abort
    }
    super.abort();
  }

  private emitWatermark(timestamp: number): void {
    if (timestamp <= this.lastWatermark) return;
    this.lastWatermark = timestamp;
    this.output.emitWatermark(timestamp);
  }
}

/** A subtask fed by channels from upstream subtasks, combined by a watermark valve. */
export class InputSubtask extends Subtask {
  private readonly valve: StatusWatermarkValve;
  private readonly ended: boolean[];
  private endedCount = 0;
  private nextChannel = 0;
  /** The checkpoint whose barriers are being aligned, and the channels that delivered its barrier. */
  private aligning: number | undefined;
  private readonly barrierReceived: boolean[];
  /** Exactly-once: a channel that delivered the barrier is not read until the others have (SEMANTICS.md §6). */
  private blockAligned = false;

  constructor(
    info: SubtaskInfo,
    private readonly channels: readonly Channel[],
    members: readonly ChainedOperator[],
    writers: readonly RecordWriter[],
    timers: ProcessingTimeQueue,
  ) {
    super(info, members, writers, timers);
    const head = members[0];
    if (!head) throw new Error('a subtask with inputs needs at least one operator');
    this.valve = new StatusWatermarkValve(channels.length, {
      emitWatermark: (ts) => this.guard(head.name, () => head.operator.processWatermark(ts)),
      emitWatermarkStatus: (idle) => this.guard(head.name, () => head.operator.processWatermarkStatus(idle)),
    });
    this.ended = channels.map(() => false);
    this.barrierReceived = channels.map(() => false);
  }

  get inputWatermark(): number {
    return this.valve.currentWatermark;
  }

  override get queuedRecords(): number {
    let n = 0;
    for (const c of this.channels) n += c.queuedRecords;
    return n;
  }

  override get queuedBatches(): number {
    let n = 0;
    for (const c of this.channels) n += c.queuedBatchCount;
    return n;
  }

  protected stateAfterStep(): TimeState {
    if (this.inputEmpty) return IDLE;
    return this.hasCredit() ? BUSY : BACK_PRESSURED;
  }

  /** True when nothing is queued on any input channel. */
  get inputEmpty(): boolean {
    for (const c of this.channels) if (!c.isEmpty) return false;
    return true;
  }

  /**
   * Processes input until about `budget` records, and at least one batch per input channel when there is input:
   * upstream subtasks put up to one batch on each channel per step, however large (a columnar source's batch far
   * exceeds the budget), and a consumer taking a single batch per step would fall behind them.
   */
  step(budget: number): StepOutcome {
    if (this.finished) return 'finished';
    const head = this.members[0] as ChainedOperator;
    let processed = 0;
    let batches = 0;
    while (processed < budget || batches < this.channels.length) {
      if (!this.hasCredit()) break;
      const channelIndex = this.nextNonEmptyChannel();
      if (channelIndex < 0) break;
      const element = (this.channels[channelIndex] as Channel).poll();
      if (element === undefined) break;
      processed++;
      switch (element.kind) {
        case 'data':
          batches++;
          processed += element.batch.length;
          this.recordsIn += element.batch.length;
          // A buffer the channel decoded the batch from goes back to the pool once the operator kept nothing of it.
          if (this.guard(head.name, () => head.operator.processBatch(element.batch)) === true && element.wire)
            wireBuffers.give(element.wire);
          break;
        case 'watermark':
          this.valve.inputWatermark(element.timestamp, channelIndex);
          break;
        case 'status':
          this.valve.inputWatermarkStatus(element.idle, channelIndex);
          break;
        case 'barrier':
          this.receiveBarrier(element.checkpointId, channelIndex);
          break;
        case 'end':
          this.ended[channelIndex] = true;
          this.endedCount++;
          this.completeAlignment(); // a channel that ends counts as aligned: its upstream finished before the barrier
          if (this.endedCount === this.channels.length) {
            this.finish();
            return 'finished';
          }
          break;
      }
    }
    this.flush();
    if (processed > 0) return 'worked';
    return this.inputEmpty ? 'idle' : 'blocked';
  }

  /**
   * Barrier `checkpointId` arrived on `channel`. One checkpoint aligns at a time (the coordinator runs at most one):
   * an older barrier still in flight after its checkpoint was abandoned is ignored, a newer one supersedes it.
   */
  private receiveBarrier(checkpointId: number, channel: number): void {
    if (this.aligning !== undefined && checkpointId < this.aligning) return;
    if (this.aligning !== checkpointId) {
      this.aligning = checkpointId;
      this.barrierReceived.fill(false);
      this.blockAligned = this.checkpointing?.mode !== 'at-least-once';
    }
    this.barrierReceived[channel] = true;
    this.completeAlignment();
  }

  /** Once every live channel delivered the barrier: snapshot, forward the barrier, read every channel again. */
  private completeAlignment(): void {
    const checkpointId = this.aligning;
    if (checkpointId === undefined) return;
    for (let i = 0; i < this.channels.length; i++) if (!this.barrierReceived[i] && !this.ended[i]) return;
    this.aligning = undefined;
    this.blockAligned = false;
    this.barrierReceived.fill(false);
    this.snapshotAtBarrier(checkpointId);
    for (const w of this.writers) w.broadcastEvent({ kind: 'barrier', checkpointId });
  }

  /** Round robin over channels that have something queued and are not held by alignment; -1 when none. */
  private nextNonEmptyChannel(): number {
    const n = this.channels.length;
    for (let k = 0; k < n; k++) {
      const i = (this.nextChannel + k) % n;
      if (this.blockAligned && this.barrierReceived[i]) continue;
      if (!(this.channels[i] as Channel).isEmpty) {
        this.nextChannel = (i + 1) % n;
        return i;
      }
    }
    return -1;
  }
}
