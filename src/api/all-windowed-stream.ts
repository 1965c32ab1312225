/**
 * AllWindowedStream<T, W>: windows over a whole, non-keyed stream (Flink `AllWindowedStream`). The same window
 * operator as for keyed streams, on one constant key, with parallelism 1 (SEMANTICS.md §4: "Non-keyed windowAll
 * runs with parallelism 1"). Process functions receive no key: `(ctx, elements, out)`.
 */
import type { Collector } from '../runtime/operators/process-context.ts';
import type { DataStream } from './data-stream.ts';
import type { FieldExpression } from './field-access.ts';
import type { ReduceFunction } from './functions.ts';
import type { OutputTag } from './output-tag.ts';
import type { WindowAverage, WindowCount, WindowedStream } from './windowed-stream.ts';
import type { Evictor } from './windowing/evictor.ts';
import type { Trigger } from './windowing/trigger.ts';
import type { AggregateFunction, ProcessWindowContext } from './windowing/window-functions.ts';
import type { Window } from './windowing/windows.ts';

export type ProcessAllWindowFunctionFn<IN, OUT, W extends Window> = (
  ctx: ProcessWindowContext<W>,
  elements: Iterable<IN>,
  out: Collector<OUT>,
) => void;

export interface ProcessAllWindowFunction<IN, OUT, W extends Window> {
  process: ProcessAllWindowFunctionFn<IN, OUT, W>;
  clear?(ctx: ProcessWindowContext<W>): void;
}

type AllWindowFunctionArg<IN, OUT, W extends Window> =
  ProcessAllWindowFunction<IN, OUT, W> | ProcessAllWindowFunctionFn<IN, OUT, W>;

export class AllWindowedStream<T, W extends Window> {
  /** @internal */
  constructor(private readonly windowed: WindowedStream<null, T, W>) {
    windowed.asNonParallel();
  }

  allowedLateness(ms: number): this {
    this.windowed.allowedLateness(ms);
    return this;
  }

  sideOutputLateData(tag: OutputTag<T>): this {
    this.windowed.sideOutputLateData(tag);
    return this;
  }

  trigger(trigger: Trigger<T, W>): this {
    this.windowed.trigger(trigger);
    return this;
  }

  evictor(evictor: Evictor<T, W>): this {
    this.windowed.evictor(evictor);
    return this;
  }

  reduce<R = T>(fn: ReduceFunction<T>, windowFn?: AllWindowFunctionArg<T, R, W>): DataStream<R> {
    return this.windowed.reduce<R>(fn, windowFn && withoutKey(windowFn));
  }

  aggregate<ACC, V, R = V>(fn: AggregateFunction<T, ACC, V>, windowFn?: AllWindowFunctionArg<V, R, W>): DataStream<R> {
    return this.windowed.aggregate<ACC, V, R>(fn, windowFn && withoutKey(windowFn));
  }

  process<R>(fn: AllWindowFunctionArg<T, R, W>): DataStream<R> {
    return this.windowed.process<R>(withoutKey(fn));
  }

  sum(field: FieldExpression): DataStream<T> {
    return this.windowed.sum(field);
  }
  min(field: FieldExpression): DataStream<T> {
    return this.windowed.min(field);
  }
  max(field: FieldExpression): DataStream<T> {
    return this.windowed.max(field);
  }
  minBy(field: FieldExpression, first = true): DataStream<T> {
    return this.windowed.minBy(field, first);
  }
  maxBy(field: FieldExpression, first = true): DataStream<T> {
    return this.windowed.maxBy(field, first);
  }
  /** Per window: `{ key: null, start, end, count }`. */
  count(): DataStream<WindowCount<null>> {
    return this.windowed.count();
  }
  /** Per window: `{ key: null, start, end, avg }`. */
  avg(field: FieldExpression): DataStream<WindowAverage<null>> {
    return this.windowed.avg(field);
  }
}

function withoutKey<IN, OUT, W extends Window>(fn: AllWindowFunctionArg<IN, OUT, W>) {
  if (typeof fn === 'function') {
    return (_key: null, ctx: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>) =>
      fn(ctx, elements, out);
  }
  if (fn === null || typeof fn !== 'object' || typeof fn.process !== 'function') {
    throw new TypeError('a window function must be a function or an object with process()');
  }
  return {
    process: (_key: null, ctx: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>) =>
      fn.process(ctx, elements, out),
    ...(fn.clear ? { clear: (ctx: ProcessWindowContext<W>) => fn.clear?.(ctx) } : {}),
  };
}
