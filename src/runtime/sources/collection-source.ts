/**
 * Reads a synchronous or asynchronous iterable (fromElements, fromCollection). Records carry no timestamp. An
 * async iterable is pumped in the background into a bounded buffer, so `poll` never blocks and the source stays
 * backpressured (the pump pauses while the buffer is full).
 */
import { RecordBatch } from '../../batch/record-batch.ts';
import { NO_TIMESTAMP } from '../time.ts';
import type { SourcePoll, SourceReader } from './source-reader.ts';

const ASYNC_BUFFER_LIMIT = 4096;

/** The checkpointed position of an IterableSourceReader: how many records it has emitted. */
export interface IterablePosition {
  readonly consumed: number;
}

/**
 * Replayable when the iterable yields the same sequence each time it is iterated (arrays, sets, fromElements):
 * the position is the number of records emitted, and a restored reader skips that many from a fresh iterator.
 */
export class IterableSourceReader<T> implements SourceReader {
  private readonly iterator: Iterator<T>;
  private exhausted = false;
  private consumed = 0;

  constructor(iterable: Iterable<T>) {
    this.iterator = iterable[Symbol.iterator]();
  }

  /**
   * A reader continuing after `restored` (what snapshotState returned; the source runs at parallelism 1, so one
   * position). Without a position it starts at the beginning.
   */
  static restore<T>(iterable: Iterable<T>, restored: readonly unknown[] | undefined): IterableSourceReader<T> {
    const reader = new IterableSourceReader(iterable);
    const skip = (restored ?? []).reduce<number>((sum, p) => sum + (p as IterablePosition).consumed, 0);
    while (reader.consumed < skip && !reader.iterator.next().done) reader.consumed++;
    return reader;
  }

  snapshotState(): IterablePosition[] {
    return [{ consumed: this.consumed }];
  }

  poll(maxRecords: number): SourcePoll {
    if (this.exhausted) return { kind: 'end' };
    const values: T[] = [];
    while (values.length < maxRecords) {
      const next = this.iterator.next();
      if (next.done) {
        this.exhausted = true;
        break;
      }
      values.push(next.value);
    }
    if (values.length === 0) return { kind: 'end' };
    this.consumed += values.length;
    return {
      kind: 'batch',
      batch: new RecordBatch(
        values,
        values.map(() => NO_TIMESTAMP),
      ),
    };
  }

  close(): void {
    if (!this.exhausted) this.iterator.return?.();
    this.exhausted = true;
  }
}

/** Not replayable (an async iterable cannot be rewound), so it has no snapshotState: it cannot be checkpointed. */
export class AsyncIterableSourceReader<T> implements SourceReader {
  private readonly iterator: AsyncIterator<T>;
  private buffer: T[] = [];
  private state: 'idle' | 'pumping' | 'done' | 'closed' = 'idle';
  private failure: { error: unknown } | undefined;
  private ready: Promise<void> | undefined;
  private signalReady: (() => void) | undefined;

  constructor(iterable: AsyncIterable<T>) {
    this.iterator = iterable[Symbol.asyncIterator]();
  }

  poll(maxRecords: number): SourcePoll {
    if (this.failure) throw this.failure.error;
    if (this.buffer.length > 0) {
      const values = this.buffer.length <= maxRecords ? this.buffer : this.buffer.slice(0, maxRecords);
      this.buffer = this.buffer.length <= maxRecords ? [] : this.buffer.slice(maxRecords);
      this.startPump();
      return {
        kind: 'batch',
        batch: new RecordBatch(
          values,
          values.map(() => NO_TIMESTAMP),
        ),
      };
    }
    if (this.state === 'done') return { kind: 'end' };
    this.startPump();
    this.ready ??= new Promise<void>((resolve) => (this.signalReady = resolve));
    return { kind: 'pending', ready: this.ready };
  }

  close(): void {
    if (this.state !== 'done') void this.iterator.return?.()?.catch?.(() => {});
    this.state = 'closed';
  }

  private startPump(): void {
    if (this.state !== 'idle') return;
    this.state = 'pumping';
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      while (this.buffer.length < ASYNC_BUFFER_LIMIT) {
        const next = await this.iterator.next();
        if ((this.state as string) === 'closed') return;
        if (next.done) {
          this.state = 'done';
          break;
        }
        this.buffer.push(next.value);
        this.signal();
      }
      if (this.state === 'pumping') this.state = 'idle';
    } catch (error) {
      this.failure = { error };
      this.state = 'done';
    }
    this.signal();
  }

  private signal(): void {
    const resolve = this.signalReady;
    this.ready = undefined;
    this.signalReady = undefined;
    resolve?.();
  }
}
