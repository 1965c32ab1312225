/**
 * Tracks the in-flight windows of one key for a merging assigner (Flink MergingWindowSet). Each window maps to a
 * "state window": the namespace its contents are stored under. When windows merge, the merged window inherits
 * the state window of one of the windows it absorbed, so contents never move; the others' contents are merged
 * into it by the merge callback.
 */
import type { TimeWindow } from '../../../api/windowing/windows.ts';

export type MergeCallback = (
  mergeResult: TimeWindow,
  /** Pre-existing windows absorbed by the merge (never the new window). */
  mergedWindows: TimeWindow[],
  stateWindowResult: TimeWindow,
  /** State windows whose contents must be merged into `stateWindowResult`. */
  mergedStateWindows: TimeWindow[],
) => void;

export class MergingWindowSet {
  /** window id → [window, state window] */
  private readonly mapping = new Map<string, [TimeWindow, TimeWindow]>();

  constructor(
    private readonly mergeWindows: (
      windows: readonly TimeWindow[],
      merge: (toBeMerged: TimeWindow[], result: TimeWindow) => void,
    ) => void,
  ) {}

  get size(): number {
    return this.mapping.size;
  }

  getStateWindow(window: TimeWindow): TimeWindow | undefined {
    return this.mapping.get(window.id)?.[1];
  }

  /** Every in-flight window with its state window (snapshots). */
  entries(): [TimeWindow, TimeWindow][] {
    return [...this.mapping.values()];
  }

  /** Adds restored `[window, state window]` pairs, before any element of the key. */
  restore(pairs: readonly (readonly [TimeWindow, TimeWindow])[]): void {
    for (const [window, stateWindow] of pairs) this.mapping.set(window.id, [window, stateWindow]);
  }

  retireWindow(window: TimeWindow): void {
    if (!this.mapping.delete(window.id)) {
      throw new Error(`internal error: window ${String(window)} is not in the merging window set`);
    }
  }

  /** Adds `newWindow`, merging as the assigner says; returns the window the new element now belongs to. */
  addWindow(newWindow: TimeWindow, onMerge: MergeCallback): TimeWindow {
    const windows = [...this.mapping.values()].map(([w]) => w);
    windows.push(newWindow);
    const mergeResults: [TimeWindow, TimeWindow[]][] = [];
    this.mergeWindows(windows, (toBeMerged, result) => mergeResults.push([result, toBeMerged]));

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const [mergeResult, group] of mergeResults) {
      if (group.includes(newWindow)) {
        mergedNewWindow = true;
        resultWindow = mergeResult;
      }
      const mergedWindows = group.filter((w) => w !== newWindow);
      const first = mergedWindows[0];
      if (first === undefined) continue;
      const mergedStateWindow = (this.mapping.get(first.id) as [TimeWindow, TimeWindow])[1];
      const mergedStateWindows: TimeWindow[] = [];
      for (const w of mergedWindows) {
        const entry = this.mapping.get(w.id);
        if (entry) {
          this.mapping.delete(w.id);
          mergedStateWindows.push(entry[1]);
        }
      }
      this.mapping.set(mergeResult.id, [mergeResult, mergedStateWindow]);
      const otherStateWindows = mergedStateWindows.filter((s) => s !== mergedStateWindow);
      // Merging a single pre-existing window into itself (the new window fell inside it) needs no state merge.
      const absorbedOnlyItself = mergedWindows.length === 1 && mergedWindows[0]?.equals(mergeResult);
      if (!absorbedOnlyItself) onMerge(mergeResult, mergedWindows, mergedStateWindow, otherStateWindows);
    }
    if (mergeResults.length === 0 || (resultWindow === newWindow && !mergedNewWindow)) {
      this.mapping.set(resultWindow.id, [resultWindow, resultWindow]);
    }
    return resultWindow;
  }
}
