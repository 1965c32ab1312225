/**
 * Sliding windows (SEMANTICS.md §1.3, Flink SlidingEventTimeWindows): an element belongs to every window
 * [s, s + size) with s ≡ offset (mod slide) and t - size < s <= t, listed newest first. `slide > size` is
 * allowed (gapped windows), so an element may belong to no window at all.
 */
import { NO_TIMESTAMP } from '../../runtime/time.ts';
import { checkDuration } from './durations.ts';
import type { Trigger } from './trigger.ts';
import { EventTimeTrigger } from './triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from './triggers/processing-time-trigger.ts';
import { missingTimestampError, type AssignerContext, type WindowAssigner } from './window-assigner.ts';
import { getWindowStartWithOffset, TimeWindow } from './windows.ts';

/** Flink's MAX_WINDOW_NUM: at most ten million windows per element. */
const MAX_WINDOWS_PER_ELEMENT = 10_000_000;

abstract class SlidingWindows implements WindowAssigner<unknown, TimeWindow> {
  protected constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
    api: string,
  ) {
    checkDuration(size, `${api}: size`);
    checkDuration(slide, `${api}: slide`);
    checkDuration(offset, `${api}: offset`, true);
    if (Math.abs(offset) >= slide) {
      throw new RangeError(
        `${api} parameters must satisfy abs(offset) < slide, got slide ${slide} and offset ${offset}`,
      );
    }
    if (size / slide > MAX_WINDOWS_PER_ELEMENT) {
      throw new RangeError(
        `${api}: size / slide must be at most ${MAX_WINDOWS_PER_ELEMENT} windows per element, got ${size} / ${slide}`,
      );
    }
  }

  /** The last result and the (lastStart, count) it was computed for, reused for the next equal assignment. */
  private last: TimeWindow[] = [];
  private lastStart = NaN;
  private lastCount = -1;

  /** The windows of `timestamp`, newest first; callers must not mutate the returned array. */
  protected windowsFor(timestamp: number): TimeWindow[] {
    const lastStart = getWindowStartWithOffset(timestamp, this.offset, this.slide);
    // Which windows apply depends on lastStart and on how many starts exceed timestamp - size.
    const count = Math.max(0, Math.ceil((lastStart - (timestamp - this.size)) / this.slide));
    if (lastStart === this.lastStart && count === this.lastCount) return this.last;
    const windows: TimeWindow[] = [];
    for (let start = lastStart; start > timestamp - this.size; start -= this.slide) {
      windows.push(new TimeWindow(start, start + this.size));
    }
    this.lastStart = lastStart;
    this.lastCount = count;
    this.last = windows;
    return windows;
  }

  abstract assignWindows(element: unknown, timestamp: number, ctx: AssignerContext): TimeWindow[];
  abstract getDefaultTrigger(): Trigger<unknown, TimeWindow>;
  abstract isEventTime(): boolean;
  abstract describe(): string;
}

export class SlidingEventTimeWindows extends SlidingWindows {
  /** Windows of `size` ms starting every `slide` ms, aligned to `offset` (`abs(offset) < slide`). */
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(size, slide, offset, 'SlidingEventTimeWindows');
  }

  assignWindows(_element: unknown, timestamp: number, _ctx?: AssignerContext): TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestampError();
    return this.windowsFor(timestamp);
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }

  describe(): string {
    return `SlidingEventTimeWindows(${this.size}, ${this.slide}, ${this.offset})`;
  }
}

export class SlidingProcessingTimeWindows extends SlidingWindows {
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    return new SlidingProcessingTimeWindows(size, slide, offset, 'SlidingProcessingTimeWindows');
  }

  assignWindows(_element: unknown, _timestamp: number, ctx: AssignerContext): TimeWindow[] {
    return this.windowsFor(ctx.getCurrentProcessingTime());
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }

  describe(): string {
    return `SlidingProcessingTimeWindows(${this.size}, ${this.slide}, ${this.offset})`;
  }
}
