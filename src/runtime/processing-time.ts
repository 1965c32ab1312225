/**
 * Processing-time timers. A timer for time `t` fires once the clock reaches `t + 1`, as Flink schedules it
 * (ProcessingTimeServiceUtil#getProcessingTimeDelay returns `t - now + 1`, FLINK-9857), so a processing-time
 * window [s, e) fires when the clock reaches e. The scheduler drives `fireDue`; nothing here owns a timer.
 */
import type { Clock } from './time.ts';
import { PriorityQueue } from './priority-queue.ts';

export interface ProcessingTimeService {
  now(): number;
  /** Runs `callback(timestamp)` once the clock has passed `timestamp`. */
  registerTimer(timestamp: number, callback: (timestamp: number) => void): void;
}

interface ScheduledTimer {
  readonly fireAt: number;
  readonly timestamp: number;
  readonly seq: number;
  readonly owner: number;
  readonly callback: (timestamp: number) => void;
}

/** One queue per job; each subtask registers through `forOwner(subtaskId)` so its timers can be dropped. */
export class ProcessingTimeQueue {
  private readonly timers = new PriorityQueue<ScheduledTimer>((a, b) =>
    a.fireAt !== b.fireAt ? a.fireAt < b.fireAt : a.seq < b.seq,
  );
  private seq = 0;

  constructor(readonly clock: Clock) {}

  forOwner(owner: number): ProcessingTimeService {
    return {
      now: () => this.clock.now(),
      registerTimer: (timestamp, callback) => {
        this.timers.push({ fireAt: timestamp + 1, timestamp, seq: this.seq++, owner, callback });
      },
    };
  }

  /** Clock time at which the next timer becomes due, or undefined when none is pending. */
  nextFireTime(): number | undefined {
    return this.timers.peek()?.fireAt;
  }

  /** Pops every due timer in time order and hands it to `run` with its owner. Returns how many fired. */
  fireDue(run: (owner: number, fire: () => void) => void): number {
    let fired = 0;
    for (;;) {
      const next = this.timers.peek();
      if (next === undefined || next.fireAt > this.clock.now()) return fired;
      this.timers.pop();
      fired++;
      run(next.owner, () => next.callback(next.timestamp));
    }
  }

  /** Drops a finished subtask's timers: processing-time timers do not fire after end of input (FLINK-14231). */
  dropOwner(owner: number): void {
    this.timers.removeWhere((t) => t.owner === owner);
  }
}
