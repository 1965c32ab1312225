/**
 * The plain-TS reference of the kernel's channel split (channel-split.ts): the same results by the obvious loops,
 * for the differential tests.
 */
import { checkScatter, type ChannelSplit } from './channel-split.ts';

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
