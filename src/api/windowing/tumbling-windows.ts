/**
 * Tumbling windows (SEMANTICS.md §1.2, Flink TumblingEventTimeWindows / TumblingProcessingTimeWindows): one
 * window [start, start + size) per element, start = getWindowStartWithOffset(t, offset, size). Event time uses
 * the element's timestamp; processing time the clock at the moment the element is processed.
 */
import { NO_TIMESTAMP } from '../../runtime/time.ts';
import { EventTimeTrigger } from './triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from './triggers/processing-time-trigger.ts';
import type { Trigger } from './trigger.ts';
import { missingTimestampError, type AssignerContext, type WindowAssigner } from './window-assigner.ts';
import { getWindowStartWithOffset, TimeWindow } from './windows.ts';
import { checkDuration } from './durations.ts';

abstract class TumblingWindows implements WindowAssigner<unknown, TimeWindow> {
  protected constructor(
    readonly size: number,
    readonly offset: number,
    api: string,
  ) {
    checkDuration(size, `${api}: size`);
    checkDuration(offset, `${api}: offset`, true);
    if (Math.abs(offset) >= size) {
      throw new RangeError(`${api} parameters must satisfy abs(offset) < size, got size ${size} and offset ${offset}`);
    }
  }

  /** The last result, returned again for the next element of the same window (ordered input hits it). */
  private last: TimeWindow[] = [];
  private lastStart = NaN;

  /** The window of `timestamp`; callers must not mutate the returned array. */
  protected windowFor(timestamp: number): TimeWindow[] {
    const start = getWindowStartWithOffset(timestamp, this.offset, this.size);
    if (start !== this.lastStart) {
      this.lastStart = start;
      this.last = [new TimeWindow(start, start + this.size)];
    }
    return this.last;
  }

  abstract assignWindows(element: unknown, timestamp: number, ctx: AssignerContext): TimeWindow[];
  abstract getDefaultTrigger(): Trigger<unknown, TimeWindow>;
  abstract isEventTime(): boolean;
  abstract describe(): string;
}

export class TumblingEventTimeWindows extends TumblingWindows {
  /** Windows of `size` ms aligned to `offset` (e.g. -8 h for days in UTC+8); `abs(offset) < size`. */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(size, offset, 'TumblingEventTimeWindows');
  }

  assignWindows(_element: unknown, timestamp: number, _ctx?: AssignerContext): TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestampError();
    return this.windowFor(timestamp);
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }

  describe(): string {
    return `TumblingEventTimeWindows(${this.size}, ${this.offset})`;
  }
}

export class TumblingProcessingTimeWindows extends TumblingWindows {
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(size, offset, 'TumblingProcessingTimeWindows');
  }

  assignWindows(_element: unknown, _timestamp: number, ctx: AssignerContext): TimeWindow[] {
    return this.windowFor(ctx.getCurrentProcessingTime());
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }

  describe(): string {
    return `TumblingProcessingTimeWindows(${this.size}, ${this.offset})`;
  }
}
