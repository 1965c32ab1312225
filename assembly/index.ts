// rivulet.wasm — the whole ABI of Rivulet's WebAssembly kernels. Flat numbers only: byte addresses into the
// exported `memory`, lengths and counts; no managed AssemblyScript objects cross it (DESIGN.md §2 "WASM kernels").
//
// Calling protocol (src/wasm/kernel.ts):
//   1. base = reserve(bytes)          — scratch region of `bytes` bytes; 0 if memory cannot grow that far.
//   2. JS writes the batch at base..   — after re-deriving its views of memory.buffer (reserve may grow memory,
//                                        which detaches every earlier view).
//   3. JS calls one batch kernel and reads the results from the scratch region.
//
// Batch of encoded keys (keys as encoded by src/wasm/key-encoding.ts), all addresses 4-byte aligned except data:
//
//   offsets: i32[count + 1]   key i is data[offsets[i] .. offsets[i+1]) — byte offsets relative to `data`,
//                             non-decreasing, offsets[0] = 0
//   data:    u8[offsets[count]]
//   out:     i32[count] / u32[count]
//
// Key group of a key = flinkMurmurHash(murmur3_32(encoded key, seed 0)) % maxParallelism (SEMANTICS.md §5.2 with
// the canonical hash in place of Java's hashCode). The caller validates maxParallelism (1..32768); 0 traps.

import { flinkMurmurHash } from './flink-murmur';
import { murmur3_32 } from './murmur3';
import { reserveScratch } from './scratch';

/** Ensures the scratch region holds `bytes` bytes and returns its (stable) base address, or 0 on failure. */
export function reserve(bytes: u32): u32 {
  return <u32>reserveScratch(<usize>bytes);
}

/** MurmurHash3_x86_32 of `len` raw bytes at `ptr` with `seed`, as an unsigned 32-bit value. */
export function murmur3(ptr: u32, len: u32, seed: u32): u32 {
  return murmur3_32(<usize>ptr, len, seed);
}

/** Flink's `MathUtils.murmurHash` of a 32-bit key hash (non-negative result). */
export function flinkMurmur(code: i32): i32 {
  return flinkMurmurHash(code);
}

/** out[i] = murmur3_32(key i, seed 0) for the `count` keys described by `offsets` over `data`. */
export function keyHashes(data: u32, offsets: u32, count: u32, out: u32): void {
  let start = load<u32>(<usize>offsets);
  for (let i: u32 = 0; i < count; i++) {
    const end = load<u32>(<usize>offsets + ((<usize>i + 1) << 2));
    store<u32>(<usize>out + (<usize>i << 2), murmur3_32(<usize>data + start, end - start, 0));
    start = end;
  }
}

/** out[i] = key group of key i under `maxParallelism` (1..32768), for the batch described as in keyHashes. */
export function keyGroups(data: u32, offsets: u32, count: u32, maxParallelism: i32, out: u32): void {
  let start = load<u32>(<usize>offsets);
  for (let i: u32 = 0; i < count; i++) {
    const end = load<u32>(<usize>offsets + ((<usize>i + 1) << 2));
    const hash = murmur3_32(<usize>data + start, end - start, 0);
    store<i32>(<usize>out + (<usize>i << 2), flinkMurmurHash(<i32>hash) % maxParallelism);
    start = end;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Channel split (assembly/channel-split.ts; JS side src/wasm/channel-split.ts): a keyed partitioner's shares of a
// batch's numeric columns, one pass per column, on the scratch region:
//
//   channels u32[n] | counts u32[channelCount] | cursors u32[channelCount] | source | outputs
//
// Channels are checked by splitCount before any scatter trusts them.

import { countChannels, scatter32, scatter64 } from './channel-split';
import { lookupSmallKeys } from './small-keys';

/** out[i] = table[keys[i]] - 1 for keys (i32, or f64 when wide) below `size`, else -1; returns the hits. */
export function smallKeyLookup(keys: u32, wide: bool, n: u32, table: u32, size: u32, out: u32): u32 {
  return lookupSmallKeys(<usize>keys, wide, n, <usize>table, size, <usize>out);
}

/** counts[c] = rows of channel c; -1, or the first row whose channel is >= channelCount. */
export function splitCount(channels: u32, n: u32, channelCount: u32, counts: u32): i32 {
  return countChannels(<usize>channels, n, channelCount, <usize>counts);
}

/** Stores each 8-byte element of `source` (n) at its row's channel cursor, advancing the cursor. */
export function splitScatter64(source: u32, channels: u32, n: u32, channelCount: u32, cursors: u32): void {
  scatter64(<usize>source, <usize>channels, n, channelCount, <usize>cursors);
}

/** As splitScatter64, for 4-byte elements. */
export function splitScatter32(source: u32, channels: u32, n: u32, channelCount: u32, cursors: u32): void {
  scatter32(<usize>source, <usize>channels, n, channelCount, <usize>cursors);
}

import { maxTimestampOf } from './timestamps';

/** The largest of the n f64 timestamps at `ptr`, or NaN if one is NO_TIMESTAMP; -Infinity for none. */
export function maxTimestamp(ptr: u32, n: u32): f64 {
  return maxTimestampOf(<usize>ptr, n);
}

// ---------------------------------------------------------------------------------------------------------------
// Windowed aggregation (assembly/window-agg.ts; JS side src/wasm/window-kernel.ts, reference
// src/wasm/window-agg-reference.ts). Each window operator subtask owns a separate instance of this module: its
// state lives in that instance's linear memory between calls. Such an instance serves only the windowAgg*
// functions — its memory starts with the window header (assembly/window-regions.ts), which `reserve` would
// overwrite — and the shared key-hashing instance never calls windowAggInit.
//
// Memory of an instance (assembly/window-regions.ts, window-outputs.ts):
//
//   header   u32 base, u32 capacity × 18 region descriptors | i32 created, emitted, late, freed, live windows,
//            snapshot bytes, detail
//   regions  0 input | 1 key groups | 2 keys | 3 slots | 4 timers | 5 index | 6–8 created | 9 late |
//            10–16 emissions | 17 freed — back to back, each growing in place and moving the later ones
//
// After every call JS re-derives its views and reads, from the header, the counts and each output column's base:
//   created   (process, restore)  i32 slot[] | i32 row[] | f64 start[]                   windows created, in order
//   emissions (process, advance)  i32 slot[] | i32 key[] | f64 start[], count[], sum[], min[], max[]   firings
//   late      (process)           i32 row[]          rows added to no window and late (ts + lateness <= watermark)
//   freed     (advance)           i32 slot[]         windows cleaned up; their slot ids are reused
// Status results: 0 ok, 1 bad row, 2 key without key group, 3 not a snapshot, 4 snapshot of other windows,
// 5 duplicate window; the header's detail word names the row / key / record. Key indices are dense: memory grows
// with the largest one. Out of memory traps, and the instance must then be discarded.

import {
  advance as windowAdvance,
  header as windowHeader,
  init as windowInit,
  process as windowProcess,
  reserveInput as windowReserveInput,
  restore as windowRestore,
  snapshot as windowSnapshot,
} from './window-agg';
import { setKeyGroup as windowSetKeyGroup } from './window-snapshot';

/**
 * Sets up a fresh instance: kind 0 tumbling(size, offset), 1 sliding(size, slide, offset); allowedLateness >= 0.
 * Times are integer milliseconds in f64; the caller validated them (SEMANTICS.md §1.2, §1.3). Returns the header.
 */
export function windowAggInit(kind: i32, size: f64, slide: f64, offset: f64, allowedLateness: f64): u32 {
  windowInit(kind, size, slide, offset, allowedLateness);
  return <u32>windowHeader();
}

/** Makes the input region at least `bytes` long and returns its address; may grow memory. */
export function windowAggReserve(bytes: u32): u32 {
  return <u32>windowReserveInput(bytes);
}

/** Processes the batch in the input region: f64 timestamps[n] | f64 values[n] | i32 keys[n]. */
export function windowAggProcess(n: i32): i32 {
  return windowProcess(n);
}

/** Advances the watermark (ignored unless greater than the current one): fires, then frees, windows. */
export function windowAggAdvance(watermark: f64): void {
  windowAdvance(watermark);
}

/** Records the key group of key index `key` (>= 0), used by snapshots. */
export function windowAggSetKeyGroup(key: i32, group: i32): void {
  windowSetKeyGroup(key, group);
}

/** Writes the snapshot of key group `group` to the input region; its length is in the header. */
export function windowAggSnapshot(group: i32): i32 {
  return windowSnapshot(group);
}

/** Restores the snapshot of `length` bytes in the input region into this instance. */
export function windowAggRestore(length: u32): i32 {
  return windowRestore(length);
}
