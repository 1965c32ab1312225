/**
 * The workload of the windowed-sum benches: `count` events over `keys` keys, event time advancing 1 ms every
 * `eventsPerMs` events, values 0..9; a keyed tumbling sum over 1 s windows. One generator feeds both the engine
 * (as columns) and the hand-written baseline, which is the loop a JS developer would write: typed arrays in,
 * a Map per open window, windows emitted as the watermark passes them.
 */
export interface Workload {
  readonly count: number;
  readonly keys: number;
  readonly eventsPerMs: number;
  readonly windowMs: number;
  /** Rows generated per batch (the engine's batch size; the baseline's chunk). */
  readonly batchSize: number;
}

/** Fills rows [first, first + rows) of the workload. */
export function fill(w: Workload, key: Int32Array, value: Float64Array, ts: Float64Array, first: number, rows: number) {
  for (let i = 0; i < rows; i++) {
    const n = first + i;
    key[i] = (n * 7919) % w.keys;
    value[i] = n % 10;
    ts[i] = Math.floor(n / w.eventsPerMs);
  }
}

/**
 * The baseline: per chunk, generate the rows, add each to its window's Map (keyed tumbling sum), then emit every
 * window that the watermark (max timestamp - 1, as forMonotonousTimestamps) has passed. Returns windows emitted.
 */
export function handWrittenMapLoop(w: Workload): number {
  const key = new Int32Array(w.batchSize);
  const value = new Float64Array(w.batchSize);
  const ts = new Float64Array(w.batchSize);
  const open = new Map<number, Map<number, number>>(); // window start → key → sum
  let emitted = 0;
  let checksum = 0;
  for (let first = 0; first < w.count; first += w.batchSize) {
    const rows = Math.min(w.batchSize, w.count - first);
    fill(w, key, value, ts, first, rows);
    let maxTs = -Infinity;
    for (let i = 0; i < rows; i++) {
      const t = ts[i]!;
      const start = t - (t % w.windowMs);
      let sums = open.get(start);
      if (sums === undefined) open.set(start, (sums = new Map()));
      const k = key[i]!;
      sums.set(k, (sums.get(k) ?? 0) + value[i]!);
      if (t > maxTs) maxTs = t;
    }
    const watermark = maxTs - 1;
    for (const [start, sums] of open) {
      if (start + w.windowMs - 1 > watermark) continue;
      for (const sum of sums.values()) checksum += sum;
      emitted += sums.size;
      open.delete(start);
    }
  }
  for (const sums of open.values()) {
    for (const sum of sums.values()) checksum += sum;
    emitted += sums.size;
  }
  if (!Number.isFinite(checksum)) throw new Error('unreachable');
  return emitted;
}
