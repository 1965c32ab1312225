/**
 * `KeyedStream.process` (Flink KeyedProcessOperator): a KeyedProcessFunction per record with the record's key
 * current, keyed state in a heap backend of this operator instance, and keyed timers (SEMANTICS.md §2.1, §5.1).
 *
 * Event-time timers fire from processWatermark after the operator watermark is set and before the watermark is
 * forwarded, so their results precede it; their records carry the timer timestamp. Processing-time timers fire
 * from the job's clock; their records carry no timestamp, and pending ones are dropped at end of input (§2.6).
 */
import type { KeyedProcessFunction, KeyedRuntimeContext } from '../../api/functions.ts';
import type { OutputTag } from '../../api/output-tag.ts';
import { BatchBuilder, type RecordBatch } from '../../batch/record-batch.ts';
import type { OperatorSnapshot, RestoredOperatorState } from '../checkpoint/operator-state.ts';
import { restoreKeyGroup, snapshotKeyGroups, type StateRow } from '../../state/key-group-snapshot.ts';
import { HeapKeyedStateBackend } from '../../state/keyed-state-backend.ts';
import { keyedStateStore } from '../../state/keyed-state-store.ts';
import { VOID_NAMESPACE, type VoidNamespace } from '../../state/keyed-state-tables.ts';
import { BaseOperator, runtimeContextOf, type OperatorContext, type Output } from '../operator.ts';
import { NO_TIMESTAMP } from '../time.ts';
import { InternalTimerService, type InternalTimer, type Triggerable } from '../timers/internal-timer-service.ts';
import { restoreTimers, snapshotTimers, type KeyGroupTimers } from '../timers/timer-snapshot.ts';
import type { KeyedContext, OnTimerContext, TimeDomain } from './keyed-context.ts';
import type { Collector, TimerService } from './process-context.ts';

/** One key group of a checkpoint: keyed state rows and timers (the namespace is always VOID_NAMESPACE). */
interface KeyGroupState {
  readonly rows: readonly StateRow<VoidNamespace>[];
  readonly timers: KeyGroupTimers | undefined;
}

export class KeyedProcessOperator<K, T, R> extends BaseOperator implements Triggerable<VoidNamespace> {
  private readonly results = new BatchBuilder<R>();
  /** Timestamp given to collected records: the input record's, the event-time timer's, or none. */
  private currentTimestamp = NO_TIMESTAMP;
  private firingTimer: InternalTimer<VoidNamespace> | undefined;
  private firingDomain: TimeDomain = 'EVENT_TIME';
  private backend!: HeapKeyedStateBackend<VoidNamespace>;
  private timers!: InternalTimerService<VoidNamespace>;
  private context!: KeyedContext<K>;
  private timerContext!: OnTimerContext<K>;
  private readonly collector: Collector<R> = {
    collect: (value) => this.results.add(value, this.currentTimestamp),
  };

  constructor(
    private readonly key: (value: T) => K,
    private readonly fn: KeyedProcessFunction<K, T, R>,
  ) {
    super();
  }

  /** This instance's keyed state (tests, snapshots). */
  get stateBackend(): HeapKeyedStateBackend<VoidNamespace> {
    return this.backend;
  }

  /** This instance's timers (tests, snapshots). */
  get internalTimerService(): InternalTimerService<VoidNamespace> {
    return this.timers;
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    const { kernel, maxParallelism, processingTime } = ctx;
    const backend = new HeapKeyedStateBackend<VoidNamespace>({
      keyGroupOf: (key) => kernel.keyGroup(key, maxParallelism),
      namespaceId: () => 0,
      defaultNamespace: VOID_NAMESPACE,
      now: () => processingTime.now(),
    });
    const timers = new InternalTimerService<VoidNamespace>(this, processingTime, () => 0);
    this.backend = backend;
    this.timers = timers;
    const store = keyedStateStore(backend);
    const timerService: TimerService = {
      currentProcessingTime: () => timers.currentProcessingTime(),
      currentWatermark: () => timers.currentWatermark,
      registerEventTimeTimer: (time) =>
        timers.registerEventTimeTimer(backend.currentKey, backend.currentKeyId(), VOID_NAMESPACE, checkTime(time)),
      registerProcessingTimeTimer: (time) =>
        timers.registerProcessingTimeTimer(backend.currentKey, backend.currentKeyId(), VOID_NAMESPACE, checkTime(time)),
      deleteEventTimeTimer: (time) => timers.deleteEventTimeTimer(backend.currentKeyId(), VOID_NAMESPACE, time),
      deleteProcessingTimeTimer: (time) =>
        timers.deleteProcessingTimeTimer(backend.currentKeyId(), VOID_NAMESPACE, time),
    };
    this.context = {
      ...store,
      timestamp: () => (this.currentTimestamp === NO_TIMESTAMP ? null : this.currentTimestamp),
      output: <X>(tag: OutputTag<X>, value: X) => this.output.collectSide(tag.id, value, this.currentTimestamp),
      timerService: () => timerService,
      getCurrentKey: () => backend.currentKey as K,
    };
    this.timerContext = {
      ...this.context,
      timestamp: () => this.timer().timestamp,
      output: <X>(tag: OutputTag<X>, value: X) => this.output.collectSide(tag.id, value, this.timer().timestamp),
      timeDomain: () => {
        this.timer();
        return this.firingDomain;
      },
    };
    const runtimeContext: KeyedRuntimeContext = { ...runtimeContextOf(ctx), ...store };
    this.fn.open?.(runtimeContext);
  }

  snapshotState(): OperatorSnapshot {
    const { kernel, maxParallelism } = this.ctx;
    const timers = snapshotTimers(
      this.timers,
      (key) => kernel.keyGroup(key, maxParallelism),
      () => null,
    );
    const keyGroups = new Map<number, KeyGroupState>();
    for (const { keyGroup, rows } of snapshotKeyGroups(this.backend)) {
      keyGroups.set(keyGroup, { rows, timers: timers.get(keyGroup) });
    }
    for (const [keyGroup, groupTimers] of timers) {
      if (!keyGroups.has(keyGroup)) keyGroups.set(keyGroup, { rows: [], timers: groupTimers });
    }
    return { keyGroups };
  }

  initializeState(state: RestoredOperatorState): void {
    for (const [keyGroup, value] of state.keyGroups) {
      const { rows, timers } = value as KeyGroupState;
      restoreKeyGroup(this.backend, { keyGroup, rows });
      if (timers) restoreTimers<VoidNamespace>(this.timers, timers, () => VOID_NAMESPACE);
    }
  }

  processBatch(batch: RecordBatch<T>): void {
    const { values, timestamps } = batch;
    const backend = this.backend;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as T;
      this.currentTimestamp = timestamps[i] as number;
      backend.setCurrentKey(this.key(value));
      this.fn.processElement(value, this.context, this.collector);
    }
    this.flush();
  }

  /** Sets the watermark, fires the due event-time timers, emits their results, then forwards the watermark. */
  override processWatermark(timestamp: number): void {
    this.timers.advanceWatermark(timestamp);
    this.flush();
    this.output.emitWatermark(timestamp);
  }

  onEventTime(timer: InternalTimer<VoidNamespace>): void {
    this.currentTimestamp = timer.timestamp;
    this.invokeOnTimer('EVENT_TIME', timer);
  }

  onProcessingTime(timer: InternalTimer<VoidNamespace>): void {
    this.currentTimestamp = NO_TIMESTAMP;
    this.invokeOnTimer('PROCESSING_TIME', timer);
    this.flush();
  }

  override close(): void {
    this.fn.close?.();
  }

  private invokeOnTimer(domain: TimeDomain, timer: InternalTimer<VoidNamespace>): void {
    this.backend.setCurrentKeyWithId(timer.key, timer.keyId);
    this.firingDomain = domain;
    this.firingTimer = timer;
    try {
      this.fn.onTimer?.(timer.timestamp, this.timerContext, this.collector);
    } finally {
      this.firingTimer = undefined;
    }
  }

  private timer(): InternalTimer<VoidNamespace> {
    if (this.firingTimer === undefined) throw new Error('The onTimer context is only valid inside onTimer');
    return this.firingTimer;
  }

  private flush(): void {
    if (this.results.length > 0) this.output.collect(this.results.take());
  }
}

function checkTime(time: number): number {
  if (typeof time !== 'number' || Number.isNaN(time)) {
    throw new TypeError(`timer time must be a number of milliseconds, got ${String(time)}`);
  }
  return time;
}
