/**
 * The plain-TS reference of the kernel's channel split and channel lookup (channel-split.ts): the same results by
 * the obvious loops, for the differential tests. The lookup also serves tables too large to copy per batch.
 */
import type { ChannelSplit, NumericValues } from './channel-split.ts';
import { checkScatter } from './split-checks.ts';

export function referenceChannelSplit(channels: Int32Array, channelCount: number): ChannelSplit {
  const counts = new Int32Array(channelCount);
  channels.forEach((channel, row) => {
    if (!(channel >= 0 && channel < channelCount)) {
      throw new RangeError(`row ${row} has channel ${channel}, not one of 0..${channelCount - 1}`);
    }
    counts[channel] = (counts[channel] as number) + 1;
  });
  return {
    counts,
    scatter(source, targets) {
      checkScatter(source, targets, channels.length, counts);
      const next = new Array<number>(channelCount).fill(0);
      channels.forEach((channel, row) => {
        (targets[channel] as Float64Array | Int32Array)[next[channel]!++] = source[row] as number;
      });
    },
  };
}

/** As Kernel.knownChannels: out[i] = table[keys[i]] - 1 for integer keys in the table, else -1; returns hits. */
export function referenceKnownChannels(keys: NumericValues, table: Int32Array, out: Int32Array): number {
  let known = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    const entry = Number.isInteger(key) && key >= 0 && key < table.length ? (table[key] as number) : 0;
    out[i] = entry - 1;
    if (entry !== 0) known++;
  }
  return known;
}
