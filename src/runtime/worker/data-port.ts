/**
 * The data plane between two subtasks (DESIGN.md §2): the two ends of one MessageChannel, a DataSender on one and
 * a DataReceiver on the other — usually in another worker, the port moved there in a transfer list. Batches travel
 * as transferred ArrayBuffers (detached on the sending side, never copied); watermarks, idleness and end of input
 * travel in-band, in order with the batches. comlink is never involved.
 *
 * Credit-based flow control, after Flink's network stack (FLINK-7282, `CreditBasedPartitionRequestClientHandler`):
 * the receiver grants one credit per batch it is prepared to hold; each
 * data message spends one; the receiver hands credits back as it finishes batches (`consumed`). Hence, at every
 * moment, batches in flight + batches held by the receiver <= `initialCredits`. Events spend no credit.
 */

/** What a sender sends. */
export type DataMessage =
  | { readonly kind: 'data'; readonly buffer: ArrayBuffer }
  | { readonly kind: 'watermark'; readonly timestamp: number }
  | { readonly kind: 'status'; readonly idle: boolean }
  | { readonly kind: 'barrier'; readonly checkpointId: number }
  | { readonly kind: 'end' };

/** What a receiver sends back: `n` more batches may be sent. */
export interface CreditMessage {
  readonly kind: 'credit';
  readonly n: number;
}

export class DataPortClosedError extends Error {
  override name = 'DataPortClosedError';
}

export class DataSender {
  private credits = 0;
  private state: 'open' | 'ended' | 'closed' = 'open';
  private waiting: { resolve(): void; reject(err: Error): void } | undefined;
  private writable: Promise<void> | undefined;

  constructor(private readonly port: MessagePort) {
    port.addEventListener('message', (event) => this.receiveCredit(event.data));
    port.start();
  }

  /** Batches that may be sent right now. */
  get availableCredits(): number {
    return this.credits;
  }

  canSend(): boolean {
    return this.state === 'open' && this.credits > 0;
  }

  /** Resolves once a batch may be sent (at once if one may now); rejects after `end()` or `close()`. */
  whenWritable(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new DataPortClosedError(`data port is ${this.state}`));
    if (this.credits > 0) return Promise.resolve();
    this.writable ??= new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
    return this.writable;
  }

  /** Sends one batch and detaches `buffer`. Throws without a credit: check `canSend()` or await `whenWritable()`. */
  sendData(buffer: ArrayBuffer): void {
    this.ensureOpen();
    if (this.credits === 0) throw new Error('data port: no credit to send a batch; await whenWritable() first');
    this.credits--;
    this.post({ kind: 'data', buffer }, [buffer]);
  }

  sendWatermark(timestamp: number): void {
    this.ensureOpen();
    this.post({ kind: 'watermark', timestamp });
  }

  sendStatus(idle: boolean): void {
    this.ensureOpen();
    this.post({ kind: 'status', idle });
  }

  sendBarrier(checkpointId: number): void {
    this.ensureOpen();
    this.post({ kind: 'barrier', checkpointId });
  }

  /** Sends end of input; nothing may be sent afterwards. The port stays open: the receiver closes the channel. */
  end(): void {
    this.ensureOpen();
    this.post({ kind: 'end' });
    this.settle('ended');
  }

  /** Closes the channel (both ends); pending `whenWritable()` calls reject. */
  close(): void {
    this.settle('closed');
    this.port.close();
  }

  private post(message: DataMessage, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer);
  }

  private ensureOpen(): void {
    if (this.state !== 'open') throw new DataPortClosedError(`data port is ${this.state}`);
  }

  private settle(state: 'ended' | 'closed'): void {
    if (this.state === 'open') this.state = state;
    this.waiting?.reject(new DataPortClosedError(`data port is ${this.state}`));
    this.waiting = this.writable = undefined;
  }

  private receiveCredit(message: unknown): void {
    const { kind, n } = (message ?? {}) as Partial<CreditMessage>;
    if (kind !== 'credit' || !Number.isInteger(n) || n === undefined || n <= 0) {
      throw new Error(`data port protocol violation: the sender received ${JSON.stringify(message)}`);
    }
    this.credits += n;
    this.waiting?.resolve();
    this.waiting = this.writable = undefined;
  }
}

export class DataReceiver {
  /** Credits granted and not yet spent by the sender. */
  private unspent = 0;
  private heldBatches = 0;

  /**
   * Starts listening on `port` and grants `initialCredits` — the most batches this receiver will ever hold.
   * `onMessage` runs for every message, in order; each batch counts as held until `consumed()` is called for it.
   */
  constructor(
    private readonly port: MessagePort,
    readonly initialCredits: number,
    private readonly onMessage: (message: DataMessage) => void,
  ) {
    if (!Number.isInteger(initialCredits) || initialCredits <= 0) {
      throw new RangeError(`initialCredits must be a positive integer, got ${initialCredits}`);
    }
    port.addEventListener('message', (event) => this.receive(event.data));
    port.start();
    this.grant(initialCredits);
  }

  /** Batches delivered to `onMessage` and not yet `consumed()`; never above `initialCredits`. */
  get held(): number {
    return this.heldBatches;
  }

  /** Done with `n` held batches: their credits go back to the sender. */
  consumed(n = 1): void {
    if (!Number.isInteger(n) || n <= 0 || n > this.heldBatches) {
      throw new RangeError(`consumed(${n}) with ${this.heldBatches} batch(es) held`);
    }
    this.heldBatches -= n;
    this.grant(n);
  }

  close(): void {
    this.port.close();
  }

  private grant(n: number): void {
    this.unspent += n;
    this.port.postMessage({ kind: 'credit', n } satisfies CreditMessage);
  }

  private receive(message: unknown): void {
    const received = checkDataMessage(message);
    if (received.kind === 'data') {
      if (this.unspent === 0) throw new Error('data port protocol violation: a batch arrived without credit');
      this.unspent--;
      this.heldBatches++;
    }
    this.onMessage(received);
  }
}

function checkDataMessage(message: unknown): DataMessage {
  const m = (message ?? {}) as Record<string, unknown>;
  const valid =
    (m.kind === 'data' && m.buffer instanceof ArrayBuffer) ||
    (m.kind === 'watermark' && typeof m.timestamp === 'number') ||
    (m.kind === 'status' && typeof m.idle === 'boolean') ||
    (m.kind === 'barrier' && typeof m.checkpointId === 'number') ||
    m.kind === 'end';
  if (!valid) throw new Error(`data port protocol violation: the receiver received ${String(m.kind)}`);
  return message as DataMessage;
}
