/**
 * Timers as plain checkpoint data, per key group (SEMANTICS.md §2.6: timers are keyed state and part of a
 * snapshot; watermarks are not). A restored processing-time timer is registered again with the processing-time
 * service, so it fires once the clock passes it — at once if it already has (Flink re-registers on restore too).
 */
import { keyIdentity } from '../../wasm/key-encoding.ts';
import type { InternalTimer, InternalTimerService } from './internal-timer-service.ts';

/** One timer: its key, its namespace in plain form (see the operator), its time. */
export type TimerRow = readonly [key: unknown, namespace: unknown, timestamp: number];

export interface KeyGroupTimers {
  readonly event: TimerRow[];
  readonly processing: TimerRow[];
}

/** The live timers of `service` by key group, each list in firing order. */
export function snapshotTimers<N>(
  service: InternalTimerService<N>,
  keyGroupOf: (key: unknown) => number,
  plainNamespace: (namespace: N) => unknown,
): Map<number, KeyGroupTimers> {
  const groups = new Map<number, KeyGroupTimers>();
  const add = (timers: InternalTimer<N>[], domain: keyof KeyGroupTimers) => {
    for (const timer of timers) {
      const keyGroup = keyGroupOf(timer.key);
      let group = groups.get(keyGroup);
      if (group === undefined) groups.set(keyGroup, (group = { event: [], processing: [] }));
      group[domain].push([timer.key, plainNamespace(timer.namespace), timer.timestamp]);
    }
  };
  add(service.eventTimeTimers(), 'event');
  add(service.processingTimeTimers(), 'processing');
  return groups;
}

/** Registers the timers of one restored key group with `service`. */
export function restoreTimers<N>(
  service: InternalTimerService<N>,
  timers: KeyGroupTimers,
  namespaceOf: (plain: unknown) => N,
): void {
  for (const [key, namespace, timestamp] of timers.event) {
    service.registerEventTimeTimer(key, keyIdentity(key), namespaceOf(namespace), timestamp);
  }
  for (const [key, namespace, timestamp] of timers.processing) {
    service.registerProcessingTimeTimer(key, keyIdentity(key), namespaceOf(namespace), timestamp);
  }
}
