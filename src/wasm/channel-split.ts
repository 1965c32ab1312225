/**
 * A batch's numeric columns split among output channels (a keyed partitioner's share of a columnar batch for each
 * downstream subtask) by the wasm kernel (assembly/channel-split.ts). Each column goes into wasm memory with one
 * copy, is scattered to its channels in one pass, and each channel's share comes out with one copy, in row order.
 * Same results as channel-split-reference.ts (differential tests in test/spec/channel-split.spec.ts).
 *
 * Scratch layout of a split, from the base (16-byte aligned), every region 8-byte aligned:
 *
 *   channels i32[n] | counts i32[C] | cursors u32[C] | source (8·n) | outputs: channel c at 8·(rows before c + c)
 *
 * An output region holds one element more than its channel's rows (see assembly/channel-split.ts). A split lives
 * on the scratch region, so it is valid only until the kernel's next call; using it after that throws.
 */
import type { KernelExports } from './kernel-abi.ts';
import { reserveScratch, type ScratchEpoch } from './wasm-scratch.ts';

export type NumericValues = Float64Array | Int32Array;

export interface ChannelSplit {
  /** Rows per channel. */
  readonly counts: Int32Array;
  /**
   * Channel c's rows of `source` (one value per row), in row order, into targets[c]: an array of source's type,
   * exactly counts[c] long, or undefined where counts[c] is 0. Values are copied bit for bit (NaN payloads, -0).
   */
  scatter(source: NumericValues, targets: readonly (NumericValues | undefined)[]): void;
}

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Starts a split of the rows `channels[i]` (each in 0..channelCount-1) on the kernel's scratch region. Throws
 * RangeError naming the first row whose channel is out of range.
 */
export function wasmChannelSplit(
  wasm: KernelExports,
  epoch: ScratchEpoch,
  channels: Int32Array,
  channelCount: number,
): ChannelSplit {
  if (!Number.isInteger(channelCount) || channelCount < 1) {
    throw new RangeError(`channelCount must be a positive integer, got ${channelCount}`);
  }
  const n = channels.length;
  const countsAt = align8(4 * n);
  const cursorsAt = countsAt + align8(4 * channelCount);
  const sourceAt = cursorsAt + align8(4 * channelCount);
  const outputsAt = sourceAt + 8 * n;
  const base = reserveScratch(wasm, outputsAt + 8 * (n + channelCount));
  const session = ++epoch.current;
  new Int32Array(wasm.memory.buffer, base, n).set(channels);
  const bad = wasm.splitCount(base, n, channelCount, base + countsAt);
  if (bad >= 0) {
    throw new RangeError(`row ${bad} has channel ${channels[bad]}, not one of 0..${channelCount - 1}`);
  }
  const counts = new Int32Array(wasm.memory.buffer, base + countsAt, channelCount).slice();
  /** Element offset of channel c's output region: rows before it plus one spare element per earlier channel. */
  const starts = new Int32Array(channelCount);
  for (let c = 1; c < channelCount; c++) starts[c] = (starts[c - 1] as number) + (counts[c - 1] as number) + 1;

  return {
    counts,
    scatter(source, targets) {
      if (epoch.current !== session) throw new Error('channel split used after a later call to the wasm kernel');
      checkScatter(source, targets, n, counts);
      const wide = source instanceof Float64Array;
      const width = wide ? 8 : 4;
      const memory = wasm.memory.buffer;
      if (wide) new Float64Array(memory, base + sourceAt, n).set(source);
      else new Int32Array(memory, base + sourceAt, n).set(source);
      const cursors = new Uint32Array(memory, base + cursorsAt, channelCount);
      for (let c = 0; c < channelCount; c++) cursors[c] = base + outputsAt + width * (starts[c] as number);
      if (wide) wasm.splitScatter64(base + sourceAt, base, n, channelCount, base + cursorsAt);
      else wasm.splitScatter32(base + sourceAt, base, n, channelCount, base + cursorsAt);
      for (let c = 0; c < channelCount; c++) {
        const target = targets[c];
        if (target === undefined) continue;
        const at = base + outputsAt + width * (starts[c] as number);
        if (wide) target.set(new Float64Array(memory, at, target.length));
        else target.set(new Int32Array(memory, at, target.length));
      }
    },
  };
}

/** Throws unless `source` has n values and targets[c] is an array of its type with counts[c] values (or none). */
export function checkScatter(
  source: NumericValues,
  targets: readonly (NumericValues | undefined)[],
  n: number,
  counts: Int32Array,
): void {
  if (source.length !== n) throw new RangeError(`source has ${source.length} values for ${n} rows`);
  if (targets.length !== counts.length) {
    throw new RangeError(`${targets.length} targets for ${counts.length} channels`);
  }
  const type = source instanceof Float64Array ? Float64Array : Int32Array;
  targets.forEach((target, c) => {
    const count = counts[c] as number;
    if (target === undefined ? count !== 0 : !(target instanceof type) || target.length !== count) {
      throw new RangeError(`target of channel ${c} must be a ${type.name} of ${count} values`);
    }
  });
}
