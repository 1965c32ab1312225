/**
 * Flink's three task times (SEMANTICS.md §8: busyTimeMsPerSecond, idleTimeMsPerSecond, backPressuredTimeMsPerSecond)
 * for a cooperatively scheduled subtask, measured per scheduler step, never per record.
 *
 * Contract: a subtask's life from creation to its end is cut into intervals, each in exactly one state, so the
 * three totals add up to the elapsed time and the per-second rates to 1000 ms/s. A step that worked is busy; a step
 * that found no output credit is back-pressured; one that found no input (or waits for an async source or a clock
 * advance) is idle. Between two steps the subtask stays in the state its last step left it in: no output credit
 * left → back-pressured until stepped again (on a thread of its own it would be waiting for a buffer); nothing to
 * read → idle; budget used up with input and credit left → busy, like a Flink task thread descheduled by the OS
 * (Flink derives busy as 1000 − idle − back-pressured, `TaskIOMetricGroup`). Time spent firing its processing-time
 * timers between steps counts in that same state.
 *
 * Rates are averaged over a sliding window of the last 5–6 s (whole life while younger), as Flink averages "over
 * the last few seconds": a cumulative sample is kept each second, at step time (no timer).
 */

/** Index into the totals: busy, idle, back-pressured (plain numbers: no enums, the sources run type-stripped). */
export type TimeState = 0 | 1 | 2;
export const BUSY: TimeState = 0;
export const IDLE: TimeState = 1;
export const BACK_PRESSURED: TimeState = 2;

/** Cumulative totals at one instant; records are counted by the subtask and passed in. */
export interface MeterSample {
  readonly at: number;
  readonly busy: number;
  readonly idle: number;
  readonly backPressured: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
}

/** Per-second rates over the window ending now. */
export interface MeterRates {
  readonly busyTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
}

const SAMPLE_EVERY_MS = 1000;
/** Samples kept: the window spans 5–6 s once the subtask is that old. */
const SAMPLES_KEPT = 6;

export class TimeMeter {
  private readonly totals = [0, 0, 0];
  private state: TimeState = IDLE;
  private since: number;
  private endedAt: number | undefined;
  private readonly samples: MeterSample[];

  constructor(now: number) {
    this.since = now;
    this.samples = [{ at: now, busy: 0, idle: 0, backPressured: 0, recordsIn: 0, recordsOut: 0 }];
  }

  /**
   * One step ran over [start, end] in state `during`, leaving the subtask in state `after`. `start` is at or after
   * the previous step's end; the gap in between is charged to the state that step left behind.
   */
  step(start: number, end: number, during: TimeState, after: TimeState, recordsIn: number, recordsOut: number): void {
    if (this.endedAt !== undefined) return;
    this.charge(this.state, start - this.since);
    this.charge(during, end - start);
    this.since = end;
    this.state = after;
    const last = this.samples[this.samples.length - 1] as MeterSample;
    if (end - last.at >= SAMPLE_EVERY_MS) {
      this.samples.push(this.sample(end, recordsIn, recordsOut));
      if (this.samples.length > SAMPLES_KEPT) this.samples.shift();
    }
  }

  /** The subtask finished or was aborted at `now`: the clock stops, rates stay those of its last window. */
  stop(now: number): void {
    if (this.endedAt !== undefined) return;
    this.charge(this.state, now - this.since);
    this.since = now;
    this.endedAt = now;
  }

  /** Rates over the window ending at `now` (or at the end, once stopped); all zero over an empty window. */
  rates(now: number, recordsIn: number, recordsOut: number): MeterRates {
    const current = this.sample(this.endedAt ?? now, recordsIn, recordsOut);
    const first = this.samples[0] as MeterSample;
    const seconds = (current.at - first.at) / 1000;
    const perSecond = (a: number, b: number): number => (seconds > 0 ? (a - b) / seconds : 0);
    return {
      busyTimeMsPerSecond: perSecond(current.busy, first.busy),
      idleTimeMsPerSecond: perSecond(current.idle, first.idle),
      backPressuredTimeMsPerSecond: perSecond(current.backPressured, first.backPressured),
      recordsInPerSecond: perSecond(current.recordsIn, first.recordsIn),
      recordsOutPerSecond: perSecond(current.recordsOut, first.recordsOut),
    };
  }

  /** Cumulative totals at `at`, counting the open interval since the last step in the current state. */
  private sample(at: number, recordsIn: number, recordsOut: number): MeterSample {
    const open = this.endedAt === undefined ? Math.max(0, at - this.since) : 0;
    const t = this.totals;
    return {
      at,
      busy: (t[BUSY] as number) + (this.state === BUSY ? open : 0),
      idle: (t[IDLE] as number) + (this.state === IDLE ? open : 0),
      backPressured: (t[BACK_PRESSURED] as number) + (this.state === BACK_PRESSURED ? open : 0),
      recordsIn,
      recordsOut,
    };
  }

  private charge(state: TimeState, ms: number): void {
    if (ms > 0) this.totals[state] = (this.totals[state] as number) + ms;
  }
}
