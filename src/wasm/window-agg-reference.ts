/**
 * Plain-TypeScript reference for the window-aggregation kernel (window-kernel.ts, assembly/window-agg.ts): the
 * same WindowAggregator API, results and snapshot bytes, written for obviousness rather than speed. It assigns
 * windows with the very assigners the JS WindowOperator uses and follows WindowOperator.processElement /
 * EventTimeTrigger / onEventTime line by line (SEMANTICS.md §3.2–§3.4), so differential tests tie the kernel to
 * the JS operator. Slot ids are its own (an implementation detail: compare windows by key and start).
 */
import {
  badRowError,
  checkBatch,
  checkKeyGroup,
  checkSnapshot,
  duplicateWindowError,
  isBadRow,
  noKeyGroupError,
  NO_EMISSIONS,
  NO_ROWS,
  NO_WINDOWS_CREATED,
  WINDOW_SNAPSHOT_LAYOUT,
  windowSpec,
  type CreatedWindows,
  type ProcessResult,
  type WatermarkResult,
  type WindowAggregator,
  type WindowAggregatorConfig,
  type WindowEmissions,
  type WindowSpec,
} from './window-aggregator.ts';

interface WindowState {
  readonly slot: number;
  readonly key: number;
  readonly start: number;
  readonly end: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** EventTimeTrigger's timer at maxTimestamp is registered and has not fired. */
  timerPending: boolean;
}

interface Emission {
  readonly slot: number;
  readonly key: number;
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

export class ReferenceWindowAggregator implements WindowAggregator {
  private readonly spec: WindowSpec;
  private readonly windows = new Map<string, WindowState>();
  private readonly keyGroups = new Map<number, number>();
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private currentWatermark = -Infinity;
  private disposed = false;
  private failure: Error | undefined;

  constructor(config: WindowAggregatorConfig) {
    this.spec = windowSpec(config);
  }

  get watermark(): number {
    return this.currentWatermark;
  }

  get liveWindows(): number {
    return this.windows.size;
  }

  get memoryBytes(): number {
    return 0;
  }

  process(keys: Int32Array, values: Float64Array, timestamps: Float64Array, n?: number): ProcessResult {
    this.checkUsable();
    const rows = checkBatch(keys, values, timestamps, n);
    for (let row = 0; row < rows; row++) {
      if (isBadRow(keys[row] as number, timestamps[row] as number)) {
        throw badRowError(row, keys[row] as number, timestamps[row] as number);
      }
    }
    const fired: Emission[] = [];
    const created: { slot: number; row: number; start: number }[] = [];
    const late: number[] = [];
    for (let row = 0; row < rows; row++) {
      const key = keys[row] as number;
      const value = values[row] as number;
      const timestamp = timestamps[row] as number;
      let skipped = true;
      for (const window of this.spec.assigner.assignWindows(undefined, timestamp)) {
        if (this.cleanupTime(window.maxTimestamp()) <= this.currentWatermark) continue; // isWindowLate
        skipped = false;
        const id = `${key}:${window.start}`;
        let state = this.windows.get(id);
        if (state === undefined) {
          const slot = this.allocateSlot();
          const { start, end } = window;
          state = { slot, key, start, end, count: 1, sum: value, min: value, max: value, timerPending: false };
          this.windows.set(id, state);
          created.push({ slot: state.slot, row, start: window.start });
        } else {
          state.count += 1;
          state.sum += value;
          // Strictly smaller/larger replaces, as the JS path's min/max reduce: NaN never replaces a value.
          if (value < state.min) state.min = value;
          if (value > state.max) state.max = value;
        }
        // EventTimeTrigger.onElement
        if (window.maxTimestamp() <= this.currentWatermark) fired.push(emission(state));
        else state.timerPending = true;
      }
      if (skipped && timestamp + this.spec.allowedLateness <= this.currentWatermark) late.push(row);
    }
    return {
      fired: columns(fired),
      created:
        created.length === 0
          ? NO_WINDOWS_CREATED
          : {
              length: created.length,
              slot: Int32Array.from(created, (c) => c.slot),
              row: Int32Array.from(created, (c) => c.row),
              start: Float64Array.from(created, (c) => c.start),
            },
      late: late.length === 0 ? NO_ROWS : Int32Array.from(late),
    };
  }

  advanceWatermark(watermark: number): WatermarkResult {
    this.checkUsable();
    if (!(watermark > this.currentWatermark)) return { fired: NO_EMISSIONS, freed: NO_ROWS };
    this.currentWatermark = watermark;
    const due = [...this.windows.values()]
      .filter((w) => w.timerPending && w.end - 1 <= watermark)
      .sort((a, b) => a.end - 1 - (b.end - 1));
    const fired = due.map((w) => {
      w.timerPending = false; // EventTimeTrigger.onEventTime: FIRE, contents kept
      return emission(w);
    });
    const freed: number[] = [];
    for (const [id, w] of this.windows) {
      if (this.cleanupTime(w.end - 1) <= watermark) {
        this.windows.delete(id);
        this.freeSlots.push(w.slot);
        freed.push(w.slot);
      }
    }
    return { fired: columns(fired), freed: freed.length === 0 ? NO_ROWS : Int32Array.from(freed) };
  }

  setKeyGroup(key: number, group: number): void {
    this.checkUsable();
    checkKeyGroup(key, group);
    this.keyGroups.set(key, group);
  }

  snapshot(keyGroup: number): Uint8Array {
    this.checkUsable();
    checkKeyGroup(0, keyGroup);
    const selected: WindowState[] = [];
    for (const w of this.windows.values()) {
      const group = this.keyGroups.get(w.key);
      if (group === undefined) throw noKeyGroupError(w.key);
      if (group === keyGroup) selected.push(w);
    }
    selected.sort((a, b) => a.key - b.key || a.start - b.start);
    const { magic, headerBytes, recordBytes } = WINDOW_SNAPSHOT_LAYOUT;
    const bytes = new Uint8Array(headerBytes + selected.length * recordBytes);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, magic, true);
    view.setInt32(4, keyGroup, true);
    view.setUint32(8, selected.length, true);
    view.setUint32(12, this.spec.kind, true);
    view.setFloat64(16, this.spec.size, true);
    view.setFloat64(24, this.spec.slide, true);
    view.setFloat64(32, this.spec.offset, true);
    selected.forEach((w, i) => {
      const at = headerBytes + i * recordBytes;
      view.setInt32(at, w.key, true);
      view.setUint32(at + 4, w.timerPending ? 1 : 0, true);
      [w.start, w.count, w.sum, w.min, w.max].forEach((x, j) => view.setFloat64(at + 8 + 8 * j, x, true));
    });
    return bytes;
  }

  restore(bytes: Uint8Array, keyMap?: Int32Array): CreatedWindows {
    this.checkUsable();
    const snapshot = checkSnapshot(bytes, this.spec, this.currentWatermark, keyMap);
    const view = new DataView(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength);
    const { headerBytes, recordBytes } = WINDOW_SNAPSHOT_LAYOUT;
    const group = view.getInt32(4, true);
    const count = view.getUint32(8, true);
    const slots = new Int32Array(count);
    const starts = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const at = headerBytes + i * recordBytes;
      const key = view.getInt32(at, true);
      const [start, windowCount, sum, min, max] = [0, 1, 2, 3, 4].map((j) => view.getFloat64(at + 8 + 8 * j, true));
      const id = `${key}:${start}`;
      if (this.windows.has(id)) throw (this.failure = duplicateWindowError(i));
      this.keyGroups.set(key, group);
      const state: WindowState = {
        slot: this.allocateSlot(),
        key,
        start: start as number,
        end: (start as number) + this.spec.size,
        count: windowCount as number,
        sum: sum as number,
        min: min as number,
        max: max as number,
        timerPending: (view.getUint32(at + 4, true) & 1) === 1,
      };
      this.windows.set(id, state);
      slots[i] = state.slot;
      starts[i] = state.start;
    }
    if (count === 0) return NO_WINDOWS_CREATED;
    return { length: count, slot: slots, row: Int32Array.from(slots, (_s, i) => i), start: starts };
  }

  dispose(): void {
    this.disposed = true;
  }

  /** WindowOperator.cleanupTime for event time: maxTimestamp + allowedLateness, saturating at the end of time. */
  private cleanupTime(maxTimestamp: number): number {
    const time = maxTimestamp + this.spec.allowedLateness;
    return time >= maxTimestamp ? time : Infinity;
  }

  private allocateSlot(): number {
    return this.freeSlots.pop() ?? this.nextSlot++;
  }

  private checkUsable(): void {
    if (this.failure)
      throw new Error('this window aggregator failed earlier and cannot be used', { cause: this.failure });
    if (this.disposed) throw new Error('this window aggregator was disposed');
  }
}

function emission(w: WindowState): Emission {
  return { slot: w.slot, key: w.key, start: w.start, end: w.end, count: w.count, sum: w.sum, min: w.min, max: w.max };
}

function columns(list: readonly Emission[]): WindowEmissions {
  const length = list.length;
  if (length === 0) return NO_EMISSIONS;
  const out = {
    length,
    slot: new Int32Array(length),
    key: new Int32Array(length),
    start: new Float64Array(length),
    end: new Float64Array(length),
    count: new Float64Array(length),
    sum: new Float64Array(length),
    min: new Float64Array(length),
    max: new Float64Array(length),
  };
  list.forEach((e, i) => {
    out.slot[i] = e.slot;
    out.key[i] = e.key;
    out.start[i] = e.start;
    out.end[i] = e.end;
    out.count[i] = e.count;
    out.sum[i] = e.sum;
    out.min[i] = e.min;
    out.max[i] = e.max;
  });
  return out;
}
