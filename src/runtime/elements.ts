import type { RecordBatch } from '../batch/record-batch.ts';

/**
 * The closed union of what travels on a channel between subtasks. Watermarks, idleness and end of input are
 * in-band, so they stay ordered with the records around them (SEMANTICS.md §2.1, §2.6).
 */
export type StreamElement =
  | {
      readonly kind: 'data';
      readonly batch: RecordBatch;
      /**
       * The buffer every array of the batch views, when the channel decoded the batch from it and nothing else
       * holds it. Once the reading operator keeps nothing of the batch, the buffer may go back to the thread's
       * pool (buffer-pool.ts). It belongs to this element, not to the batch, which an operator may pass on.
       */
      readonly wire?: ArrayBuffer;
    }
  | { readonly kind: 'watermark'; readonly timestamp: number }
  | { readonly kind: 'status'; readonly idle: boolean }
  /** Checkpoint barrier n (SEMANTICS.md §6): never overtakes records; a savepoint's barrier is one too. */
  | { readonly kind: 'barrier'; readonly checkpointId: number }
  | { readonly kind: 'end' };
