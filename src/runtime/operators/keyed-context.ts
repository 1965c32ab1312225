/**
 * The contexts of a keyed process function (Flink KeyedProcessFunction.Context / OnTimerContext): the process
 * context plus the current key, keyed state (state.md: scoped to the current key) and timers on that key.
 */
import type { KeyedStateStore } from '../../state/keyed-state-store.ts';
import type { ProcessContext } from './process-context.ts';

/** Which clock fired a timer (Flink TimeDomain). */
export const TimeDomain = {
  EVENT_TIME: 'EVENT_TIME',
  PROCESSING_TIME: 'PROCESSING_TIME',
} as const;
export type TimeDomain = (typeof TimeDomain)[keyof typeof TimeDomain];

export interface KeyedContext<K> extends ProcessContext, KeyedStateStore {
  /** The key of the record being processed (in onTimer: the timer's key). */
  getCurrentKey(): K;
}

/**
 * What onTimer sees. `timestamp()` is the timer's timestamp; side outputs carry it in both time domains, while
 * records collected for a processing-time timer carry no timestamp (Flink KeyedProcessOperator#onProcessingTime).
 */
export interface OnTimerContext<K> extends KeyedContext<K> {
  timestamp(): number;
  timeDomain(): TimeDomain;
}
