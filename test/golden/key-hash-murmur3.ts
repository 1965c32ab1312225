/**
 * Published MurmurHash3_x86_32 vectors over raw bytes — hand-written, never generated. They prove that the hash
 * under the key encoding is the standard one (smhasher `MurmurHash3_x86_32`), not a look-alike. Sources: the
 * widely reproduced test-vector list of StackOverflow question 14747343 "MurmurHash3 test vectors" (also used by
 * Boost.Hash2's murmur3_32 tests), and the seed-0 text examples quoted with most MurmurHash3 calculators.
 */
export interface Murmur3Vector {
  /** Input bytes as hex, or text (UTF-8). */
  readonly hex?: string;
  readonly text?: string;
  readonly seed: number;
  /** Expected hash, unsigned. */
  readonly hash: number;
}

export const MURMUR3_X86_32_VECTORS: readonly Murmur3Vector[] = [
  { text: '', seed: 0, hash: 0 },
  { text: 'hello', seed: 0, hash: 0x248bfa47 },
  { text: 'The quick brown fox jumps over the lazy dog', seed: 0, hash: 0x2e4ff723 },
  { hex: 'ffffffff', seed: 0, hash: 0x76293b50 },
  { hex: '21436587', seed: 0, hash: 0xf55b516b },
  { hex: '214365', seed: 0, hash: 0x7e4a8634 },
  { hex: '2143', seed: 0, hash: 0xa0f7b07a },
  { hex: '21', seed: 0, hash: 0x72661cf4 },
  { hex: '00000000', seed: 0, hash: 0x2362f9de },
  { hex: '000000', seed: 0, hash: 0x85f0b427 },
  { hex: '0000', seed: 0, hash: 0x30f4c306 },
  { hex: '00', seed: 0, hash: 0x514e28b7 },
  // non-zero seeds exercise the seed argument of both implementations
  { text: '', seed: 1, hash: 0x514e28b7 },
  { text: '', seed: 0xffffffff, hash: 0x81f16f39 },
  { hex: '21436587', seed: 0x5082edee, hash: 0x2362f9de },
  { text: 'Hello, world!', seed: 0x9747b28c, hash: 0x24884cba },
  { text: 'ππππππππ', seed: 0x9747b28c, hash: 0xd58063c1 },
  { text: 'abc', seed: 0x9747b28c, hash: 0xc84a62dd },
];

/**
 * Real Flink output: 4-character strings printed by a program running Flink's
 * `MathUtils.murmurHash(s.hashCode()) % 128 == 17` (a published example in a fork of apache/flink,
 * `flink-examples/.../wordcount/KeyGroupTest.java`). Feeding Java's String.hashCode of each through our
 * flinkMurmurHash must give key group 17 at maxParallelism 128 — an independent check of SEMANTICS.md §5.2.
 */
export const FLINK_KEY_GROUP_17_OF_128: readonly string[] = [
  'UM57',
  'pIUm',
  'Unpw',
  'HRvb',
  'HwHh',
  'Z6nR',
  'v4fA',
  '6RjC',
  'FLbh',
  'uItr',
];
