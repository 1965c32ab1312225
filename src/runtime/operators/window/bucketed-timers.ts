/**
 * The EventTimeTrigger timers of the window operator's fast path (window-operator.ts), bucketed by time: every
 * key's window [s, e) shares the timestamp e - 1, so one bucket holds them all and firing walks a list instead of
 * popping a heap entry per window (as the WebAssembly kernel does, assembly/window-*.ts). The general timer service
 * keeps a per-timer id string, map entry and heap node; those were a quarter of the object path's time.
 *
 * Order: buckets fire in ascending time; within one, in the order the timers were added (the service's tie rule).
 * The fast path adds at most one timer per (key, window) — its WindowEntry flag says so — and never deletes one.
 */
export class BucketedTimers<T> {
  private readonly buckets = new Map<number, T[]>();
  /** Times with a bucket, ascending. Windows mostly arrive in time order, so insertion is usually an append. */
  private readonly times: number[] = [];

  get size(): number {
    let n = 0;
    for (const bucket of this.buckets.values()) n += bucket.length;
    return n;
  }

  add(time: number, item: T): void {
    const bucket = this.buckets.get(time);
    if (bucket !== undefined) {
      bucket.push(item);
      return;
    }
    this.buckets.set(time, [item]);
    const times = this.times;
    let at = times.length;
    while (at > 0 && (times[at - 1] as number) > time) at--;
    times.splice(at, 0, time);
  }

  /** Removes every timer with time <= `watermark` and calls `fire(time, item)` for each, oldest bucket first. */
  fireUpTo(watermark: number, fire: (time: number, item: T) => void): void {
    while (this.times.length > 0 && (this.times[0] as number) <= watermark) {
      const time = this.times.shift() as number;
      const bucket = this.buckets.get(time) as T[];
      this.buckets.delete(time);
      for (let i = 0; i < bucket.length; i++) fire(time, bucket[i] as T);
    }
  }
}
