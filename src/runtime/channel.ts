/**
 * An in-process channel between one upstream and one downstream subtask: a FIFO of stream elements with a bound
 * on queued data batches. The bound is the credit (SEMANTICS.md §8): a writer whose channel has no credit left is
 * not scheduled, so a slow consumer slows its producers and memory stays bounded.
 */
import { decodeColumnar } from '../batch/columnar-layout.ts';
import { RecordBatch } from '../batch/record-batch.ts';
import type { StreamElement } from './elements.ts';

export class Channel {
  private readonly queue: (StreamElement | undefined)[] = [];
  private head = 0;
  private queuedBatches = 0;
  private queuedRecordCount = 0;

  constructor(readonly capacity: number) {}

  hasCredit(): boolean {
    return this.queuedBatches < this.capacity;
  }

  get isEmpty(): boolean {
    return this.head === this.queue.length;
  }

  /** Records waiting in this channel (a metric, and what the backpressure bound is checked against). */
  get queuedRecords(): number {
    return this.queuedRecordCount;
  }

  /** Data batches waiting in this channel (what credit counts). */
  get queuedBatchCount(): number {
    return this.queuedBatches;
  }

  push(element: StreamElement): void {
    if (element.kind === 'data') {
      this.queuedBatches++;
      this.queuedRecordCount += element.batch.length;
    }
    this.queue.push(element);
  }

  /**
   * Pushes a columnar batch given in its wire layout (columnar-layout.ts), which this channel owns from now on: an
   * in-process channel queues views into it, a remote one sends the buffer as it is, with no second copy.
   */
  pushEncodedColumnar(encoded: ArrayBuffer): void {
    this.push({ kind: 'data', batch: RecordBatch.fromColumnar(decodeColumnar(encoded)), wire: encoded });
  }

  poll(): StreamElement | undefined {
    if (this.head === this.queue.length) return undefined;
    const element = this.queue[this.head];
    this.queue[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (element?.kind === 'data') {
      this.queuedBatches--;
      this.queuedRecordCount -= element.batch.length;
    }
    return element;
  }
}
