// One scratch region at the end of linear memory that JS fills with a batch before each call. There is no
// allocator: the kernels hold no state between calls, so the region is simply reused by the next batch.

/** Start of the scratch region: the first 16-byte-aligned address past static data. Never moves. */
const SCRATCH_BASE: usize = (__heap_base + 15) & ~(<usize>15);

/**
 * Makes `[SCRATCH_BASE, SCRATCH_BASE + bytes)` addressable, growing memory if needed, and returns SCRATCH_BASE,
 * or 0 when memory cannot grow that far. Growth at least doubles memory so that a batch filled incrementally
 * grows it O(log n) times. Growing detaches every JS view of `memory.buffer`; contents are preserved.
 */
export function reserveScratch(bytes: usize): usize {
  const end = SCRATCH_BASE + bytes;
  if (end < SCRATCH_BASE) return 0; // wrapped past 4 GiB
  const current = memory.size();
  const available = <usize>current << 16;
  if (end <= available) return SCRATCH_BASE;
  const needed = <i32>((end - available + 0xffff) >>> 16);
  if (memory.grow(max(needed, current)) < 0 && memory.grow(needed) < 0) return 0;
  return SCRATCH_BASE;
}
