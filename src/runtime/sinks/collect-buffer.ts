/**
 * Where a collecting sink puts records for the caller: an unbounded FIFO readable as an async iterable, ended
 * when the job finishes and failed with the job's error. Used by executeAndCollect() and collectAsync().
 */
export class CollectBuffer<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private head = 0;
  private done = false;
  private error: Error | undefined;
  private notify: (() => void) | undefined;
  private iterated = false;

  push(value: T): void {
    this.items.push(value);
    this.wake();
  }

  /** Ends the stream; with an error, readers reject once they have drained what arrived before it. */
  end(error?: Error): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    this.wake();
  }

  /** Nothing arrived since the last drain (or read). */
  get isEmpty(): boolean {
    return this.head === this.items.length;
  }

  /** Everything collected so far (executeAndCollect reads this once the job has finished). */
  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items.length = 0; // a long-running job drains often: keep nothing behind
    this.head = 0;
    return rest;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) throw new Error('collectAsync() results can be iterated only once');
    this.iterated = true;
    for (;;) {
      while (this.head < this.items.length) {
        const value = this.items[this.head] as T;
        this.items[this.head++] = undefined as T;
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items.splice(0, this.head); // an endless stream read as it comes must not keep a trail of holes
          this.head = 0;
        }
        yield value;
      }
      if (this.done) {
        if (this.error) throw this.error;
        return;
      }
      await new Promise<void>((resolve) => (this.notify = resolve));
    }
  }

  private wake(): void {
    const notify = this.notify;
    this.notify = undefined;
    notify?.();
  }
}
