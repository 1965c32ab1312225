/**
 * ValueState (SEMANTICS.md §5.1; Flink HeapValueState, TtlValueState): one value per key and namespace.
 * Stored as the user value, or as a TtlValue when the state has a TTL.
 */
import { KeyedStateBase, type State } from './keyed-state.ts';

export interface ValueState<T> extends State {
  /** The current key's value, or null when unset (or expired). */
  value(): T | null;
  /** Replaces the value; `null` or `undefined` clears it (Flink: "update(null) is equivalent to clear()"). */
  update(value: T | null | undefined): void;
}

export class ValueStateImpl<N, T> extends KeyedStateBase<N> implements ValueState<T> {
  value(): T | null {
    const value = this.readValue();
    return value === undefined ? null : (value as T);
  }

  update(value: T | null | undefined): void {
    if (value === null || value === undefined) this.clear();
    else this.storeValue(value);
  }
}
