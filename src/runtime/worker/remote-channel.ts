/**
 * The two ends of a channel whose subtasks run in different workers, seen by deploy.ts as ordinary Channels: a
 * RecordWriter pushes into a RemoteOutputChannel, an InputSubtask polls a RemoteInputChannel. Between them is a
 * MessagePort pair (DataSender / DataReceiver of data-port.ts): batches cross as transferred ArrayBuffers
 * (batch-wire.ts), watermarks, idleness, checkpoint barriers and end of input in-band, in order.
 *
 * Credits: the receiver grants `capacity` batches. A writer is scheduled only while `hasCredit()`; batches pushed
 * beyond the credit (a flush at the end of a step, an event) wait here, already encoded, and leave in order as
 * credit returns. The receiver returns a credit when its subtask polls the batch, so a slow consumer backpressures
 * its producers across workers as it does in-process (SEMANTICS.md §8).
 */
import { Channel } from '../channel.ts';
import type { StreamElement } from '../elements.ts';
import { batchFromWire, batchToWire } from './batch-wire.ts';
import { DataReceiver, DataSender, type DataMessage } from './data-port.ts';

type Outgoing = { readonly kind: 'data'; readonly buffer: ArrayBuffer } | Exclude<StreamElement, { kind: 'data' }>;

export class RemoteOutputChannel extends Channel {
  private readonly sender: DataSender;
  private readonly pending: Outgoing[] = [];

  /** `onCredit` runs after credit arrived and waiting elements left: the writer may be schedulable again. */
  constructor(port: MessagePort, capacity: number, onCredit: () => void) {
    super(capacity);
    this.sender = new DataSender(port);
    port.addEventListener('message', () => {
      this.drain();
      onCredit();
    });
  }

  override hasCredit(): boolean {
    return this.pending.length === 0 && this.sender.canSend();
  }

  override get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  override push(element: StreamElement): void {
    this.pending.push(element.kind === 'data' ? { kind: 'data', buffer: batchToWire(element.batch) } : element);
    this.drain();
  }

  /** The buffer is already in the wire layout and owned here: it leaves as it is. */
  override pushEncodedColumnar(encoded: ArrayBuffer): void {
    this.pending.push({ kind: 'data', buffer: encoded });
    this.drain();
  }

  override poll(): StreamElement | undefined {
    throw new Error('internal error: the sending end of a remote channel is never polled');
  }

  private drain(): void {
    let sent = 0;
    for (const element of this.pending) {
      if (element.kind === 'data') {
        if (!this.sender.canSend()) break;
        this.sender.sendData(element.buffer);
      } else if (element.kind === 'watermark') {
        this.sender.sendWatermark(element.timestamp);
      } else if (element.kind === 'status') {
        this.sender.sendStatus(element.idle);
      } else if (element.kind === 'barrier') {
        this.sender.sendBarrier(element.checkpointId);
      } else {
        this.sender.end();
      }
      sent++;
    }
    if (sent > 0) this.pending.splice(0, sent);
  }
}

export class RemoteInputChannel extends Channel {
  private readonly receiver: DataReceiver;

  /** `onArrival` runs after each arriving element was queued: the reading subtask has input again. */
  constructor(port: MessagePort, capacity: number, onArrival: () => void) {
    super(capacity);
    this.receiver = new DataReceiver(port, capacity, (message) => {
      super.push(fromWire(message));
      onArrival();
    });
  }

  override hasCredit(): boolean {
    throw new Error('internal error: the receiving end of a remote channel is never written');
  }

  override push(): void {
    throw new Error('internal error: the receiving end of a remote channel is never written');
  }

  /** A polled batch is done with as far as the channel is concerned: its credit goes back to the sender. */
  override poll(): StreamElement | undefined {
    const element = super.poll();
    if (element?.kind === 'data') this.receiver.consumed(1);
    return element;
  }
}

function fromWire(message: DataMessage): StreamElement {
  if (message.kind !== 'data') return message;
  const batch = batchFromWire(message.buffer);
  return batch.columnar !== undefined ? { kind: 'data', batch, wire: message.buffer } : { kind: 'data', batch };
}
