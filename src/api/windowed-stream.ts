/**
 * WindowedStream<K, T, W>: a keyed stream cut into windows (Flink WindowedStream). Configure lateness, late-data
 * side output, trigger and evictor, then finish with a window function; results carry timestamp
 * `window.maxTimestamp()` (SEMANTICS.md §4).
 */
import { WindowOperator } from '../runtime/operators/window/window-operator.ts';
import {
  KernelWindowOperator,
  type KernelAggregation,
  type KernelWindowConfig,
} from '../runtime/operators/window/kernel-window-operator.ts';
import type { WindowAggregatorConfig } from '../wasm/window-aggregator.ts';
import { SlidingEventTimeWindows } from './windowing/sliding-windows.ts';
import { TumblingEventTimeWindows } from './windowing/tumbling-windows.ts';
import {
  aggregateContents,
  evictingContents,
  listContents,
  reduceContents,
  type EvictingApply,
  type WindowContents,
} from '../runtime/operators/window/window-contents.ts';
import { extremumAggregation, sumAggregation } from './aggregations.ts';
import type { DataStream } from './data-stream.ts';
import { fieldAccessor, preview, type FieldExpression } from './field-access.ts';
import { asFunction, describe, functionInstance, type ReduceFunction } from './functions.ts';
import type { KeyedStream } from './keyed-stream.ts';
import { OutputTag } from './output-tag.ts';
import { checkDuration } from './windowing/durations.ts';
import type { Evictor } from './windowing/evictor.ts';
import type { Trigger } from './windowing/trigger.ts';
import type { WindowAssigner } from './windowing/window-assigner.ts';
import type {
  AggregateFunction,
  ProcessWindowFunction,
  ProcessWindowFunctionFn,
} from './windowing/window-functions.ts';
import type { Window } from './windowing/windows.ts';

/** What `count()` emits per key and window. */
export interface WindowCount<K> {
  readonly key: K;
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

/** What `avg(field)` emits per key and window. */
export interface WindowAverage<K> {
  readonly key: K;
  readonly start: number;
  readonly end: number;
  readonly avg: number;
}

type WindowFunctionArg<IN, OUT, K, W extends Window> =
  ProcessWindowFunction<IN, OUT, K, W> | ProcessWindowFunctionFn<IN, OUT, K, W>;

export class WindowedStream<K, T, W extends Window> {
  private triggerValue: Trigger<T, W>;
  /** windowAll: the window operator runs with parallelism 1. */
  private nonParallel = false;
  private customTrigger = false;
  private evictorValue: Evictor<T, W> | undefined;
  private lateness = 0;
  private lateTag: OutputTag<T> | undefined;

  /** @internal */
  constructor(
    private readonly input: KeyedStream<K, T>,
    private readonly assigner: WindowAssigner<T, W>,
  ) {
    this.triggerValue = assigner.getDefaultTrigger();
  }

  /** @internal Used by windowAll: one window operator instance for the whole stream. */
  asNonParallel(): this {
    this.nonParallel = true;
    return this;
  }

  /** Keeps event-time windows for `ms` after they fire; late elements within it re-fire the window. */
  allowedLateness(ms: number): this {
    checkDuration(ms, 'allowedLateness', true);
    if (ms < 0) throw new RangeError(`allowedLateness must be >= 0, got ${ms}`);
    this.lateness = ms;
    return this;
  }

  /** Emits elements that arrive too late for all their windows to the side output `tag`. */
  sideOutputLateData(tag: OutputTag<T>): this {
    if (!(tag instanceof OutputTag)) throw new TypeError('sideOutputLateData expects an OutputTag');
    this.lateTag = tag;
    return this;
  }

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<T, W>): this {
    for (const method of ['onElement', 'onEventTime', 'onProcessingTime', 'clear'] as const) {
      if (typeof trigger?.[method] !== 'function') throw new TypeError(`trigger: a Trigger needs a ${method}() method`);
    }
    if (this.assigner.mergeWindows && !trigger.canMerge?.()) {
      throw new Error('A merging window assigner cannot be used with a trigger that does not support merging.');
    }
    this.triggerValue = trigger;
    this.customTrigger = true;
    return this;
  }

  /** Removes elements before/after evaluation; buffers every element (no pre-aggregation). */
  evictor(evictor: Evictor<T, W>): this {
    if (this.assigner.mergeWindows) throw new Error('Evictors are not supported with merging window assigners.');
    if (typeof evictor?.evictBefore !== 'function' || typeof evictor.evictAfter !== 'function') {
      throw new TypeError('evictor: an Evictor needs evictBefore() and evictAfter() methods');
    }
    this.evictorValue = evictor;
    return this;
  }

  /** Incremental reduce; with `windowFn`, it receives the single reduced value. */
  reduce<R = T>(fn: ReduceFunction<T>, windowFn?: WindowFunctionArg<T, R, K, W>): DataStream<R> {
    asFunction(fn, 'reduce', 'reduce');
    const reduce = asFunction<(a: unknown, b: unknown) => unknown>(fn, 'reduce', 'reduce');
    return this.build<R>(
      'ReduceFunction',
      windowFn as WindowFunctionArg<unknown, R, K, W> | undefined,
      this.contentsOf({ kind: 'reduce', reduce }, () => reduceContents(reduce)),
    );
  }

  /** Incremental aggregation with an accumulator; with `windowFn`, it receives the single result. */
  aggregate<ACC, V, R = V>(fn: AggregateFunction<T, ACC, V>, windowFn?: WindowFunctionArg<V, R, K, W>): DataStream<R> {
    for (const method of ['createAccumulator', 'add', 'getResult'] as const) {
      if (typeof fn?.[method] !== 'function') throw new TypeError(`aggregate: an AggregateFunction needs ${method}()`);
    }
    if (this.assigner.mergeWindows && typeof fn.merge !== 'function') {
      throw new TypeError('aggregate: merge() is required for merging (session) windows');
    }
    const aggregate = fn as AggregateFunction<unknown, unknown, unknown>;
    return this.build<R>(
      'AggregateFunction',
      windowFn as WindowFunctionArg<unknown, R, K, W>,
      this.contentsOf({ kind: 'aggregate', fn: aggregate }, () => aggregateContents(aggregate)),
    );
  }

  /** Evaluates each window with all its elements. */
  process<R>(fn: WindowFunctionArg<T, R, K, W>): DataStream<R> {
    return this.build<R>(
      'ProcessWindowFunction',
      fn as WindowFunctionArg<unknown, R, K, W>,
      this.contentsOf({ kind: 'list' }, () => listContents()),
    );
  }

  /** Per window: the first element with the field replaced by the sum (Flink's windowed sum). */
  sum(field: FieldExpression): DataStream<T> {
    return this.viaKernel<T>('sum', field) ?? this.reduce(sumAggregation<T>(field));
  }

  /** Per window: the first element with the field replaced by the minimum. */
  min(field: FieldExpression): DataStream<T> {
    return this.viaKernel<T>('min', field) ?? this.reduce(extremumAggregation<T>(field, 'min'));
  }

  /** Per window: the first element with the field replaced by the maximum. */
  max(field: FieldExpression): DataStream<T> {
    return this.viaKernel<T>('max', field) ?? this.reduce(extremumAggregation<T>(field, 'max'));
  }

  /** Per window: the element with the smallest field value (the first on ties unless `first` is false). */
  minBy(field: FieldExpression, first = true): DataStream<T> {
    return this.reduce(extremumAggregation<T>(field, 'minBy', first));
  }

  /** Per window: the element with the largest field value (the first on ties unless `first` is false). */
  maxBy(field: FieldExpression, first = true): DataStream<T> {
    return this.reduce(extremumAggregation<T>(field, 'maxBy', first));
  }

  /** Per key and window: `{ key, start, end, count }`. */
  count(): DataStream<WindowCount<K>> {
    const viaKernel = this.viaKernel<WindowCount<K>>('count', undefined);
    if (viaKernel) return viaKernel;
    return this.aggregate<{ n: number }, number, WindowCount<K>>(
      {
        createAccumulator: () => ({ n: 0 }),
        add: (_v, acc) => ((acc.n += 1), acc),
        getResult: (acc) => acc.n,
        merge: (a, b) => ({ n: a.n + b.n }),
      },
      (key, ctx, values, out) => out.collect({ key, ...bounds(ctx.window), count: first(values) }),
    );
  }

  /** Per key and window: `{ key, start, end, avg }`, the mean of a numeric field. */
  avg(field: FieldExpression): DataStream<WindowAverage<K>> {
    const api = `avg(${JSON.stringify(field)})`;
    const accessor = fieldAccessor(field, api);
    const viaKernel = this.viaKernel<WindowAverage<K>>('avg', field);
    if (viaKernel) return viaKernel;
    return this.aggregate<{ sum: number; n: number }, number, WindowAverage<K>>(
      {
        createAccumulator: () => ({ sum: 0, n: 0 }),
        add: (v, acc) => {
          const x = accessor.get(v);
          if (typeof x !== 'number') throw new TypeError(`${api}: field must be a number, got ${preview(x)}`);
          acc.sum += x;
          acc.n += 1;
          return acc;
        },
        getResult: (acc) => acc.sum / acc.n,
        merge: (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n }),
      },
      (key, ctx, values, out) => out.collect({ key, ...bounds(ctx.window), avg: first(values) }),
    );
  }

  /**
   * Routes a built-in aggregation through the WebAssembly window kernel when it can give the same results:
   * keyBy on a field, event-time tumbling or sliding windows, the default trigger, no evictor (DESIGN.md §2).
   * Returns undefined when the JS path must run.
   */
  private viaKernel<R>(aggregation: KernelAggregation, field: FieldExpression | undefined): DataStream<R> | undefined {
    const keyField = this.input.keyField;
    if (
      keyField === undefined ||
      this.nonParallel ||
      this.customTrigger ||
      this.evictorValue ||
      !this.input.environment.wasmKernels
    ) {
      return undefined;
    }
    const assigner = this.assigner as unknown;
    let window: WindowAggregatorConfig;
    if (assigner instanceof TumblingEventTimeWindows) {
      window = { kind: 'tumbling', size: assigner.size, offset: assigner.offset, allowedLateness: this.lateness };
    } else if (assigner instanceof SlidingEventTimeWindows) {
      window = {
        kind: 'sliding',
        size: assigner.size,
        slide: assigner.slide,
        offset: assigner.offset,
        allowedLateness: this.lateness,
      };
    } else {
      return undefined;
    }
    const api = field === undefined ? `${aggregation}()` : `${aggregation}(${JSON.stringify(field)})`;
    const config: KernelWindowConfig = {
      window,
      aggregation,
      keyField: fieldAccessor(keyField, 'keyBy'),
      valueField: field === undefined ? undefined : fieldAccessor(field, api),
      api,
      lateDataTag: this.lateTag as OutputTag<unknown> | undefined,
    };
    const name = `Window(${this.assigner.describe()}, ${String(this.triggerValue)}, ${api} [wasm])`;
    return this.input.transform<R>('window-kernel', name, () => new KernelWindowOperator(config), {
      assigner: this.assigner.describe(),
      aggregation: api,
      allowedLateness: this.lateness,
      lateDataTag: this.lateTag?.id ?? null,
    });
  }

  /** Contents for the evictor configured now (captured when the window function is chosen). */
  private contentsOf(apply: EvictingApply, plain: () => WindowContents<unknown>): () => WindowContents<unknown> {
    const evictor = this.evictorValue;
    return () =>
      (evictor ? evictingContents(functionInstance(evictor) as Evictor, apply) : plain()) as WindowContents<unknown>;
  }

  private build<R>(
    kind: string,
    windowFn: WindowFunctionArg<unknown, R, K, W> | undefined,
    createContents: () => WindowContents<unknown>,
  ): DataStream<R> {
    const normalized = windowFn === undefined ? undefined : processWindowFunctionOf(windowFn);
    const { assigner, triggerValue: trigger, lateness, lateTag } = this;
    const key = this.input.key as (value: unknown) => unknown;
    const name = `Window(${assigner.describe()}, ${String(trigger)}, ${kind})`;
    return this.input.transform<R>(
      'window',
      name,
      () =>
        new WindowOperator({
          key,
          assigner: assigner as WindowAssigner<unknown, Window>,
          trigger: functionInstance(trigger) as Trigger<unknown, Window>,
          contents: createContents(),
          windowFunction:
            normalized && (functionInstance(normalized) as ProcessWindowFunction<unknown, unknown, unknown, Window>),
          allowedLateness: lateness,
          lateDataTag: lateTag as OutputTag<unknown> | undefined,
        }),
      {
        assigner: assigner.describe(),
        trigger: String(trigger),
        evictor: this.evictorValue ? 'yes' : null,
        function: kind,
        allowedLateness: lateness,
        lateDataTag: lateTag?.id ?? null,
      },
      this.nonParallel,
    );
  }
}

function processWindowFunctionOf<IN, OUT, K, W extends Window>(
  fn: WindowFunctionArg<IN, OUT, K, W>,
): ProcessWindowFunction<IN, OUT, K, W> {
  if (typeof fn === 'function') return { process: fn };
  if (fn !== null && typeof fn === 'object' && typeof fn.process === 'function') return fn;
  throw new TypeError(`a window function must be a function or an object with process(), got ${describe(fn)}`);
}

function bounds(window: Window): { start: number; end: number } {
  const w = window as { start?: number; end?: number };
  return { start: w.start ?? -Infinity, end: w.end ?? Infinity };
}

function first(values: Iterable<number>): number {
  for (const v of values) return v;
  throw new Error('internal error: an aggregate window fired without a result');
}
