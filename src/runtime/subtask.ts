/**
 * A subtask: one parallel instance of a vertex (an operator chain). It never owns a loop or a timer; the
 * scheduler calls `step(budget)` and the subtask processes at most about `budget` records, then returns what it
 * is waiting for. This is what lets one engine run in a browser tab, a Deno isolate and a Node process.
 */
import { BACK_PRESSURED, BUSY, IDLE, TimeMeter, type TimeState } from './metrics/time-meter.ts';
import type { ChainOutput, ChainedOperator, Guard } from './chain-output.ts';
import type { Channel } from './channel.ts';
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

  /** End of input: endInput on every chained operator in order, close them, then signal the end downstream. */
  protected finish(): void {
    for (const m of this.members) this.guard(m.name, () => m.operator.endInput());
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
    if (this.waitingFor) return 'waiting';
    if (this.pendingClockAdvance > 0) return 'clock';
    let processed = 0;
    while (processed < budget) {
      if (!this.hasCredit()) break;
      const poll = this.guard(this.sourceName, () => this.reader.poll(Math.min(budget - processed, this.pollLimit)));
      if (poll.kind === 'batch') {
        processed += Math.max(1, poll.batch.length);
        this.recordsIn += poll.batch.length;
        this.output.collect(poll.batch);
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
        this.guard(this.sourceName, () => this.reader.close());
        this.finish();
        return 'finished';
      }
    }
    this.flush();
    if (processed > 0) return 'worked';
    if (this.pendingClockAdvance > 0) return 'clock';
    return this.waitingFor ? 'waiting' : 'blocked';
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

  step(budget: number): StepOutcome {
    if (this.finished) return 'finished';
    const head = this.members[0] as ChainedOperator;
    let processed = 0;
    while (processed < budget) {
      if (!this.hasCredit()) break;
      const channelIndex = this.nextNonEmptyChannel();
      if (channelIndex < 0) break;
      const element = (this.channels[channelIndex] as Channel).poll();
      if (element === undefined) break;
      processed++;
      switch (element.kind) {
        case 'data':
          processed += element.batch.length;
          this.recordsIn += element.batch.length;
          this.guard(head.name, () => head.operator.processBatch(element.batch));
          break;
        case 'watermark':
          this.valve.inputWatermark(element.timestamp, channelIndex);
          break;
        case 'status':
          this.valve.inputWatermarkStatus(element.idle, channelIndex);
          break;
        case 'end':
          this.ended[channelIndex] = true;
          if (++this.endedCount === this.channels.length) {
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

  /** Round robin over channels that have something queued; -1 when all are empty. */
  private nextNonEmptyChannel(): number {
    const n = this.channels.length;
    for (let k = 0; k < n; k++) {
      const i = (this.nextChannel + k) % n;
      if (!(this.channels[i] as Channel).isEmpty) {
        this.nextChannel = (i + 1) % n;
        return i;
      }
    }
    return -1;
  }
}
