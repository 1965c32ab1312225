/**
 * The keyed window operator, after Flink's WindowOperator / EvictingWindowOperator (SEMANTICS.md §1, §3, §4):
 * assigns each element to windows, merges session windows, consults the trigger, fires and purges, drops or
 * side-outputs late elements and cleans window state up at `maxTimestamp + allowedLateness`.
 *
 * State lives per key, by canonical key identity (window-key-state.ts), or on the event-time fast path per window
 * (window-tables.ts); snapshots group it by key group (window-snapshot.ts).
 */
import type { OutputTag } from '../../../api/output-tag.ts';
import type { EvictorContext } from '../../../api/windowing/evictor.ts';
import { isFire, isPurge, type OnMergeContext, type Trigger } from '../../../api/windowing/trigger.ts';
import type { WindowAssigner } from '../../../api/windowing/window-assigner.ts';
import type { ProcessWindowContext, ProcessWindowFunction } from '../../../api/windowing/window-functions.ts';
import { GlobalWindow, type TimeWindow, type Window } from '../../../api/windowing/windows.ts';
import { HeapKeyedStateBackend } from '../../../state/keyed-state-backend.ts';
import { keyedStateStore, type KeyedStateStore, type StateDescriptorLike } from '../../../state/keyed-state-store.ts';
import type { AggregateStateFunction } from '../../../state/aggregating-state.ts';
import type { ReduceFunction } from '../../../api/functions.ts';
import { BatchBuilder, type RecordBatch } from '../../../batch/record-batch.ts';
import { keyIdentity, type KeyIdentity } from '../../../wasm/key-encoding.ts';
import { EventTimeTrigger } from '../../../api/windowing/triggers/event-time-trigger.ts';
import { TumblingEventTimeWindows } from '../../../api/windowing/tumbling-windows.ts';
import { SlidingEventTimeWindows } from '../../../api/windowing/sliding-windows.ts';
import { BaseOperator, type OperatorContext, type Output } from '../../operator.ts';
import { MAX_WATERMARK } from '../../time.ts';
import { InternalTimerService, type InternalTimer } from '../../timers/internal-timer-service.ts';
import type { Collector } from '../process-context.ts';
import { holdsNothing, newKeyState, triggerStateFor, type KeyState } from './window-key-state.ts';
import { WindowTimers } from './window-timers.ts';
import type { WindowContents } from './window-contents.ts';
import { restoreWindowKeyGroup, snapshotWindowState, type WindowKeyGroup } from './window-snapshot.ts';
import { WindowTables, type TableEntry, type WindowTable } from './window-tables.ts';
import type { OperatorSnapshot, RestoredOperatorState } from '../../checkpoint/operator-state.ts';

export interface WindowOperatorConfig {
  readonly key: (value: unknown) => unknown;
  readonly assigner: WindowAssigner<unknown, Window>;
  readonly trigger: Trigger<unknown, Window>;
  readonly contents: WindowContents<unknown>;
  /** Applied to what `contents.fire` yields; without it each value is emitted as it is. */
  readonly windowFunction: ProcessWindowFunction<unknown, unknown, unknown, Window> | undefined;
  readonly allowedLateness: number;
  readonly lateDataTag: OutputTag<unknown> | undefined;
}

export class WindowOperator extends BaseOperator {
  private readonly keys = new Map<KeyIdentity, KeyState>();
  /** The fast path's state instead of `keys` (see eventTimeFastPath). */
  private readonly tables = new WindowTables();
  private timers!: InternalTimerService<Window>;
  private windowTimers!: WindowTimers;
  private readonly results = new BatchBuilder();
  /** Elements dropped as late with no side output (Flink numLateRecordsDropped). */
  numLateRecordsDropped = 0;

  // The key and window the trigger context and window function currently act for.
  private current!: KeyState;
  private currentWindow!: Window;
  private mergedWindows: readonly Window[] = [];

  private readonly triggerContext: OnMergeContext = {
    getCurrentWatermark: () => this.timers.currentWatermark,
    getCurrentProcessingTime: () => this.timers.currentProcessingTime(),
    registerEventTimeTimer: (t) => this.windowTimers.register(this.current, this.currentWindow, t, true),
    registerProcessingTimeTimer: (t) => this.windowTimers.register(this.current, this.currentWindow, t, false),
    deleteEventTimeTimer: (t) => this.windowTimers.delete(this.current, this.currentWindow, t, true),
    deleteProcessingTimeTimer: (t) => this.windowTimers.delete(this.current, this.currentWindow, t, false),
    getState: <T>(name: string) => triggerStateFor<T>(this.current, this.currentWindow, name),
    mergeState: <T>(name: string, combine: (a: T, b: T) => T) => {
      let merged: T | null = null;
      for (const w of this.mergedWindows) {
        const v = this.current.triggerState.get(w.id)?.get(name) as T | undefined;
        if (v !== undefined) merged = merged === null ? v : combine(merged, v);
      }
      if (merged !== null) {
        const target = triggerStateFor<T>(this.current, this.currentWindow, name);
        const existing = target.value();
        target.update(existing === null ? merged : combine(existing, merged));
      }
    },
  };

  private readonly assignerContext = {
    getCurrentProcessingTime: () => this.timers.currentProcessingTime(),
  };

  private readonly evictorContext: EvictorContext = {
    getCurrentWatermark: () => this.timers.currentWatermark,
    getCurrentProcessingTime: () => this.timers.currentProcessingTime(),
  };

  /** Keyed state for window functions: per (key, window) and per key (ProcessWindowFunction.Context). */
  private windowStateBackend!: HeapKeyedStateBackend<Window>;
  private globalStateBackend!: HeapKeyedStateBackend<Window>;
  private readonly windowStore: KeyedStateStore = {
    getState: <T>(d: StateDescriptorLike) => this.inWindow(this.windowStateBackend.getValueState<T>(d)),
    getListState: <T>(d: StateDescriptorLike) => this.inWindow(this.windowStateBackend.getListState<T>(d)),
    getMapState: <UK, UV>(d: StateDescriptorLike) => this.inWindow(this.windowStateBackend.getMapState<UK, UV>(d)),
    getReducingState: <T>(d: StateDescriptorLike, fn: ReduceFunction<T>) =>
      this.inWindow(this.windowStateBackend.getReducingState<T>(d, fn)),
    getAggregatingState: <IN, ACC, OUT>(d: StateDescriptorLike, fn: AggregateStateFunction<IN, ACC, OUT>) =>
      this.inWindow(this.windowStateBackend.getAggregatingState<IN, ACC, OUT>(d, fn)),
  };

  private readonly processContext: ProcessWindowContext<Window> = Object.defineProperties(
    {
      currentWatermark: () => this.timers.currentWatermark,
      currentProcessingTime: () => this.timers.currentProcessingTime(),
      output: <X>(tag: OutputTag<X>, value: X) =>
        this.output.collectSide(tag.id, value, this.currentWindow.maxTimestamp()),
      windowState: () => {
        if (this.config.assigner.mergeWindows) {
          throw new Error('Per-window state is not allowed when using merging windows.');
        }
        return this.windowStore;
      },
      globalState: () => keyedStateStore(this.globalStateBackend),
    },
    { window: { get: () => this.currentWindow, enumerable: true } },
  ) as ProcessWindowContext<Window>;

  private readonly collector: Collector<unknown> = {
    collect: (value) => this.results.add(value, this.currentWindow.maxTimestamp()),
  };

  /**
   * The built-in EventTimeTrigger on tumbling or sliding event-time windows — the common case — runs without
   * calling the trigger per element: its behaviour is fixed (fire now when maxTimestamp <= watermark, else one
   * timer at maxTimestamp), so per-window flags replace re-registering the same timers for every element. Other
   * assigners take the general path: WindowTables relies on windows of one size (one window per maxTimestamp).
   */
  private readonly eventTimeFastPath: boolean;

  constructor(private readonly config: WindowOperatorConfig) {
    super();
    this.eventTimeFastPath =
      config.trigger instanceof EventTimeTrigger &&
      (config.assigner instanceof TumblingEventTimeWindows || config.assigner instanceof SlidingEventTimeWindows);
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.timers = new InternalTimerService<Window>(
      {
        onEventTime: (timer) => this.onTimer(timer, true),
        onProcessingTime: (timer) => {
          this.onTimer(timer, false);
          this.flushResults(); // as KeyedProcessOperator: nothing else would emit them before the next input
        },
      },
      ctx.processingTime,
      (window) => window.id,
    );
    this.windowTimers = new WindowTimers(this.timers);
    const backendOptions = {
      keyGroupOf: (key: unknown) => ctx.kernel.keyGroup(key, ctx.maxParallelism),
      namespaceId: (window: Window) => window.id,
      defaultNamespace: GlobalWindow.INSTANCE as Window,
      now: () => ctx.processingTime.now(),
    };
    this.windowStateBackend = new HeapKeyedStateBackend<Window>(backendOptions);
    this.globalStateBackend = new HeapKeyedStateBackend<Window>(backendOptions);
  }

  snapshotState(): OperatorSnapshot {
    return { keyGroups: snapshotWindowState(this.stateParts()) };
  }

  initializeState(state: RestoredOperatorState): void {
    const parts = this.stateParts();
    const keyState = (key: unknown) => (this.eventTimeFastPath ? this.tables.restoringKey(key) : this.keyState(key));
    for (const [keyGroup, snapshot] of state.keyGroups) {
      restoreWindowKeyGroup(parts, keyGroup, snapshot as WindowKeyGroup, keyState);
    }
    this.tables.restore();
  }

  private stateParts() {
    const { kernel, maxParallelism } = this.ctx;
    return {
      keys: this.eventTimeFastPath ? this.tables.keyStates() : this.keys.values(),
      timers: this.timers,
      windowState: this.windowStateBackend,
      globalState: this.globalStateBackend,
      keyGroupOf: (key: unknown) => kernel.keyGroup(key, maxParallelism),
    };
  }

  processBatch(batch: RecordBatch): void {
    const values = batch.values;
    const timestamps = batch.timestamps;
    if (this.eventTimeFastPath) {
      for (let i = 0; i < values.length; i++) this.processElementEventTime(values[i], timestamps[i] as number);
    } else {
      for (let i = 0; i < values.length; i++) this.processElement(values[i], timestamps[i] as number);
    }
    this.flushResults();
  }

  /** processElement specialised for EventTimeTrigger on non-merging windows; same results (see eventTimeFastPath). */
  private processElementEventTime(value: unknown, timestamp: number): void {
    const key = this.config.key(value);
    const keyId = keyIdentity(key);
    const windows = this.config.assigner.assignWindows(value, timestamp, this.assignerContext);
    const watermark = this.timers.currentWatermark;
    let skipped = true;
    const lateness = this.config.allowedLateness;
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i] as Window;
      const maxTimestamp = window.maxTimestamp();
      // cleanupTime(window), inlined: the fast path is event time only.
      const cleanupTime = maxTimestamp + lateness >= maxTimestamp ? maxTimestamp + lateness : MAX_WATERMARK;
      if (cleanupTime <= watermark) continue; // the window is late
      skipped = false;
      const table = this.tables.table(window);
      let entry = table.entries.get(keyId);
      if (entry === undefined) {
        const accumulator = this.config.contents.add(undefined, value, timestamp);
        // EventTimeTrigger.onElement: a timer at maxTimestamp unless it fires now (below).
        entry = { key, keyId, accumulator, triggerTimer: maxTimestamp > watermark, cleanupTimer: false };
        this.tables.insert(table, entry);
      } else {
        entry.accumulator = this.config.contents.add(entry.accumulator, value, timestamp);
        if (!entry.triggerTimer && maxTimestamp > watermark) this.tables.addTriggerTimer(table, entry);
      }
      if (maxTimestamp <= watermark) this.emit(key, entry, window); // EventTimeTrigger.onElement: FIRE
      if (!entry.cleanupTimer) {
        // registerCleanupTimer; with lateness 0 the cleanup time is maxTimestamp, the trigger timer's (a window
        // whose maxTimestamp has passed is late then, and skipped).
        entry.cleanupTimer = true;
        if (cleanupTime !== MAX_WATERMARK && cleanupTime !== maxTimestamp) {
          this.timers.registerEventTimeTimer(key, keyId, window, cleanupTime);
        }
      }
    }
    if (skipped && this.isElementLate(timestamp)) {
      if (this.config.lateDataTag) this.output.collectSide(this.config.lateDataTag.id, value, timestamp);
      else this.numLateRecordsDropped++;
    }
  }

  override processWatermark(timestamp: number): void {
    // Trigger timers fire before the service's (cleanup timers, maxTimestamp + lateness): for one window the
    // trigger comes first, as in timestamp order; other windows' cleanups emit nothing.
    this.timers.advanceWatermark(timestamp, () =>
      this.tables.fireUpTo(timestamp, (table, timers) => this.onTriggerTimers(table, timers)),
    );
    this.flushResults();
    this.output.emitWatermark(timestamp);
  }

  override endInput(): void {
    this.flushResults();
  }

  private processElement(value: unknown, timestamp: number): void {
    const { assigner, trigger } = this.config;
    const key = this.config.key(value);
    const state = this.keyState(key);
    this.current = state;
    const windows = assigner.assignWindows(value, timestamp, this.assignerContext);
    let skipped = true;
    for (const assigned of windows) {
      let window = assigned;
      let stateWindow = assigned;
      if (state.merging) {
        window = state.merging.addWindow(assigned as TimeWindow, (result, merged, stateResult, mergedStates) =>
          this.mergeWindows(state, result, merged, stateResult, mergedStates),
        );
        if (this.isWindowLate(window)) {
          state.merging.retireWindow(window as TimeWindow);
          continue;
        }
        stateWindow = state.merging.getStateWindow(window as TimeWindow) as Window;
      } else if (this.isWindowLate(window)) {
        continue;
      }
      skipped = false;
      const entry = state.contents.get(stateWindow.id);
      const accumulator = this.config.contents.add(entry?.accumulator, value, timestamp);
      if (entry) entry.accumulator = accumulator;
      else state.contents.set(stateWindow.id, { window: stateWindow, accumulator });

      this.currentWindow = window;
      const result = trigger.onElement(value, timestamp, window, this.triggerContext);
      if (isFire(result)) this.emitWindowContents(state, window, stateWindow);
      if (isPurge(result)) state.contents.delete(stateWindow.id);
      this.registerCleanupTimer(state, window);
    }
    if (skipped && this.isElementLate(timestamp)) {
      if (this.config.lateDataTag) this.output.collectSide(this.config.lateDataTag.id, value, timestamp);
      else this.numLateRecordsDropped++;
    }
    this.releaseIfEmpty(state);
  }

  private mergeWindows(
    state: KeyState,
    mergeResult: TimeWindow,
    mergedWindows: TimeWindow[],
    stateWindowResult: TimeWindow,
    mergedStateWindows: TimeWindow[],
  ): void {
    if (this.config.assigner.isEventTime()) {
      if (mergeResult.maxTimestamp() + this.config.allowedLateness <= this.timers.currentWatermark) {
        throw new Error(
          'The end timestamp of an event-time window cannot become earlier than the current watermark by merging. ' +
            `Current watermark: ${this.timers.currentWatermark} window: ${String(mergeResult)}`,
        );
      }
    } else if (mergeResult.maxTimestamp() <= this.timers.currentProcessingTime()) {
      throw new Error(
        'The end timestamp of a processing-time window cannot become earlier than the current processing time by ' +
          `merging. Current processing time: ${this.timers.currentProcessingTime()} window: ${String(mergeResult)}`,
      );
    }
    const trigger = this.config.trigger;
    this.currentWindow = mergeResult;
    this.mergedWindows = mergedWindows;
    trigger.onMerge?.(mergeResult, this.triggerContext);
    this.mergedWindows = [];
    for (const m of mergedWindows) {
      this.currentWindow = m;
      trigger.clear(m, this.triggerContext);
      state.triggerState.delete(m.id);
      this.deleteCleanupTimer(state, m);
    }
    const target = state.contents.get(stateWindowResult.id);
    let accumulator = target?.accumulator;
    for (const source of mergedStateWindows) {
      const entry = state.contents.get(source.id);
      if (!entry) continue;
      state.contents.delete(source.id);
      accumulator =
        accumulator === undefined ? entry.accumulator : this.config.contents.merge(accumulator, entry.accumulator);
    }
    if (accumulator !== undefined) state.contents.set(stateWindowResult.id, { window: stateWindowResult, accumulator });
  }

  /** A table's fast-path trigger timers: what onTimer does for EventTimeTrigger at maxTimestamp (FIRE, maybe cleanup). */
  private onTriggerTimers(table: WindowTable, triggerTimers: number): void {
    const cleanup = table.maxTimestamp === this.cleanupTime(table.window);
    // Cleaning every entry up (lateness 0, always) drops the table at the end rather than entry by entry.
    const dropTable = cleanup && triggerTimers === table.entries.size;
    for (const entry of table.entries.values()) {
      if (!entry.triggerTimer) continue;
      entry.triggerTimer = false;
      this.emit(entry.key, entry, table.window);
      if (dropTable) this.clearWindowFunctionState(table.window, entry.key);
      else if (cleanup) this.clearTableEntry(table, entry);
    }
    if (dropTable) this.tables.drop(table);
  }

  /** A fast-path cleanup timer (maxTimestamp + allowedLateness > maxTimestamp: EventTimeTrigger CONTINUEs). */
  private onCleanupTimer(timer: InternalTimer<Window>): void {
    const table = this.tables.find(timer.namespace);
    const entry = table?.entries.get(timer.keyId);
    if (table && entry && timer.timestamp === this.cleanupTime(table.window)) this.clearTableEntry(table, entry);
  }

  /** clearAllState on the fast path: no trigger state, no merging, and the trigger's timer has fired. */
  private clearTableEntry(table: WindowTable, entry: TableEntry): void {
    this.tables.remove(table, entry);
    this.clearWindowFunctionState(table.window, entry.key);
  }

  private clearWindowFunctionState(window: Window, key: unknown): void {
    this.currentWindow = window;
    if (this.config.windowFunction?.clear) {
      this.setStateKey(key);
      this.config.windowFunction.clear(this.processContext);
    }
  }

  private onTimer(timer: InternalTimer<Window>, eventTime: boolean): void {
    if (this.eventTimeFastPath) return eventTime ? this.onCleanupTimer(timer) : undefined;
    const state = this.keys.get(timer.keyId);
    if (!state) return; // the key's windows were already cleared
    this.current = state;
    const window = timer.namespace;
    this.windowTimers.forget(state, window, timer.timestamp, eventTime);
    let stateWindow: Window | undefined = window;
    if (state.merging) {
      stateWindow = state.merging.getStateWindow(window as TimeWindow);
      // A timer of a window that merged away or was retired: its trigger state is gone already.
      if (stateWindow === undefined) return;
    }
    this.currentWindow = window;
    const trigger = this.config.trigger;
    const result = eventTime
      ? trigger.onEventTime(timer.timestamp, window, this.triggerContext)
      : trigger.onProcessingTime(timer.timestamp, window, this.triggerContext);
    if (isFire(result)) this.emitWindowContents(state, window, stateWindow);
    if (isPurge(result)) state.contents.delete(stateWindow.id);
    if (this.config.assigner.isEventTime() === eventTime && timer.timestamp === this.cleanupTime(window)) {
      this.clearAllState(state, window, stateWindow);
    }
    this.releaseIfEmpty(state);
  }

  private emitWindowContents(state: KeyState, window: Window, stateWindow: Window): void {
    const entry = state.contents.get(stateWindow.id);
    if (entry) this.emit(state.key, entry, window);
  }

  private emit(key: unknown, entry: { accumulator: unknown }, window: Window): void {
    this.currentWindow = window;
    const { values, remaining } = this.config.contents.fire(entry.accumulator, window, this.evictorContext);
    entry.accumulator = remaining;
    const fn = this.config.windowFunction;
    if (fn) this.setStateKey(key);
    if (fn) fn.process(key, this.processContext, values, this.collector);
    else for (const v of values) this.collector.collect(v);
  }

  private clearAllState(state: KeyState, window: Window, stateWindow: Window): void {
    state.contents.delete(stateWindow.id);
    this.currentWindow = window;
    this.config.trigger.clear(window, this.triggerContext);
    state.triggerState.delete(window.id);
    this.clearWindowFunctionState(window, state.key);
    if (state.merging) state.merging.retireWindow(window as TimeWindow);
  }

  /** `maxTimestamp + allowedLateness` for event time (saturating at the end of time), `maxTimestamp` otherwise. */
  private cleanupTime(window: Window): number {
    if (!this.config.assigner.isEventTime()) return window.maxTimestamp();
    const time = window.maxTimestamp() + this.config.allowedLateness;
    return time >= window.maxTimestamp() ? time : MAX_WATERMARK;
  }

  private isWindowLate(window: Window): boolean {
    return this.config.assigner.isEventTime() && this.cleanupTime(window) <= this.timers.currentWatermark;
  }

  private isElementLate(timestamp: number): boolean {
    return (
      this.config.assigner.isEventTime() && timestamp + this.config.allowedLateness <= this.timers.currentWatermark
    );
  }

  private registerCleanupTimer(state: KeyState, window: Window): void {
    const time = this.cleanupTime(window);
    if (time === MAX_WATERMARK) return; // no cleanup timer at the end of time ("don't set a GC timer")
    this.windowTimers.register(state, window, time, this.config.assigner.isEventTime());
  }

  private deleteCleanupTimer(state: KeyState, window: Window): void {
    const time = this.cleanupTime(window);
    if (time === MAX_WATERMARK) return;
    this.windowTimers.delete(state, window, time, this.config.assigner.isEventTime());
  }

  private setStateKey(key: unknown): void {
    this.windowStateBackend.setCurrentKey(key);
    this.globalStateBackend.setCurrentKey(key);
  }

  /** Scopes a per-window state handle to the window being evaluated. */
  private inWindow<S extends { setCurrentNamespace(window: Window): void }>(handle: S): S {
    handle.setCurrentNamespace(this.currentWindow);
    return handle;
  }

  private keyState(key: unknown): KeyState {
    const keyId = keyIdentity(key);
    let state = this.keys.get(keyId);
    if (!state) {
      state = newKeyState(key, keyId, this.config.assigner);
      this.keys.set(keyId, state);
    }
    return state;
  }

  private releaseIfEmpty(state: KeyState): void {
    if (holdsNothing(state)) this.keys.delete(state.keyId);
  }

  private flushResults(): void {
    if (this.results.length > 0) this.output.collect(this.results.take());
  }
}
