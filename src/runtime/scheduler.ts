/**
 * The cooperative scheduler of inline mode: round-robin `step(budget)` over subtasks, fire due processing-time
 * timers, and when nothing can progress wait for what could unblock it (an async source, the next timer, cancel).
 * It hands control back to the host every few milliseconds, so a browser tab stays responsive and `cancel()`
 * issued from a timer is seen.
 */
import type { ProcessingTimeQueue } from './processing-time.ts';
import { SourceSubtask, type Subtask } from './subtask.ts';
import { ManualClock, type Clock } from './time.ts';

export interface SchedulerOptions {
  readonly budget: number;
  /** Longest stretch of work, in ms of `performance.now()`, before yielding to the host's event loop. */
  readonly sliceMs: number;
  /**
   * Workers mode: input or credit may arrive from other workers, which call `notify()`. Waiting with nothing local
   * to wait for is then normal rather than an internal error.
   */
  readonly remoteInputs?: boolean;
}

export class Scheduler {
  private cancelled = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly subtasks: readonly Subtask[],
    private readonly timers: ProcessingTimeQueue,
    private readonly clock: Clock,
    private readonly options: SchedulerOptions,
  ) {}

  cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  /**
   * Something arrived from outside (remote data, an end of input, credit): ends an idle wait. A call while the
   * scheduler is busy is not needed — it steps every subtask again before it waits.
   */
  notify(): void {
    this.wake?.();
  }

  /** Resolves when every subtask has finished or the scheduler was cancelled; rejects on the first failure. */
  async run(): Promise<'finished' | 'cancelled'> {
    let sliceStart = performance.now();
    for (;;) {
      if (this.cancelled) return 'cancelled';
      let progressed = false;
      let unfinished = 0;
      const waiting: Promise<void>[] = [];
      let clockRequest: SourceSubtask | undefined;
      // One clock read per step, for the busy/idle/back-pressured metrics (SEMANTICS.md §8, time-meter.ts).
      let stepStart = performance.now();
      for (const subtask of this.subtasks) {
        if (subtask.finished) continue;
        const outcome = subtask.step(this.options.budget);
        const stepEnd = performance.now();
        subtask.account(stepStart, stepEnd, outcome);
        stepStart = stepEnd;
        if (outcome === 'worked' || outcome === 'finished') progressed = true;
        if (outcome !== 'finished') unfinished++;
        if (outcome === 'waiting' && subtask.waitingFor) waiting.push(subtask.waitingFor);
        if (outcome === 'clock' && subtask instanceof SourceSubtask) clockRequest ??= subtask;
      }
      if (this.fireTimers() > 0) progressed = true;
      if (unfinished === 0) return 'finished';
      if (progressed) {
        if (performance.now() - sliceStart > this.options.sliceMs) {
          await yieldToHost();
          sliceStart = performance.now();
        }
        continue;
      }
      // Quiescent: nothing was processed this round. A TestStream clock advance happens exactly here, after
      // everything emitted before it has been processed (Beam's TestStream semantics).
      if (clockRequest && this.clock instanceof ManualClock) {
        this.clock.advance(clockRequest.pendingClockAdvance);
        // Timers due at the new time fire before the source moves on, so what they emit precedes what follows.
        this.fireTimers();
        clockRequest.pendingClockAdvance = 0;
        continue;
      }
      await this.idleWait(waiting);
      sliceStart = performance.now();
    }
  }

  private fireTimers(): number {
    return this.timers.fireDue((owner, fire) => {
      const subtask = this.subtasks[owner];
      if (!subtask || subtask.finished) return;
      fire();
      subtask.flushOutputs();
    });
  }

  private async idleWait(waiting: Promise<void>[]): Promise<void> {
    const wakers: Promise<unknown>[] = [...waiting];
    const next = this.timers.nextFireTime();
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (next !== undefined && !(this.clock instanceof ManualClock)) {
      wakers.push(new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, next - this.clock.now())))));
    }
    if (wakers.length === 0 && !this.options.remoteInputs) {
      throw new Error(
        'internal error: the job cannot make progress and is waiting for nothing ' +
          `(${this.subtasks.filter((s) => !s.finished).length} subtasks unfinished)`,
      );
    }
    wakers.push(new Promise<void>((resolve) => (this.wake = resolve)));
    try {
      await Promise.race(wakers);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      this.wake = undefined;
    }
  }
}

/** Yields one macrotask turn: setImmediate where the host has it, else a MessageChannel round trip. */
function yieldToHost(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => void };
  if (typeof g.setImmediate === 'function') {
    const setImmediate = g.setImmediate;
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
