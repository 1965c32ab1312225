// MurmurHash3_x86_32 (Austin Appleby, public domain; smhasher `src/MurmurHash3.cpp`, `MurmurHash3_x86_32`) over
// raw bytes in linear memory. Blocks are read as little-endian u32 — WebAssembly loads are little-endian, so this
// is the reference algorithm on x86 — and the 1..3 tail bytes are folded in little-endian order.

const C1: u32 = 0xcc9e2d51;
const C2: u32 = 0x1b873593;

/** Scrambles one 32-bit block before it is mixed into the state (the `k1` steps of the reference). */
// @ts-ignore: decorator
@inline
export function scrambleBlock(k: u32): u32 {
  k *= C1;
  k = rotl<u32>(k, 15);
  return k * C2;
}

/** The finalizer `fmix32`: forces every input bit to affect every output bit. */
// @ts-ignore: decorator
@inline
export function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  return h ^ (h >>> 16);
}

/** MurmurHash3_x86_32 of the `len` bytes at `ptr`, with `seed`. */
export function murmur3_32(ptr: usize, len: u32, seed: u32): u32 {
  let h = seed;
  const blocksEnd = ptr + <usize>(len & ~3);
  let p = ptr;
  while (p < blocksEnd) {
    h ^= scrambleBlock(load<u32>(p));
    h = rotl<u32>(h, 13);
    h = h * 5 + 0xe6546b64;
    p += 4;
  }
  const tail = len & 3;
  if (tail != 0) {
    let k: u32 = <u32>load<u8>(p);
    if (tail >= 2) k |= <u32>load<u8>(p, 1) << 8;
    if (tail == 3) k |= <u32>load<u8>(p, 2) << 16;
    h ^= scrambleBlock(k);
  }
  return fmix32(h ^ len);
}
