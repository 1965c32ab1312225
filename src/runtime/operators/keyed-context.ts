/**
 * The context of a keyed process function: the process context plus the current key. Keyed state and timers are
 * added with the event-time work (issue: event time, windows, keyed state and timers).
 */
import type { ProcessContext } from './process-context.ts';

export interface KeyedContext<K> extends ProcessContext {
  getCurrentKey(): K;
}
