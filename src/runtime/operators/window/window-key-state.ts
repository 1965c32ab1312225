/**
 * What the window operator holds per key (window-operator.ts): window contents by state window, trigger state by
 * window, the timers it registered and, for merging assigners, the key's MergingWindowSet. A key's entry is
 * created on its first element and dropped once it holds nothing (`holdsNothing`).
 */
import type { WindowAssigner } from '../../../api/windowing/window-assigner.ts';
import type { Window } from '../../../api/windowing/windows.ts';
import type { KeyIdentity } from '../../../wasm/key-encoding.ts';
import { MergingWindowSet } from './merging-window-set.ts';
import type { RegisteredTimers } from './window-timers.ts';

export interface WindowEntry {
  readonly window: Window;
  accumulator: unknown;
  /** Fast path only: the EventTimeTrigger timer at maxTimestamp, and the cleanup timer, are registered. */
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
