/**
 * Wire buffers kept for reuse, one pool per thread (after Flink's network buffer pool, which recycles memory
 * segments rather than allocating one per buffer). A keyed split lays each channel's share out in a buffer from
 * here; once the subtask reading that share is done with it and its operator keeps nothing of it
 * (Operator.processBatch → true), the buffer comes back. Shares that crossed to another worker return to that
 * worker's pool, which in a keyed shuffle sends as much as it receives.
 *
 * Buffers come in size classes, multiples of CLASS_BYTES, so that shares of slightly different row counts reuse
 * each other's buffers: the columnar layout accepts a buffer longer than its encoding. Smaller requests get an
 * exact fresh buffer and are never pooled. At most MAX_POOLED_BYTES stay pooled; beyond that a returned buffer is
 * left to the garbage collector. An inline job empties its thread's pool when it ends; a worker of a WorkerPool
 * keeps its pool for the next job.
 */

export const CLASS_BYTES = 64 * 1024;
export const MAX_POOLED_BYTES = 16 * 1024 * 1024;

export class BufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  /** Every buffer in `free`: one given twice would later be handed to two users at once. */
  private readonly held = new WeakSet<ArrayBuffer>();
  private pooledBytes = 0;

  constructor(private readonly maxPooledBytes = MAX_POOLED_BYTES) {}

  /** Bytes held for reuse. */
  get pooled(): number {
    return this.pooledBytes;
  }

  /**
   * A buffer of at least `minBytes`: a pooled one of its size class (or the next), else a fresh one of the class
   * size. A pooled buffer holds whatever its last user wrote; the caller overwrites what it reads back.
   */
  take(minBytes: number): ArrayBuffer {
    if (minBytes < CLASS_BYTES) return new ArrayBuffer(minBytes);
    const size = Math.ceil(minBytes / CLASS_BYTES) * CLASS_BYTES;
    const buffer = this.pop(size) ?? this.pop(size + CLASS_BYTES);
    return buffer ?? new ArrayBuffer(size);
  }

  /**
   * Keeps `buffer` for a later `take`. The caller gives up every view of it: nothing may read or write it
   * afterwards. Detached buffers, buffers outside the size classes and buffers past the bound are dropped.
   */
  give(buffer: ArrayBuffer): void {
    const size = buffer.byteLength;
    if (this.held.has(buffer)) throw new Error('internal error: a buffer was returned to the pool twice');
    if (size === 0 || size % CLASS_BYTES !== 0 || this.pooledBytes + size > this.maxPooledBytes) return;
    this.held.add(buffer);
    const list = this.free.get(size);
    if (list === undefined) this.free.set(size, [buffer]);
    else list.push(buffer);
    this.pooledBytes += size;
  }

  /** Drops every pooled buffer. */
  clear(): void {
    for (const list of this.free.values()) for (const buffer of list) this.held.delete(buffer);
    this.free.clear();
    this.pooledBytes = 0;
  }

  private pop(size: number): ArrayBuffer | undefined {
    const buffer = this.free.get(size)?.pop();
    if (buffer !== undefined) {
      this.pooledBytes -= size;
      this.held.delete(buffer);
    }
    return buffer;
  }
}

/** This thread's pool (module state is per thread: every worker has its own). */
export const wireBuffers = new BufferPool();
