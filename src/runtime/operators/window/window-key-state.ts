/**
 * What the window operator holds per key (window-operator.ts): window contents by state window, trigger state by
 * window, the timers it registered and, for merging assigners, the key's MergingWindowSet. A key's entry is
 * created on its first element and dropped once it holds nothing (`holdsNothing`).
 */
import type { TriggerState } from '../../../api/windowing/trigger.ts';
import type { WindowAssigner } from '../../../api/windowing/window-assigner.ts';
import type { Window } from '../../../api/windowing/windows.ts';
import type { KeyIdentity } from '../../../wasm/key-encoding.ts';
import { MergingWindowSet } from './merging-window-set.ts';
import type { RegisteredTimers } from './window-timers.ts';

export interface WindowEntry {
  readonly window: Window;
  accumulator: unknown;
  /** The fast path's flags (window-tables.ts), as snapshots carry them: its trigger and cleanup timers are set. */
  triggerTimer?: boolean;
  cleanupTimer?: boolean;
}

export interface KeyState {
  readonly key: unknown;
  readonly keyId: KeyIdentity;
  /** Contents by state window id (for merging assigners the state window can differ from the window). */
  readonly contents: Map<string, WindowEntry>;
  /** Trigger state by window id. */
  readonly triggerState: Map<string, Map<string, unknown>>;
  /** The timers registered for this key's windows (see WindowTimers). */
  readonly registeredTimers: RegisteredTimers;
  readonly merging: MergingWindowSet | undefined;
}

export function newKeyState(key: unknown, keyId: KeyIdentity, assigner: WindowAssigner<unknown, Window>): KeyState {
  return {
    key,
    keyId,
    contents: new Map(),
    triggerState: new Map(),
    registeredTimers: new Map(),
    merging: assigner.mergeWindows ? new MergingWindowSet(assigner.mergeWindows.bind(assigner) as never) : undefined,
  };
}

export function holdsNothing(state: KeyState): boolean {
  return (
    state.contents.size === 0 &&
    state.triggerState.size === 0 &&
    state.registeredTimers.size === 0 &&
    (state.merging?.size ?? 0) === 0
  );
}

/** The trigger state `name` of one window of a key (Trigger.TriggerContext#getPartitionedState). */
export function triggerStateFor<T>(state: KeyState, window: Window, name: string): TriggerState<T> {
  return {
    value: () => (state.triggerState.get(window.id)?.get(name) as T | undefined) ?? null,
    update: (value) => {
      let values = state.triggerState.get(window.id);
      if (!values) state.triggerState.set(window.id, (values = new Map()));
      values.set(name, value);
    },
    clear: () => {
      const values = state.triggerState.get(window.id);
      values?.delete(name);
      if (values?.size === 0) state.triggerState.delete(window.id);
    },
  };
}
