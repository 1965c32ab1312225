/** A binary min-heap ordered by `less`; used for timers. */
export class PriorityQueue<T> {
  private readonly heap: T[] = [];

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  peek(): T | undefined {
    return this.heap[0];
  }

  push(item: T): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i] as T, heap[parent] as T)) break;
      [heap[i], heap[parent]] = [heap[parent] as T, heap[i] as T];
      i = parent;
    }
  }

  pop(): T | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.less(heap[l] as T, heap[m] as T)) m = l;
        if (r < heap.length && this.less(heap[r] as T, heap[m] as T)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as T, heap[i] as T];
        i = m;
      }
    }
    return top;
  }

  /** Removes every item matching `predicate`; O(n). */
  removeWhere(predicate: (item: T) => boolean): void {
    const kept = this.heap.filter((item) => !predicate(item));
    this.heap.length = 0;
    for (const item of kept) this.push(item);
  }
}
