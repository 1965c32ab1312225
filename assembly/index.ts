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
