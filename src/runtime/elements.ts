import type { RecordBatch } from '../batch/record-batch.ts';

/**
 * The closed union of what travels on a channel between subtasks. Watermarks, idleness and end of input are
 * in-band, so they stay ordered with the records around them (SEMANTICS.md §2.1, §2.6).
 */
export type StreamElement =
  | { readonly kind: 'data'; readonly batch: RecordBatch }
  | { readonly kind: 'watermark'; readonly timestamp: number }
  | { readonly kind: 'status'; readonly idle: boolean }
  | { readonly kind: 'end' };
