// Splitting the numeric columns of a batch among output channels: a keyed partitioner's share of a columnar batch
// for each downstream subtask, in one pass per column (JS side src/wasm/channel-split.ts, reference
// src/wasm/channel-split-reference.ts). Stateless, on the scratch region of the shared instance.
//
//   channels  u32[n]             the channel of each row
//   counts    u32[channelCount]  written by countChannels
//   cursors   u32[channelCount]  byte address where channel c's next element goes; advanced by the scatters
//
// A channel's output region must have room for one element more than its rows: with two channels, each row is
// stored at both cursors and only its own channel's cursor advances (no branch on an unpredictable channel), so
// the other channel's next slot, or the spare one past its last row, is overwritten.

/**
 * counts[c] = rows whose channel is c. Returns -1, or the first row whose channel is not below channelCount —
 * the scatters below trust the channels, so they run only after this returned -1.
 */
export function countChannels(channels: usize, n: u32, channelCount: u32, counts: usize): i32 {
  memory.fill(counts, 0, <usize>channelCount << 2);
  for (let i: u32 = 0; i < n; i++) {
    const channel = load<u32>(channels + (<usize>i << 2));
    if (channel >= channelCount) return <i32>i;
    const at = counts + (<usize>channel << 2);
    store<u32>(at, load<u32>(at) + 1);
  }
  return -1;
}

/** Stores the n 8-byte elements at `source` at their rows' channel cursors, in row order (bits as they are). */
export function scatter64(source: usize, channels: usize, n: u32, channelCount: u32, cursors: usize): void {
  scatter<i64>(source, channels, n, channelCount, cursors);
}

/** As scatter64, for 4-byte elements. */
export function scatter32(source: usize, channels: usize, n: u32, channelCount: u32, cursors: usize): void {
  scatter<i32>(source, channels, n, channelCount, cursors);
}

// @ts-ignore: decorator
@inline
function scatter<T>(source: usize, channels: usize, n: u32, channelCount: u32, cursors: usize): void {
  const width = sizeof<T>();
  if (channelCount == 2) {
    let zero = <usize>load<u32>(cursors);
    let one = <usize>load<u32>(cursors, 4);
    for (let i: u32 = 0; i < n; i++) {
      const value = load<T>(source + <usize>i * width);
      const channel = load<u32>(channels + (<usize>i << 2));
      store<T>(zero, value);
      store<T>(one, value);
      zero += select<usize>(0, width, channel);
      one += select<usize>(width, 0, channel);
    }
    return;
  }
  for (let i: u32 = 0; i < n; i++) {
    const at = cursors + (<usize>load<u32>(channels + (<usize>i << 2)) << 2);
    const to = <usize>load<u32>(at);
    store<T>(to, load<T>(source + <usize>i * width));
    store<u32>(at, <u32>(to + width));
  }
}
