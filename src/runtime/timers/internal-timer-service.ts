/**
 * Keyed timers of one operator (Flink InternalTimerServiceImpl): at most one timer per (key, namespace, timestamp)
 * and time domain. Event-time timers fire when the watermark reaches them (`timestamp <= watermark`, SEMANTICS.md
 * §2.1), in ascending timestamp order, after `currentWatermark` has been set; a timer registered while firing that
 * is already due fires in the same pass. Processing-time timers fire from the job's processing-time queue, which
 * schedules them 1 ms after their timestamp (§3.6). Ties fire in registration order.
 *
 * Deletion is lazy: the live timer of an id is the one in `eventTimers` / `processingTimers`; heap entries that
 * are no longer live are skipped when they surface.
 */
import type { KeyIdentity } from '../../wasm/key-encoding.ts';
import { PriorityQueue } from '../priority-queue.ts';
import type { ProcessingTimeService } from '../processing-time.ts';
import { MIN_WATERMARK } from '../time.ts';

export interface InternalTimer<N> {
  readonly timestamp: number;
  readonly key: unknown;
  readonly keyId: KeyIdentity;
  readonly namespace: N;
  readonly seq: number;
  /** The (key, namespace, timestamp) id, computed once at registration. */
  readonly id: string;
}

/** The operator that owns the timers; it sets its current key from the timer before acting. */
export interface Triggerable<N> {
  onEventTime(timer: InternalTimer<N>): void;
  onProcessingTime(timer: InternalTimer<N>): void;
}

type TimerId = string;

const byTimeThenSeq = <N>(a: InternalTimer<N>, b: InternalTimer<N>): boolean =>
  a.timestamp !== b.timestamp ? a.timestamp < b.timestamp : a.seq < b.seq;

export class InternalTimerService<N> {
  private watermark = MIN_WATERMARK;
  private seq = 0;
  private readonly eventQueue = new PriorityQueue<InternalTimer<N>>(byTimeThenSeq);
  private readonly processingQueue = new PriorityQueue<InternalTimer<N>>(byTimeThenSeq);
  private readonly eventTimers = new Map<TimerId, InternalTimer<N>>();
  private readonly processingTimers = new Map<TimerId, InternalTimer<N>>();
  /** Processing times for which a callback is already scheduled with the job's processing-time queue. */
  private readonly scheduled = new Set<number>();

  constructor(
    private readonly target: Triggerable<N>,
    private readonly processingTime: ProcessingTimeService,
    /** A stable, unique text or number for a namespace (e.g. a window's start and end). */
    private readonly namespaceId: (namespace: N) => string | number,
  ) {}

  get currentWatermark(): number {
    return this.watermark;
  }

  currentProcessingTime(): number {
    return this.processingTime.now();
  }

  get numEventTimeTimers(): number {
    return this.eventTimers.size;
  }

  get numProcessingTimeTimers(): number {
    return this.processingTimers.size;
  }

  registerEventTimeTimer(key: unknown, keyId: KeyIdentity, namespace: N, timestamp: number): void {
    const id = this.id(keyId, namespace, timestamp);
    if (this.eventTimers.has(id)) return;
    const timer: InternalTimer<N> = { timestamp, key, keyId, namespace, seq: this.seq++, id };
    this.eventTimers.set(id, timer);
    this.eventQueue.push(timer);
  }

  deleteEventTimeTimer(keyId: KeyIdentity, namespace: N, timestamp: number): void {
    this.eventTimers.delete(this.id(keyId, namespace, timestamp));
  }

  registerProcessingTimeTimer(key: unknown, keyId: KeyIdentity, namespace: N, timestamp: number): void {
    const id = this.id(keyId, namespace, timestamp);
    if (this.processingTimers.has(id)) return;
    const timer: InternalTimer<N> = { timestamp, key, keyId, namespace, seq: this.seq++, id };
    this.processingTimers.set(id, timer);
    this.processingQueue.push(timer);
    if (!this.scheduled.has(timestamp)) {
      this.scheduled.add(timestamp);
      this.processingTime.registerTimer(timestamp, (time) => this.onProcessingTime(time));
    }
  }

  deleteProcessingTimeTimer(keyId: KeyIdentity, namespace: N, timestamp: number): void {
    this.processingTimers.delete(this.id(keyId, namespace, timestamp));
  }

  /**
   * Sets the watermark, then fires every event-time timer with `timestamp <= watermark`, oldest first. `before`
   * runs once the watermark is set and before these timers: an operator's own timers that must fire first.
   */
  advanceWatermark(watermark: number, before?: () => void): void {
    this.watermark = watermark;
    before?.();
    for (;;) {
      const timer = this.eventQueue.peek();
      if (timer === undefined || timer.timestamp > watermark) return;
      this.eventQueue.pop();
      if (this.eventTimers.get(timer.id) !== timer) continue;
      this.eventTimers.delete(timer.id);
      this.target.onEventTime(timer);
    }
  }

  /** Every live event-time timer, in firing order (snapshots and tests). */
  eventTimeTimers(): InternalTimer<N>[] {
    return [...this.eventTimers.values()].sort((a, b) => (byTimeThenSeq(a, b) ? -1 : 1));
  }

  /** Every live processing-time timer, in firing order (snapshots). */
  processingTimeTimers(): InternalTimer<N>[] {
    return [...this.processingTimers.values()].sort((a, b) => (byTimeThenSeq(a, b) ? -1 : 1));
  }

  private onProcessingTime(time: number): void {
    this.scheduled.delete(time);
    for (;;) {
      const timer = this.processingQueue.peek();
      if (timer === undefined || timer.timestamp > time) return;
      this.processingQueue.pop();
      if (this.processingTimers.get(timer.id) !== timer) continue;
      this.processingTimers.delete(timer.id);
      this.target.onProcessingTime(timer);
    }
  }

  private id(keyId: KeyIdentity, namespace: N, timestamp: number): TimerId {
    return `${typeof keyId}:${String(keyId)}|${this.namespaceId(namespace)}|${timestamp}`;
  }
}
