/**
 * The key-hashing kernel: canonical key hashes and key groups computed by build/rivulet.wasm (assembly/index.ts).
 *
 * A batch is encoded once, straight into wasm memory (key-encoding.ts), and hashed in one call; only the Int32
 * results are copied out. Results are bit-identical to key-hash-reference.ts (differential tests in
 * test/spec/key-hash.spec.ts), and pinned by test/golden/key-hash.ts.
 *
 * Hashes are returned unsigned (0..2^32-1), the way MurmurHash3 vectors are published; key groups are
 * non-negative ints below maxParallelism (SEMANTICS.md §5.2).
 *
 * There is deliberately no synchronous module-level fallback (e.g. a reference `keyGroupOf`): every subtask gets a
 * loaded Kernel in its OperatorContext before it sees a record, and `keyGroup`/`keyHash` below serve single keys
 * synchronously from then on. One implementation on the data path means one thing to keep correct.
 */
import type { Platform } from '../platform/platform.ts';
import { checkMaxParallelism } from '../state/key-groups.ts';
import { wasmChannelSplit, type ChannelSplit, type NumericValues } from './channel-split.ts';
import { asKernelExports, type KernelExports } from './kernel-abi.ts';
import { encodeKeyInto } from './key-encoding.ts';
import { wasmLookupSmallKeys } from './small-key-lookup.ts';
import { ScratchEpoch, ScratchSink, reserveScratch } from './wasm-scratch.ts';
import type { WindowAggregator, WindowAggregatorConfig } from './window-aggregator.ts';
import { createWasmWindowAggregator } from './window-kernel.ts';

export interface Kernel {
  /**
   * Key groups of `keys` under `maxParallelism` (an integer in 1..32768). Writes out[0..keys.length) and returns
   * `out` — a fresh Int32Array unless one (at least keys.length long) is passed. Throws TypeError for an invalid
   * key, RangeError for a bad maxParallelism.
   */
  keyGroups(keys: readonly unknown[], maxParallelism: number, out?: Int32Array): Int32Array;
  /** Unsigned 32-bit canonical hashes of `keys`, written like keyGroups. */
  keyHashes(keys: readonly unknown[], out?: Uint32Array): Uint32Array;
  /** The key group of one key. */
  keyGroup(key: unknown, maxParallelism: number): number;
  /** The unsigned 32-bit canonical hash of one key: MurmurHash3_x86_32, seed 0, of its canonical encoding. */
  keyHash(key: unknown): number;
  /** MurmurHash3_x86_32 of raw bytes, unsigned; exposed to pin the kernel to published vectors. */
  murmur3(bytes: Uint8Array, seed?: number): number;
  /**
   * Splits a batch among `channelCount` channels, row i going to `channels[i]` (channel-split.ts): rows per
   * channel now, each numeric column's shares by `scatter`. The split is valid until this kernel's next call.
   * Throws RangeError for a channel out of range.
   */
  channelSplit(channels: Int32Array, channelCount: number): ChannelSplit;
  /**
   * out[i] = table[keys[i]] - 1 for the numeric keys that are non-negative integers below table.length, -1 for
   * the others (small-key-lookup.ts): the tables of channels of keyBy and of key indices of the window kernel hold
   * value + 1 per key seen, 0 for keys not seen yet. `out` holds keys.length values. Returns how many were found.
   */
  lookupSmallKeys(keys: NumericValues, table: Int32Array, out: Int32Array): number;
  /**
   * The largest of `timestamps` (-Infinity for none), or NaN if one is NO_TIMESTAMP (-Infinity); NaN timestamps
   * are skipped. Two lanes at a time in the kernel, so a maximum of zero may come back as 0 where the sequential
   * reference (timestamps-reference.ts) gives -0: equal as numbers, and the same watermark.
   */
  maxTimestamp(timestamps: Float64Array): number;
  /** Current size of the kernel's linear memory in bytes (grows with the largest batch seen, never shrinks). */
  readonly memoryBytes: number;
  /**
   * A keyed window aggregator (window-aggregator.ts, window-kernel.ts) on a new instance of the same compiled
   * module, so that every window operator subtask owns its linear memory. Synchronous: browsers limit synchronous
   * instantiation only for large modules, and this one is ~7 KB (the specs run it on Chromium's main thread).
   * Throws RangeError for an invalid configuration.
   */
  createWindowAggregator(config: WindowAggregatorConfig): WindowAggregator;
}

/** Where the build puts the kernel (asconfig.json, target release); served as /build/rivulet.wasm in a browser. */
const WASM_URL = new URL('../../build/rivulet.wasm', import.meta.url);

const kernels = new WeakMap<Platform, Promise<Kernel>>();

/** The kernel instance for `platform`, compiled and instantiated on first use. */
export function loadKernel(platform: Platform): Promise<Kernel> {
  let kernel = kernels.get(platform);
  if (kernel === undefined) {
    kernel = instantiate(platform);
    kernels.set(platform, kernel);
    kernel.catch(() => kernels.delete(platform)); // a failed load may be retried
  }
  return kernel;
}

async function instantiate(platform: Platform): Promise<Kernel> {
  let module: WebAssembly.Module;
  try {
    module = await platform.loadWasm(WASM_URL);
  } catch (err) {
    throw new Error(`cannot load the wasm kernel ${WASM_URL.href} (is it built? \`npm run build:wasm\`)`, {
      cause: err,
    });
  }
  const instance = await WebAssembly.instantiate(module, {});
  return new WasmKernel(module, asKernelExports(instance.exports));
}

/** Scratch layout of a batch, from the (16-byte aligned) base: data | pad to 4 | offsets i32[n+1] | out i32[n]. */
interface BatchLayout {
  readonly data: number;
  readonly offsets: number;
  readonly out: number;
}

class WasmKernel implements Kernel {
  private readonly sink: ScratchSink;
  /** Byte offsets of the keys of the batch being encoded, copied into wasm memory once encoding is done. */
  private offsets = new Int32Array(1024);
  /** Bumped by every call that uses the scratch region, so that a channel split cannot outlive its data. */
  private readonly epoch = new ScratchEpoch();

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly wasm: KernelExports,
  ) {
    this.sink = new ScratchSink(wasm);
  }

  get memoryBytes(): number {
    return this.wasm.memory.buffer.byteLength;
  }

  createWindowAggregator(config: WindowAggregatorConfig): WindowAggregator {
    return createWasmWindowAggregator(this.module, config);
  }

  channelSplit(channels: Int32Array, channelCount: number): ChannelSplit {
    return wasmChannelSplit(this.wasm, this.epoch, channels, channelCount);
  }

  maxTimestamp(timestamps: Float64Array): number {
    this.epoch.current++;
    const base = reserveScratch(this.wasm, timestamps.byteLength);
    new Float64Array(this.wasm.memory.buffer, base, timestamps.length).set(timestamps);
    return this.wasm.maxTimestamp(base, timestamps.length);
  }

  lookupSmallKeys(keys: NumericValues, table: Int32Array, out: Int32Array): number {
    return wasmLookupSmallKeys(this.wasm, this.epoch, keys, table, out);
  }

  keyGroups(keys: readonly unknown[], maxParallelism: number, out = new Int32Array(keys.length)): Int32Array {
    checkMaxParallelism(maxParallelism);
    checkOutLength(out, keys.length);
    const at = this.encodeBatch(keys);
    this.wasm.keyGroups(at.data, at.offsets, keys.length, maxParallelism, at.out);
    out.set(new Int32Array(this.wasm.memory.buffer, at.out, keys.length));
    return out;
  }

  keyHashes(keys: readonly unknown[], out = new Uint32Array(keys.length)): Uint32Array {
    checkOutLength(out, keys.length);
    const at = this.encodeBatch(keys);
    this.wasm.keyHashes(at.data, at.offsets, keys.length, at.out);
    out.set(new Uint32Array(this.wasm.memory.buffer, at.out, keys.length));
    return out;
  }

  keyGroup(key: unknown, maxParallelism: number): number {
    checkMaxParallelism(maxParallelism);
    return this.wasm.flinkMurmur(this.keyHash(key)) % maxParallelism;
  }

  keyHash(key: unknown): number {
    const { sink } = this;
    this.epoch.current++;
    sink.begin(64);
    encodeKeyInto(key, sink);
    return this.wasm.murmur3(sink.base, sink.pos, 0) >>> 0;
  }

  murmur3(bytes: Uint8Array, seed = 0): number {
    this.epoch.current++;
    const base = reserveScratch(this.wasm, bytes.length);
    new Uint8Array(this.wasm.memory.buffer, base, bytes.length).set(bytes);
    return this.wasm.murmur3(base, bytes.length, seed) >>> 0;
  }

  /** Encodes `keys` into scratch and lays out offsets and room for results after them (see BatchLayout). */
  private encodeBatch(keys: readonly unknown[]): BatchLayout {
    const count = keys.length;
    if (this.offsets.length <= count) this.offsets = new Int32Array(2 ** Math.ceil(Math.log2(count + 1)));
    const { offsets, sink } = this;
    this.epoch.current++;
    sink.begin(count * 24 + 64); // short keys plus offsets and results, so most batches never regrow
    offsets[0] = 0;
    for (let i = 0; i < count; i++) {
      encodeKeyInto(keys[i], sink);
      offsets[i + 1] = sink.pos;
    }
    const data = sink.base;
    const offsetsAt = data + ((sink.pos + 3) & ~3);
    const outAt = offsetsAt + 4 * (count + 1);
    reserveScratch(this.wasm, outAt + 4 * count - data);
    new Int32Array(this.wasm.memory.buffer, offsetsAt, count + 1).set(offsets.subarray(0, count + 1));
    return { data, offsets: offsetsAt, out: outAt };
  }
}

function checkOutLength(out: ArrayLike<number>, count: number): void {
  if (out.length < count) throw new RangeError(`out (length ${out.length}) must hold at least ${count} results`);
}
