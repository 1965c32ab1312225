/**
 * The window operator's state on its event-time fast path (window-operator.ts, `eventTimeFastPath`): one table
 * per window holding each key's entry, as the hand-written Map loop of the benchmarks keeps one Map per open
 * window. An element costs one lookup (its window's table is nearly always the last one used), a firing walks
 * one table, and nothing is allocated per key beyond its entry. The general path's per-key state (three Maps
 * created and dropped with every window, a timer object per key and window) and its second lookup per element
 * took over half of bench/windowed-reduce-objects' time, with the garbage collection they caused.
 *
 * Trigger timers (EventTimeTrigger's timer at maxTimestamp) are the entries' `triggerTimer` flags plus the list
 * of tables holding such entries, by time. The fast path serves only assigners whose windows all have one size
 * (tumbling, sliding), so one time is one window, and a table keeps its timers in the order they were added —
 * the timer service's tie rule, which the general path follows.
 */
import type { Window } from '../../../api/windowing/windows.ts';
import { keyIdentity, type KeyIdentity } from '../../../wasm/key-encoding.ts';
import type { KeyState } from './window-key-state.ts';

export interface TableEntry {
  readonly key: unknown;
  readonly keyId: KeyIdentity;
  accumulator: unknown;
  /** EventTimeTrigger's timer at maxTimestamp is pending. */
  triggerTimer: boolean;
  /** The cleanup timer is registered (with the timer service when it differs from the trigger timer). */
  cleanupTimer: boolean;
}

export interface WindowTable {
  readonly window: Window;
  readonly maxTimestamp: number;
  /** Entries by key identity; an entry with a trigger timer comes after every entry whose timer was added earlier. */
  readonly entries: Map<KeyIdentity, TableEntry>;
  /** Entries with a trigger timer; the table is in the pending list while there are any. */
  triggerTimers: number;
}

export class WindowTables {
  private readonly tables = new Map<string, WindowTable>();
  /** Tables with trigger timers, ascending by maxTimestamp; windows mostly come in time order (an append). */
  private readonly pending: WindowTable[] = [];
  private last: WindowTable | undefined;
  /** Key states handed out by `restoringKey`, added to the tables by `restore`. */
  private readonly restoring: KeyState[] = [];

  /** The table of `window`, created empty if missing. */
  table(window: Window): WindowTable {
    const last = this.last;
    if (last !== undefined && last.window.id === window.id) return last;
    let table = this.tables.get(window.id);
    if (table === undefined) {
      table = { window, maxTimestamp: window.maxTimestamp(), entries: new Map(), triggerTimers: 0 };
      this.tables.set(window.id, table);
    }
    this.last = table;
    return table;
  }

  find(window: Window): WindowTable | undefined {
    return this.tables.get(window.id);
  }

  /** Adds a new entry of `table`, with its trigger timer if `entry.triggerTimer` says so. */
  insert(table: WindowTable, entry: TableEntry): void {
    table.entries.set(entry.keyId, entry);
    if (entry.triggerTimer) this.countTriggerTimer(table);
  }

  /** Sets the trigger timer of an entry of `table` that has none; the entry moves last, as the latest timer. */
  addTriggerTimer(table: WindowTable, entry: TableEntry): void {
    entry.triggerTimer = true;
    table.entries.delete(entry.keyId);
    table.entries.set(entry.keyId, entry);
    this.countTriggerTimer(table);
  }

  private countTriggerTimer(table: WindowTable): void {
    if (table.triggerTimers++ > 0) return;
    const pending = this.pending;
    let at = pending.length;
    while (at > 0 && (pending[at - 1] as WindowTable).maxTimestamp > table.maxTimestamp) at--;
    pending.splice(at, 0, table);
  }

  /**
   * Takes every table whose trigger time is <= `watermark` off the pending list, oldest first, and calls `fire`
   * with it and its number of trigger timers; `fire` must clear the entries' flags.
   */
  fireUpTo(watermark: number, fire: (table: WindowTable, triggerTimers: number) => void): void {
    const pending = this.pending;
    while (pending.length > 0 && (pending[0] as WindowTable).maxTimestamp <= watermark) {
      const table = pending.shift() as WindowTable;
      const triggerTimers = table.triggerTimers;
      table.triggerTimers = 0;
      fire(table, triggerTimers);
    }
  }

  remove(table: WindowTable, entry: TableEntry): void {
    table.entries.delete(entry.keyId);
    if (entry.triggerTimer && --table.triggerTimers === 0) this.pending.splice(this.pending.indexOf(table), 1);
    if (table.entries.size === 0) this.drop(table);
  }

  /** Removes a table with all its entries; none may have a trigger timer. */
  drop(table: WindowTable): void {
    this.tables.delete(table.window.id);
    if (this.last === table) this.last = undefined;
  }

  /** The entries grouped per key, as the general path holds them (snapshots). */
  keyStates(): KeyState[] {
    const states = new Map<KeyIdentity, KeyState>();
    for (const { window, entries } of this.tables.values()) {
      for (const { key, keyId, accumulator, triggerTimer, cleanupTimer } of entries.values()) {
        let state = states.get(keyId);
        if (state === undefined) states.set(keyId, (state = detachedKeyState(key, keyId)));
        state.contents.set(window.id, { window, accumulator, triggerTimer, cleanupTimer });
      }
    }
    return [...states.values()];
  }

  /** An empty key state for a restore to fill; `restore` then adds its contents to the tables. */
  restoringKey(key: unknown): KeyState {
    const state = detachedKeyState(key, keyIdentity(key));
    this.restoring.push(state);
    return state;
  }

  /** Adds the contents of the restored key states, in order (their trigger timers are added in that order). */
  restore(): void {
    for (const { key, keyId, contents } of this.restoring) {
      for (const { window, accumulator, triggerTimer, cleanupTimer } of contents.values()) {
        const entry = {
          key,
          keyId,
          accumulator,
          triggerTimer: triggerTimer === true,
          cleanupTimer: cleanupTimer === true,
        };
        this.insert(this.table(window), entry);
      }
    }
    this.restoring.length = 0;
  }
}

/** A key's state in the general path's shape; the fast path has no trigger state, timer record or merging. */
function detachedKeyState(key: unknown, keyId: KeyIdentity): KeyState {
  return { key, keyId, contents: new Map(), triggerState: new Map(), registeredTimers: new Map(), merging: undefined };
}
