import type { RecordBatch } from '../batch/record-batch.ts';

/**
 * The closed union of what travels on a channel between subtasks. Watermarks, idleness and end of input are
 * in-band, so they stay ordered with the records around them (SEMANTICS.md §2.1, §2.6).
 */
export type StreamElement =
  | { readonly kind: 'data'; readonly batch: RecordBatch }
  | { readonly kind: 'watermark'; readonly timestamp: number }
  | { readonly kind: 'status'; readonly idle: boolean }
  /** Checkpoint barrier n (SEMANTICS.md §6): never overtakes records; a savepoint's barrier is one too. */
  | { readonly kind: 'barrier'; readonly checkpointId: number }
  | { readonly kind: 'end' };
