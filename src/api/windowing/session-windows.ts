/**
 * Session windows (SEMANTICS.md §1.4, Flink EventTimeSessionWindows and Dynamic…): each element opens
 * [t, t + gap); windows that intersect — including ones that merely touch — merge into their cover.
 */
import { NO_TIMESTAMP } from '../../runtime/time.ts';
import { checkDuration } from './durations.ts';
import type { Trigger } from './trigger.ts';
import { EventTimeTrigger } from './triggers/event-time-trigger.ts';
import { ProcessingTimeTrigger } from './triggers/processing-time-trigger.ts';
import { missingTimestampError, type AssignerContext, type WindowAssigner } from './window-assigner.ts';
import { mergeTimeWindows, TimeWindow } from './windows.ts';

export type SessionGapExtractor<T> = (element: T) => number;

abstract class SessionWindows<T> implements WindowAssigner<T, TimeWindow> {
  protected constructor(
    private readonly gap: number | SessionGapExtractor<T>,
    private readonly api: string,
  ) {
    if (typeof gap === 'number') {
      checkDuration(gap, `${api}.withGap: gap`);
    } else if (typeof gap !== 'function') {
      throw new TypeError(`${api}.withDynamicGap expects a function returning the gap of an element`);
    }
  }

  protected sessionFor(element: T, start: number): TimeWindow[] {
    const gap = typeof this.gap === 'number' ? this.gap : this.gap(element);
    if (typeof gap !== 'number' || !(gap > 0)) {
      throw new RangeError(`${this.api}: dynamic session gap must satisfy 0 < gap, got ${String(gap)}`);
    }
    return [new TimeWindow(start, start + gap)];
  }

  mergeWindows(windows: readonly TimeWindow[], merge: (toBeMerged: TimeWindow[], result: TimeWindow) => void): void {
    mergeTimeWindows(windows, merge);
  }

  describe(): string {
    return `${this.api}(${typeof this.gap === 'number' ? this.gap : 'dynamic'})`;
  }

  abstract assignWindows(element: T, timestamp: number, ctx: AssignerContext): TimeWindow[];
  abstract getDefaultTrigger(): Trigger<T, TimeWindow>;
  abstract isEventTime(): boolean;
}

export class EventTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  /** Sessions closed by `gap` ms (> 0) of inactivity. */
  static withGap<T = unknown>(gap: number): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows<T>(gap, 'EventTimeSessionWindows');
  }

  /** Sessions whose gap is chosen per element (> 0). */
  static withDynamicGap<T>(extractor: SessionGapExtractor<T>): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows<T>(extractor, 'EventTimeSessionWindows');
  }

  assignWindows(element: T, timestamp: number, _ctx?: AssignerContext): TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestampError();
    return this.sessionFor(element, timestamp);
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }
}

export class ProcessingTimeSessionWindows<T = unknown> extends SessionWindows<T> {
  static withGap<T = unknown>(gap: number): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows<T>(gap, 'ProcessingTimeSessionWindows');
  }

  static withDynamicGap<T>(extractor: SessionGapExtractor<T>): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows<T>(extractor, 'ProcessingTimeSessionWindows');
  }

  assignWindows(element: T, _timestamp: number, ctx: AssignerContext): TimeWindow[] {
    return this.sessionFor(element, ctx.getCurrentProcessingTime());
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }
}
