/**
 * The window operator's keyed state as plain checkpoint data, one entry per key group (SEMANTICS.md §5.2, §6):
 * per key its window contents (accumulators), trigger state, timer record and merging window set; the key
 * group's timers; and the rows of the window functions' per-window and global state. Windows are stored as
 * `[start, end]` (TimeWindow) or `null` (GlobalWindow) and rebuilt on restore, as class instances do not survive
 * the codec (state-codec.ts).
 */
import { GlobalWindow, TimeWindow, type Window } from '../../../api/windowing/windows.ts';
import { restoreKeyGroup, snapshotKeyGroups, type StateRow } from '../../../state/key-group-snapshot.ts';
import type { HeapKeyedStateBackend } from '../../../state/keyed-state-backend.ts';
import type { InternalTimerService } from '../../timers/internal-timer-service.ts';
import { restoreTimers, snapshotTimers, type KeyGroupTimers } from '../../timers/timer-snapshot.ts';
import type { KeyState } from './window-key-state.ts';
import type { RegisteredTimers } from './window-timers.ts';

export type PlainWindow = readonly [start: number, end: number] | null;

/** WindowEntry flags: the fast path's trigger and cleanup timers are registered. */
const TRIGGER_TIMER = 1;
const CLEANUP_TIMER = 2;

interface KeySnapshot {
  readonly key: unknown;
  /** [state window, accumulator, flags] */
  readonly contents: [PlainWindow, unknown, number][];
  readonly triggerState: Map<string, Map<string, unknown>>;
  readonly registeredTimers: RegisteredTimers;
  /** [window, state window] of a merging assigner's window set. */
  readonly merging: [PlainWindow, PlainWindow][] | undefined;
}

export interface WindowKeyGroup {
  readonly keys: KeySnapshot[];
  timers: KeyGroupTimers | undefined;
  windowState: StateRow<PlainWindow>[];
  globalState: StateRow<PlainWindow>[];
}

/** The parts of a window operator a snapshot reads and a restore fills. */
export interface WindowOperatorState {
  readonly keys: Iterable<KeyState>;
  readonly timers: InternalTimerService<Window>;
  readonly windowState: HeapKeyedStateBackend<Window>;
  readonly globalState: HeapKeyedStateBackend<Window>;
  readonly keyGroupOf: (key: unknown) => number;
}

export function plainWindow(window: Window): PlainWindow {
  return window instanceof TimeWindow ? [window.start, window.end] : null;
}

export function windowOf(plain: unknown): Window {
  if (plain === null) return GlobalWindow.INSTANCE;
  const [start, end] = plain as [number, number];
  return new TimeWindow(start, end);
}

export function snapshotWindowState(op: WindowOperatorState): Map<number, WindowKeyGroup> {
  const groups = new Map<number, WindowKeyGroup>();
  const group = (keyGroup: number): WindowKeyGroup => {
    let found = groups.get(keyGroup);
    if (found === undefined) {
      found = { keys: [], timers: undefined, windowState: [], globalState: [] };
      groups.set(keyGroup, found);
    }
    return found;
  };
  for (const state of op.keys) group(op.keyGroupOf(state.key)).keys.push(snapshotKey(state));
  for (const [keyGroup, timers] of snapshotTimers(op.timers, op.keyGroupOf, plainWindow))
    group(keyGroup).timers = timers;
  for (const { keyGroup, rows } of snapshotKeyGroups(op.windowState)) group(keyGroup).windowState = plainRows(rows);
  for (const { keyGroup, rows } of snapshotKeyGroups(op.globalState)) group(keyGroup).globalState = plainRows(rows);
  return groups;
}

/** Restores one key group; `keyState(key)` returns the (new, empty) state of a key. */
export function restoreWindowKeyGroup(
  op: WindowOperatorState,
  keyGroup: number,
  snapshot: WindowKeyGroup,
  keyState: (key: unknown) => KeyState,
): void {
  for (const saved of snapshot.keys) {
    const state = keyState(saved.key);
    for (const [plain, accumulator, flags] of saved.contents) {
      const window = windowOf(plain);
      state.contents.set(window.id, {
        window,
        accumulator,
        triggerTimer: (flags & TRIGGER_TIMER) !== 0,
        cleanupTimer: (flags & CLEANUP_TIMER) !== 0,
      });
    }
    for (const [id, values] of saved.triggerState) state.triggerState.set(id, values);
    for (const [id, times] of saved.registeredTimers) state.registeredTimers.set(id, times);
    state.merging?.restore(
      (saved.merging ?? []).map(([w, s]) => [windowOf(w) as TimeWindow, windowOf(s) as TimeWindow] as const),
    );
  }
  if (snapshot.timers) restoreTimers(op.timers, snapshot.timers, windowOf);
  const windowRows = (rows: StateRow<PlainWindow>[]) => rows.map((r) => ({ ...r, namespace: windowOf(r.namespace) }));
  restoreKeyGroup(op.windowState, { keyGroup, rows: windowRows(snapshot.windowState) });
  restoreKeyGroup(op.globalState, { keyGroup, rows: windowRows(snapshot.globalState) });
}

function snapshotKey(state: KeyState): KeySnapshot {
  const contents: [PlainWindow, unknown, number][] = [];
  for (const entry of state.contents.values()) {
    const flags = (entry.triggerTimer ? TRIGGER_TIMER : 0) | (entry.cleanupTimer ? CLEANUP_TIMER : 0);
    contents.push([plainWindow(entry.window), entry.accumulator, flags]);
  }
  return {
    key: state.key,
    contents,
    triggerState: state.triggerState,
    registeredTimers: state.registeredTimers,
    merging: state.merging?.entries().map(([w, s]) => [plainWindow(w), plainWindow(s)]),
  };
}

function plainRows(rows: readonly StateRow<Window>[]): StateRow<PlainWindow>[] {
  return rows.map((row) => ({ ...row, namespace: plainWindow(row.namespace) }));
}
