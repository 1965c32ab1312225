/**
 * What a source subtask reads from. `poll` is synchronous and never blocks: an asynchronous source answers
 * `pending` with a promise that settles when it can make progress. Readers emit watermarks themselves only when
 * they are scripted (TestStream); otherwise watermarks come from a WatermarkStrategy downstream.
 */
import type { RecordBatch } from '../../batch/record-batch.ts';

export type SourcePoll =
  | { readonly kind: 'batch'; readonly batch: RecordBatch }
  | { readonly kind: 'watermark'; readonly timestamp: number }
  /** Move the job's processing-time clock, once everything emitted so far has been processed (TestStream). */
  | { readonly kind: 'advance-clock'; readonly ms: number }
  | { readonly kind: 'pending'; readonly ready: Promise<void> }
  | { readonly kind: 'end' };

export interface SourceReader {
  /** Returns the next batch (at most `maxRecords` records), event or state. */
  poll(maxRecords: number): SourcePoll;
  /** Releases resources; called once, on end, failure or cancellation. */
  close(): void;
  /**
   * Replayable sources: the reader's splits with their positions, plain data (checkpoint/operator-state.ts). A
   * reader built from them (SourceFactory's `restored`) continues exactly after the last record polled before
   * this call. A reader without it cannot be checkpointed: enableCheckpointing refuses such a job.
   */
  snapshotState?(): unknown[];
  /**
   * `batch`, polled from this reader, is no longer referenced anywhere (Output.collect said so): its arrays may be
   * reused for a later batch. Never called for a batch that may still be read.
   */
  recycle?(batch: RecordBatch): void;
}
