import type { TestStreamEvent } from '../../api/test-stream.ts';
import { RecordBatch } from '../../batch/record-batch.ts';
import type { SourcePoll, SourceReader } from './source-reader.ts';

/** Replays a TestStream script: consecutive elements become one batch; watermarks and clock moves stay in place. */
export class TestStreamReader<T> implements SourceReader {
  private position = 0;

  constructor(private readonly events: readonly TestStreamEvent<T>[]) {}

  /** A reader continuing at the position in `restored` (what snapshotState returned), or at the start. */
  static restore<T>(
    events: readonly TestStreamEvent<T>[],
    restored: readonly unknown[] | undefined,
  ): TestStreamReader<T> {
    const reader = new TestStreamReader(events);
    const saved = restored?.[0] as { position: number } | undefined;
    reader.position = saved?.position ?? 0;
    return reader;
  }

  snapshotState(): { position: number }[] {
    return [{ position: this.position }];
  }

  poll(maxRecords: number): SourcePoll {
    const event = this.events[this.position];
    if (event === undefined) return { kind: 'end' };
    if (event.kind === 'watermark') {
      this.position++;
      return { kind: 'watermark', timestamp: event.timestamp };
    }
    if (event.kind === 'processing-time') {
      this.position++;
      return { kind: 'advance-clock', ms: event.ms };
    }
    const values: T[] = [];
    const timestamps: number[] = [];
    for (let e = this.events[this.position]; e?.kind === 'element' && values.length < maxRecords;) {
      values.push(e.value);
      timestamps.push(e.timestamp);
      e = this.events[++this.position];
    }
    return { kind: 'batch', batch: new RecordBatch(values, timestamps) };
  }

  close(): void {}
}
