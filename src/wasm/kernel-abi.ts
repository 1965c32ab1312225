/**
 * The exports of build/rivulet.wasm (assembly/index.ts) as JS sees them. Addresses and lengths are byte offsets
 * into `memory`; i32 results arrive as signed JS numbers. Views of `memory.buffer` must be re-derived after every
 * call that can grow memory (`reserve`) — growth detaches the old ArrayBuffer.
 */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  /** Makes the scratch region `bytes` long and returns its stable base address; 0 if memory cannot grow. */
  reserve(bytes: number): number;
  /** MurmurHash3_x86_32 of raw bytes. */
  murmur3(ptr: number, len: number, seed: number): number;
  /** Flink `MathUtils.murmurHash` of a 32-bit hash. */
  flinkMurmur(code: number): number;
  /** out[i] = murmur3 (seed 0) of encoded key i; key i is data[offsets[i] .. offsets[i+1]). */
  keyHashes(data: number, offsets: number, count: number, out: number): void;
  /** out[i] = key group of encoded key i under maxParallelism. */
  keyGroups(data: number, offsets: number, count: number, maxParallelism: number, out: number): void;
  /** out[i] = table[keys[i]] - 1 for keys (i32, or f64 when wide) below `size`, else -1; returns the hits. */
  smallKeyLookup(keys: number, wide: boolean, n: number, table: number, size: number, out: number): number;
  /** The largest of n f64 timestamps at `ptr` (-Infinity for none), NaN if one is NO_TIMESTAMP (-Infinity). */
  maxTimestamp(ptr: number, n: number): number;
  /** counts[c] = rows of channel c among channels[0..n); -1, or the first row whose channel is >= channelCount. */
  splitCount(channels: number, n: number, channelCount: number, counts: number): number;
  /** Stores each 8-byte element of source[0..n) at its row's channel cursor (u32 addresses), advancing it. */
  splitScatter64(source: number, channels: number, n: number, channelCount: number, cursors: number): void;
  /** As splitScatter64, for 4-byte elements. */
  splitScatter32(source: number, channels: number, n: number, channelCount: number, cursors: number): void;
}

const FUNCTIONS = [
  'reserve',
  'murmur3',
  'flinkMurmur',
  'keyHashes',
  'keyGroups',
  'maxTimestamp',
  'smallKeyLookup',
  'splitCount',
  'splitScatter64',
  'splitScatter32',
] as const;

/** Checks that `exports` is this ABI (a stale build/rivulet.wasm fails here, not mid-job). */
export function asKernelExports(exports: WebAssembly.Exports): KernelExports {
  const missing: string[] = FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (!(exports['memory'] instanceof WebAssembly.Memory)) missing.push('memory');
  if (missing.length > 0) {
    throw new Error(`build/rivulet.wasm lacks exports ${missing.join(', ')}; rebuild it with \`npm run build:wasm\``);
  }
  return exports as unknown as KernelExports;
}

/**
 * The window-aggregation functions of build/rivulet.wasm (assembly/index.ts, assembly/window-agg.ts), served by
 * an instance of its own per aggregator. Times are f64 milliseconds; statuses are WINDOW_STATUS values.
 */
export interface WindowAggExports {
  readonly memory: WebAssembly.Memory;
  /** Sets up a fresh instance (kind 0 tumbling, 1 sliding) and returns the header address. */
  windowAggInit(kind: number, size: number, slide: number, offset: number, allowedLateness: number): number;
  /** Makes the input region at least `bytes` long and returns its address; may grow memory. */
  windowAggReserve(bytes: number): number;
  /** Processes the batch in the input region: f64 timestamps[n] | f64 values[n] | i32 keys[n]. */
  windowAggProcess(n: number): number;
  /** Advances the watermark: fires due windows, then frees those past their cleanup time. */
  windowAggAdvance(watermark: number): void;
  windowAggSetKeyGroup(key: number, group: number): void;
  /** Writes the snapshot of a key group to the input region; its length is in the header. */
  windowAggSnapshot(group: number): number;
  /** Restores a snapshot of `length` bytes from the input region. */
  windowAggRestore(length: number): number;
}

/** Statuses of windowAggProcess / windowAggSnapshot / windowAggRestore (assembly/window-agg.ts). */
export const WINDOW_STATUS = {
  ok: 0,
  badRow: 1,
  noKeyGroup: 2,
  badSnapshot: 3,
  otherWindows: 4,
  duplicateWindow: 5,
} as const;

/**
 * The window header as Int32 words (assembly/window-regions.ts): region r's base address is word 2r, its capacity
 * word 2r + 1; the counters follow.
 */
export const WINDOW_REGION = {
  input: 0,
  createdSlot: 6,
  createdRow: 7,
  createdStart: 8,
  late: 9,
  emittedSlot: 10,
  emittedKey: 11,
  emittedStart: 12,
  emittedCount: 13,
  emittedSum: 14,
  emittedMin: 15,
  emittedMax: 16,
  freed: 17,
} as const;

const WINDOW_REGION_COUNT = 18;

export const WINDOW_HEADER = {
  created: WINDOW_REGION_COUNT * 2,
  emitted: WINDOW_REGION_COUNT * 2 + 1,
  late: WINDOW_REGION_COUNT * 2 + 2,
  freed: WINDOW_REGION_COUNT * 2 + 3,
  live: WINDOW_REGION_COUNT * 2 + 4,
  snapshotBytes: WINDOW_REGION_COUNT * 2 + 5,
  detail: WINDOW_REGION_COUNT * 2 + 6,
  words: WINDOW_REGION_COUNT * 2 + 7,
} as const;

const WINDOW_FUNCTIONS = [
  'windowAggInit',
  'windowAggReserve',
  'windowAggProcess',
  'windowAggAdvance',
  'windowAggSetKeyGroup',
  'windowAggSnapshot',
  'windowAggRestore',
] as const;

/** Checks that `exports` has the window-aggregation ABI (a stale build fails here, not mid-job). */
export function asWindowAggExports(exports: WebAssembly.Exports): WindowAggExports {
  const missing: string[] = WINDOW_FUNCTIONS.filter((name) => typeof exports[name] !== 'function');
  if (!(exports['memory'] instanceof WebAssembly.Memory)) missing.push('memory');
  if (missing.length > 0) {
    throw new Error(`build/rivulet.wasm lacks exports ${missing.join(', ')}; rebuild it with \`npm run build:wasm\``);
  }
  return exports as unknown as WindowAggExports;
}
