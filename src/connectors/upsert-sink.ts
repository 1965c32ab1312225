/**
 * The idempotent sink contract (SEMANTICS.md §6, "idempotent writes"): every write is an upsert under a key the
 * record determines, so writing a record again — the replay after a restore from a checkpoint — leaves the same
 * external state. With a replayable source and checkpointed state, the final state is exactly-once without two-
 * phase commit: writes are visible at once, and a replay may briefly show values from before the failure until it
 * catches up. Flink's docs give key-value stores and Elasticsearch with deterministic ids as examples.
 *
 * @example
 * const totals = new Map<string, number>();
 * env.enableCheckpointing(1000);
 * stream.keyBy('user').sum('amount').sinkTo(
 *   upsertSink((e) => e.user, (user, e) => totals.set(user, e.amount)),
 * );
 */
import type { Sink, SinkWriteContext } from '../api/sink.ts';

/** A sink whose writes are idempotent upserts (see the module comment); the runtime treats it as any sink. */
export interface IdempotentSink<T> extends Sink<T> {
  readonly idempotent: true;
}

/**
 * Calls `upsert(keyOf(value), value)` for every record. `upsert` must replace what is stored under the key, and
 * `keyOf` must be deterministic — the same record gives the same key on every run.
 */
export function upsertSink<T, K>(
  keyOf: (value: T) => K,
  upsert: (key: K, value: T, context: SinkWriteContext) => void,
): IdempotentSink<T> {
  if (typeof keyOf !== 'function' || typeof upsert !== 'function') {
    throw new TypeError('upsertSink expects a key function and an upsert function');
  }
  return {
    idempotent: true,
    createWriter: () => ({ write: (value, context) => upsert(keyOf(value), value, context) }),
  };
}
