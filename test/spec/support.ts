/** Shared helpers for specs: an operator probe in the spirit of Flink's operator test harness. */
import type { DataStream } from '../../src/index.ts';
import type { RecordBatch } from '../../src/batch/record-batch.ts';
import { BaseOperator } from '../../src/runtime/operator.ts';

/** What a probe saw, in arrival order. */
export type ProbeEvent =
  | { readonly record: unknown; readonly timestamp: number }
  | { readonly watermark: number }
  | { readonly idle: boolean }
  | { readonly end: true };

/** Passes everything through and logs records, watermarks, idleness and end of input into `log`. */
export class ProbeOperator extends BaseOperator {
  constructor(private readonly log: ProbeEvent[]) {
    super();
  }

  processBatch(batch: RecordBatch): void {
    for (let i = 0; i < batch.length; i++) {
      this.log.push({ record: batch.values[i], timestamp: batch.timestamps[i] as number });
    }
    this.output.collect(batch);
  }

  override processWatermark(timestamp: number): void {
    this.log.push({ watermark: timestamp });
    super.processWatermark(timestamp);
  }

  override processWatermarkStatus(idle: boolean): void {
    this.log.push({ idle });
    super.processWatermarkStatus(idle);
  }

  override endInput(): void {
    this.log.push({ end: true });
  }
}

/** Attaches a probe to `stream` and returns the log it fills plus the stream after it. */
export function probe<T>(stream: DataStream<T>, log: ProbeEvent[] = []): { log: ProbeEvent[]; out: DataStream<T> } {
  const out = stream.transform<T>('probe', 'Probe', () => new ProbeOperator(log));
  return { log, out };
}

/** An async iterable that yields `values` then waits forever (until its consumer returns). */
export async function* endless<T>(values: readonly T[]): AsyncGenerator<T> {
  for (const v of values) yield v;
  await new Promise(() => {});
}

/** Resolves after one macrotask turn. */
export function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms; rejects naming `what` if it is still false after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await tick(5);
  }
}

/** A seeded pseudo-random source in [0, 1) (mulberry32), so every runtime sees the same "random" inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
