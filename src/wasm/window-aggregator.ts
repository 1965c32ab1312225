/**
 * The WindowAggregator contract shared by the wasm kernel (window-kernel.ts) and its TS reference
 * (window-agg-reference.ts): keyed event-time window aggregation — count, sum, min and max of one f64 per
 * (key, window) — for tumbling and sliding windows with the default EventTimeTrigger and allowed lateness, one
 * aggregator per window operator subtask. Semantics are WindowOperator's (src/runtime/operators/window/
 * window-operator.ts; SEMANTICS.md §1.2, §1.3, §3, §4) with keys replaced by dense operator-local key indices that
 * the caller assigns. Also here: the validation both implementations share, so that they fail alike.
 */
import { checkDuration } from '../api/windowing/durations.ts';
import { SlidingEventTimeWindows } from '../api/windowing/sliding-windows.ts';
import { TumblingEventTimeWindows } from '../api/windowing/tumbling-windows.ts';

export type WindowAggregatorConfig =
  | {
      readonly kind: 'tumbling';
      readonly size: number;
      readonly offset?: number;
      readonly allowedLateness?: number;
    }
  | {
      readonly kind: 'sliding';
      readonly size: number;
      readonly slide: number;
      readonly offset?: number;
      readonly allowedLateness?: number;
    };

/** Window firings, one entry per firing, as columns of equal length. The result timestamp is `end - 1`. */
export interface WindowEmissions {
  readonly length: number;
  /** The window's slot: stable while the window lives, reused after it is freed. */
  readonly slot: Int32Array;
  readonly key: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** Windows created, in creation order; `row` is the row that created each (for restore: the record index). */
export interface CreatedWindows {
  readonly length: number;
  readonly slot: Int32Array;
  readonly row: Int32Array;
  readonly start: Float64Array;
}

export interface ProcessResult {
  /** Immediate firings of late-but-accepted rows (cumulative contents), in row order. */
  readonly fired: WindowEmissions;
  /** Windows the batch created; the wasm kernel reads them lazily: read before the next call on the aggregator. */
  readonly created: CreatedWindows;
  /** Rows added to no window and late (`ts + allowedLateness <= watermark`): side output or dropped. */
  readonly late: Int32Array;
}

export interface WatermarkResult {
  /** Windows whose maxTimestamp passed the watermark, in ascending maxTimestamp order. */
  readonly fired: WindowEmissions;
  /** Slots of windows cleaned up (maxTimestamp + allowedLateness <= watermark), now free for reuse. */
  readonly freed: Int32Array;
}

export interface WindowAggregator {
  /**
   * Adds rows 0..n (default: all) in row order. `keys` are dense key indices >= 0 (the kernel keeps a small
   * per-key cache, so memory grows with the largest index); `timestamps` are safe integers (ms). Throws
   * RangeError, changing nothing, if a row is invalid. Result arrays are copies owned by the caller.
   */
  process(keys: Int32Array, values: Float64Array, timestamps: Float64Array, n?: number): ProcessResult;
  /** Moves the watermark forward (a watermark not above the current one does nothing), firing then freeing. */
  advanceWatermark(watermark: number): WatermarkResult;
  /** Records the key group (0..32767) of a key index; every key with windows needs one before `snapshot`. */
  setKeyGroup(key: number, group: number): void;
  /** The windows of keys in `keyGroup` (layout: WINDOW_SNAPSHOT_LAYOUT). Watermarks are not part of it. */
  snapshot(keyGroup: number): Uint8Array;
  /**
   * Adds the windows of a snapshot, before the first watermark; `keyMap[oldKey]` renames key indices. Restored
   * keys get the snapshot's key group. Returns the slot of each record.
   */
  restore(bytes: Uint8Array, keyMap?: Int32Array): CreatedWindows;
  /** The current watermark (-Infinity until the first one). */
  readonly watermark: number;
  readonly liveWindows: number;
  /** Bytes of wasm linear memory this aggregator holds (0 for the reference). */
  readonly memoryBytes: number;
  /** Releases the instance; any later call throws. */
  dispose(): void;
}

/**
 * Snapshot bytes, little-endian (assembly/window-snapshot.ts):
 *
 *   header, 40 bytes
 *     0 u32 magic 0x31415752 ("RWA1")   4 i32 key group   8 u32 record count   12 u32 kind (0 tumbling, 1 sliding)
 *    16 f64 size                        24 f64 slide (= size for tumbling)     32 f64 offset
 *   record, 48 bytes × count, sorted by key index, then start (equal state ⇒ equal bytes)
 *     0 i32 key index   4 u32 flags (bit 0: timer pending — the window has not fired yet)
 *     8 f64 start      16 f64 count   24 f64 sum   32 f64 min   40 f64 max
 */
export const WINDOW_SNAPSHOT_LAYOUT = { magic: 0x31415752, headerBytes: 40, recordBytes: 48 } as const;

/** A validated configuration: the assigner's own checks and messages (SEMANTICS.md §1.2, §1.3). */
export interface WindowSpec {
  readonly kind: 0 | 1;
  readonly size: number;
  readonly slide: number;
  readonly offset: number;
  readonly allowedLateness: number;
  readonly assigner: TumblingEventTimeWindows | SlidingEventTimeWindows;
}

export function windowSpec(config: WindowAggregatorConfig): WindowSpec {
  const offset = config.offset ?? 0;
  const allowedLateness = config.allowedLateness ?? 0;
  checkDuration(allowedLateness, 'allowedLateness', true);
  if (allowedLateness < 0) throw new RangeError(`allowedLateness must be >= 0, got ${allowedLateness}`);
  if (config.kind === 'tumbling') {
    const assigner = TumblingEventTimeWindows.of(config.size, offset);
    return { kind: 0, size: config.size, slide: config.size, offset, allowedLateness, assigner };
  }
  if (config.kind === 'sliding') {
    const assigner = SlidingEventTimeWindows.of(config.size, config.slide, offset);
    return { kind: 1, size: config.size, slide: config.slide, offset, allowedLateness, assigner };
  }
  throw new RangeError(
    `window aggregator: kind must be 'tumbling' or 'sliding', got ${String((config as never)['kind'])}`,
  );
}

/** Checks the batch arguments and returns the row count. */
export function checkBatch(keys: Int32Array, values: Float64Array, timestamps: Float64Array, n?: number): number {
  const rows = n ?? keys.length;
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`row count must be an integer >= 0, got ${rows}`);
  if (keys.length < rows || values.length < rows || timestamps.length < rows) {
    throw new RangeError(
      `a batch of ${rows} rows needs that many keys, values and timestamps, got ${keys.length}, ${values.length}, ${timestamps.length}`,
    );
  }
  return rows;
}

/** Whether row i is invalid: the kernel's and the reference's validation rule. */
export function isBadRow(key: number, timestamp: number): boolean {
  return key < 0 || !Number.isSafeInteger(timestamp);
}

export function badRowError(row: number, key: number, timestamp: number): RangeError {
  return key < 0
    ? new RangeError(`row ${row}: key index must be >= 0, got ${key}`)
    : new RangeError(
        `row ${row}: timestamp must be an integer number of milliseconds, got ${timestamp}` +
          (timestamp === -Infinity ? ". Did you forget to call 'assignTimestampsAndWatermarks(...)'?" : ''),
      );
}

export function checkKeyGroup(key: number, group: number): void {
  if (!Number.isInteger(key) || key < 0 || key > 0x7fffffff)
    throw new RangeError(`key index must be an int >= 0, got ${key}`);
  if (!Number.isInteger(group) || group < 0 || group >= 32768) {
    throw new RangeError(`key group must be an integer in 0..32767, got ${group}`);
  }
}

export function noKeyGroupError(key: number): Error {
  return new Error(`cannot snapshot: key index ${key} has windows but no key group (call setKeyGroup first)`);
}

export function duplicateWindowError(record: number): Error {
  return new Error(`restore: snapshot record ${record} is a window this aggregator already holds`);
}

/**
 * Validates a snapshot against `spec` and returns it with key indices renamed through `keyMap` (a copy, if
 * renamed). Throws before anything is restored.
 */
export function checkSnapshot(bytes: Uint8Array, spec: WindowSpec, watermark: number, keyMap?: Int32Array): Uint8Array {
  if (watermark !== -Infinity) {
    throw new Error('restore must happen before the first watermark (watermarks are not part of snapshots)');
  }
  const { magic, headerBytes, recordBytes } = WINDOW_SNAPSHOT_LAYOUT;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < headerBytes || view.getUint32(0, true) !== magic) {
    throw new RangeError('restore: not a window aggregator snapshot (bad magic)');
  }
  const count = view.getUint32(8, true);
  if (bytes.length !== headerBytes + count * recordBytes) {
    throw new RangeError(`restore: snapshot of ${count} windows must be ${headerBytes + count * recordBytes} bytes`);
  }
  const kind = view.getUint32(12, true);
  const [size, slide, offset] = [16, 24, 32].map((at) => view.getFloat64(at, true));
  if (kind !== spec.kind || size !== spec.size || slide !== spec.slide || offset !== spec.offset) {
    throw new RangeError(
      `restore: snapshot of ${kind === 1 ? 'sliding' : 'tumbling'} windows (size ${size}, slide ${slide}, offset ${offset}) ` +
        `does not match this aggregator (size ${spec.size}, slide ${spec.slide}, offset ${spec.offset})`,
    );
  }
  const out = keyMap === undefined ? bytes : bytes.slice();
  const outView = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0, at = headerBytes; i < count; i++, at += recordBytes) {
    const key = view.getInt32(at, true);
    const mapped = keyMap === undefined ? key : keyMap[key];
    if (mapped === undefined || key < 0 || mapped < 0) {
      throw new RangeError(
        `restore: record ${i} has key index ${key}, which ${key < 0 ? 'is negative' : 'keyMap does not map'}`,
      );
    }
    outView.setInt32(at, mapped, true);
  }
  return out;
}

// Shared empty results (zero-length typed arrays cannot be written to).
const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);

export const NO_EMISSIONS: WindowEmissions = Object.freeze({
  length: 0,
  slot: EMPTY_I32,
  key: EMPTY_I32,
  start: EMPTY_F64,
  end: EMPTY_F64,
  count: EMPTY_F64,
  sum: EMPTY_F64,
  min: EMPTY_F64,
  max: EMPTY_F64,
});

export const NO_WINDOWS_CREATED: CreatedWindows = Object.freeze({
  length: 0,
  slot: EMPTY_I32,
  row: EMPTY_I32,
  start: EMPTY_F64,
});

export const NO_ROWS = EMPTY_I32;
