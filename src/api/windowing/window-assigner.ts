/** Assigns each element to zero or more windows (Flink WindowAssigner / MergingWindowAssigner). */
import type { Trigger } from './trigger.ts';
import type { Window } from './windows.ts';

export interface AssignerContext {
  getCurrentProcessingTime(): number;
}

export interface WindowAssigner<T = unknown, W extends Window = Window> {
  /** Windows for an element with event timestamp `timestamp` (NO_TIMESTAMP = -Infinity when it has none). */
  assignWindows(element: T, timestamp: number, ctx: AssignerContext): W[];
  getDefaultTrigger(): Trigger<T, W>;
  isEventTime(): boolean;
  /** Present on merging assigners (sessions). */
  mergeWindows?(windows: readonly W[], merge: (toBeMerged: W[], mergeResult: W) => void): void;
  /** Function-free description for the graph fingerprint. */
  describe(): string;
}

/** Flink's message for an event-time assigner fed a record without a timestamp (TumblingEventTimeWindows). */
export function missingTimestampError(): Error {
  return new Error(
    "Record has Long.MIN_VALUE timestamp (= no timestamp marker). Did you forget to call 'DataStream.assignTimestampsAndWatermarks(...)'?",
  );
}
