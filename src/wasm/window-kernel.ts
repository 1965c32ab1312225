/**
 * The window-aggregation kernel: a WindowAggregator (window-aggregator.ts) computed by build/rivulet.wasm
 * (assembly/window-agg.ts). Each aggregator owns a WebAssembly instance of its own, whose linear memory holds its
 * windows between calls; window-agg-reference.ts is the plain-TS twin, held to it by
 * test/spec/window-kernel.spec.ts.
 *
 * A batch costs two calls into wasm (reserve the input region, process) plus one copy in and one copy out per
 * column. Views of memory.buffer are derived afresh after every call: any call may grow (and so detach) it.
 */
import {
  asWindowAggExports,
  WINDOW_HEADER,
  WINDOW_REGION,
  WINDOW_STATUS,
  type WindowAggExports,
} from './kernel-abi.ts';
import {
  badRowError,
  checkBatch,
  checkKeyGroup,
  checkSnapshot,
  duplicateWindowError,
  noKeyGroupError,
  NO_EMISSIONS,
  NO_ROWS,
  NO_WINDOWS_CREATED,
  windowSpec,
  type CreatedWindows,
  type ProcessResult,
  type WatermarkResult,
  type WindowAggregator,
  type WindowAggregatorConfig,
  type WindowEmissions,
  type WindowSpec,
} from './window-aggregator.ts';

/** A WindowAggregator over a new instance of `module` (build/rivulet.wasm). */
export function createWasmWindowAggregator(
  module: WebAssembly.Module,
  config: WindowAggregatorConfig,
): WindowAggregator {
  const spec = windowSpec(config);
  const wasm = asWindowAggExports(new WebAssembly.Instance(module, {}).exports);
  return new WasmWindowAggregator(wasm, spec);
}

class WasmWindowAggregator implements WindowAggregator {
  private wasm: WindowAggExports | undefined;
  private readonly headerAt: number;
  private failure: Error | undefined;
  private currentWatermark = -Infinity;
  /** Calls into wasm so far: a ProcessResult's `created` can be read only until the next one. */
  private calls = 0;

  constructor(
    wasm: WindowAggExports,
    private readonly spec: WindowSpec,
  ) {
    this.wasm = wasm;
    this.headerAt = this.call(() =>
      wasm.windowAggInit(spec.kind, spec.size, spec.slide, spec.offset, spec.allowedLateness),
    );
  }

  get watermark(): number {
    return this.currentWatermark;
  }

  get liveWindows(): number {
    return this.header()[WINDOW_HEADER.live] as number;
  }

  get memoryBytes(): number {
    return this.exports().memory.buffer.byteLength;
  }

  process(keys: Int32Array, values: Float64Array, timestamps: Float64Array, n?: number): ProcessResult {
    const rows = checkBatch(keys, values, timestamps, n);
    const wasm = this.exports();
    if (rows === 0) return { fired: NO_EMISSIONS, created: NO_WINDOWS_CREATED, late: NO_ROWS };
    if (rows * 20 > 0xffffffff) throw new RangeError(`a batch of ${rows} rows is too large for the wasm kernel`);
    const base = this.call(() => wasm.windowAggReserve(rows * 20)) >>> 0;
    const buffer = wasm.memory.buffer; // after the reserve, which may have grown (detached) it
    new Float64Array(buffer, base, rows).set(rows === timestamps.length ? timestamps : timestamps.subarray(0, rows));
    new Float64Array(buffer, base + rows * 8, rows).set(rows === values.length ? values : values.subarray(0, rows));
    new Int32Array(buffer, base + rows * 16, rows).set(rows === keys.length ? keys : keys.subarray(0, rows));
    const status = this.call(() => wasm.windowAggProcess(rows));
    if (status === WINDOW_STATUS.badRow) {
      const row = this.header()[WINDOW_HEADER.detail] as number;
      throw badRowError(row, keys[row] as number, timestamps[row] as number);
    }
    this.checkStatus(status);
    // `created` is read out of wasm memory only if asked for (a columnar batch whose first records the window
    // operator does not keep never asks), and only before the next call overwrites it.
    const call = this.calls;
    let created: CreatedWindows | undefined;
    const readCreated = (): CreatedWindows => {
      if (created !== undefined) return created;
      if (this.calls !== call) throw new Error('ProcessResult.created was read after a later call on the aggregator');
      return (created = this.created());
    };
    return {
      fired: this.emissions(),
      get created() {
        return readCreated();
      },
      late: this.rows(WINDOW_REGION.late, WINDOW_HEADER.late),
    };
  }

  advanceWatermark(watermark: number): WatermarkResult {
    const wasm = this.exports();
    if (!(watermark > this.currentWatermark)) return { fired: NO_EMISSIONS, freed: NO_ROWS };
    this.currentWatermark = watermark;
    this.call(() => wasm.windowAggAdvance(watermark));
    return { fired: this.emissions(), freed: this.rows(WINDOW_REGION.freed, WINDOW_HEADER.freed) };
  }

  setKeyGroup(key: number, group: number): void {
    checkKeyGroup(key, group);
    const wasm = this.exports();
    this.call(() => wasm.windowAggSetKeyGroup(key, group));
  }

  snapshot(keyGroup: number): Uint8Array {
    checkKeyGroup(0, keyGroup);
    const wasm = this.exports();
    const status = this.call(() => wasm.windowAggSnapshot(keyGroup));
    if (status === WINDOW_STATUS.noKeyGroup) throw noKeyGroupError(this.header()[WINDOW_HEADER.detail] as number);
    this.checkStatus(status);
    const h = this.header();
    const base = h[WINDOW_REGION.input * 2] as number;
    return new Uint8Array(wasm.memory.buffer, base, h[WINDOW_HEADER.snapshotBytes]).slice();
  }

  restore(bytes: Uint8Array, keyMap?: Int32Array): CreatedWindows {
    const wasm = this.exports();
    const snapshot = checkSnapshot(bytes, this.spec, this.currentWatermark, keyMap);
    const base = this.call(() => wasm.windowAggReserve(snapshot.length)) >>> 0;
    new Uint8Array(wasm.memory.buffer, base, snapshot.length).set(snapshot);
    const status = this.call(() => wasm.windowAggRestore(snapshot.length));
    if (status === WINDOW_STATUS.duplicateWindow) {
      throw (this.failure = duplicateWindowError(this.header()[WINDOW_HEADER.detail] as number));
    }
    this.checkStatus(status);
    return this.created();
  }

  dispose(): void {
    this.wasm = undefined;
  }

  private exports(): WindowAggExports {
    if (this.failure) {
      throw new Error('this window aggregator failed earlier and cannot be used', { cause: this.failure });
    }
    if (this.wasm === undefined) throw new Error('this window aggregator was disposed');
    return this.wasm;
  }

  /**
   * Runs a kernel call. The kernel traps only when its memory cannot grow (4 GiB, or the host refuses); a trap
   * leaves the instance inconsistent, so the aggregator fails for good.
   */
  private call<T>(run: () => T): T {
    this.calls++;
    try {
      return run();
    } catch (err) {
      if (!(err instanceof WebAssembly.RuntimeError)) throw err;
      this.failure = new RangeError(`the window aggregation kernel trapped (out of memory?): ${err.message}`, {
        cause: err,
      });
      throw this.failure;
    }
  }

  private checkStatus(status: number): void {
    if (status !== WINDOW_STATUS.ok) {
      throw (this.failure = new Error(`window aggregation kernel: unexpected status ${status}`));
    }
  }

  /** The header words, over the current memory.buffer (never cached: growth detaches it). */
  private header(): Uint32Array {
    return new Uint32Array(this.exports().memory.buffer, this.headerAt, WINDOW_HEADER.words);
  }

  private emissions(): WindowEmissions {
    const h = this.header();
    const length = h[WINDOW_HEADER.emitted] as number;
    if (length === 0) return NO_EMISSIONS;
    const buffer = this.exports().memory.buffer;
    const f64 = (region: number) => new Float64Array(buffer, h[region * 2], length).slice();
    const start = f64(WINDOW_REGION.emittedStart);
    const end = new Float64Array(length);
    for (let i = 0; i < length; i++) end[i] = (start[i] as number) + this.spec.size;
    return {
      length,
      slot: new Int32Array(buffer, h[WINDOW_REGION.emittedSlot * 2], length).slice(),
      key: new Int32Array(buffer, h[WINDOW_REGION.emittedKey * 2], length).slice(),
      start,
      end,
      count: f64(WINDOW_REGION.emittedCount),
      sum: f64(WINDOW_REGION.emittedSum),
      min: f64(WINDOW_REGION.emittedMin),
      max: f64(WINDOW_REGION.emittedMax),
    };
  }

  private created(): CreatedWindows {
    const h = this.header();
    const length = h[WINDOW_HEADER.created] as number;
    if (length === 0) return NO_WINDOWS_CREATED;
    const buffer = this.exports().memory.buffer;
    return {
      length,
      slot: new Int32Array(buffer, h[WINDOW_REGION.createdSlot * 2], length).slice(),
      row: new Int32Array(buffer, h[WINDOW_REGION.createdRow * 2], length).slice(),
      start: new Float64Array(buffer, h[WINDOW_REGION.createdStart * 2], length).slice(),
    };
  }

  private rows(region: number, countWord: number): Int32Array {
    const h = this.header();
    const length = h[countWord] as number;
    if (length === 0) return NO_ROWS;
    return new Int32Array(this.exports().memory.buffer, h[region * 2], length).slice();
  }
}
