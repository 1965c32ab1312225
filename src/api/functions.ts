/**
 * User function shapes. As in Flink each may be given as a plain closure or as an object with the named method;
 * `asFunction` normalizes both to a closure bound to its object, once, at graph-build time.
 */
import type { Collector, ProcessContext } from '../runtime/operators/process-context.ts';
import type { KeyedContext, OnTimerContext } from '../runtime/operators/keyed-context.ts';
import type { KeyedStateStore } from '../state/keyed-state-store.ts';

export type MapFunction<T, R> = ((value: T) => R) | { map(value: T): R };
export type FilterFunction<T> = ((value: T) => boolean) | { filter(value: T): boolean };
export type FlatMapFunction<T, R> =
  ((value: T, out: Collector<R>) => void) | { flatMap(value: T, out: Collector<R>): void };
export type ReduceFunction<T> = ((a: T, b: T) => T) | { reduce(a: T, b: T): T };
export type KeySelector<T, K> = (value: T) => K;

/** Where a function instance runs; handed to `open` (Flink's RuntimeContext, reduced to what applies). */
export interface RuntimeContext {
  readonly operatorName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
}

export interface ProcessFunction<T, R> {
  open?(context: RuntimeContext): void;
  processElement(value: T, ctx: ProcessContext, out: Collector<R>): void;
  close?(): void;
}

/**
 * The RuntimeContext of a keyed function: also reaches keyed state (Flink `getRuntimeContext().getState(...)`).
 * Handles fetched in `open` follow the current key; reading or writing them in `open` itself throws (no key yet).
 */
export interface KeyedRuntimeContext extends RuntimeContext, KeyedStateStore {}

/**
 * Flink KeyedProcessFunction: `processElement` per record with its key current; `onTimer` when a timer of the
 * key fires (event time: the watermark reached it; processing time: the clock reached its time + 1).
 */
export interface KeyedProcessFunction<K, T, R> {
  open?(context: KeyedRuntimeContext): void;
  processElement(value: T, ctx: KeyedContext<K>, out: Collector<R>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<R>): void;
  close?(): void;
}

/**
 * A per-subtask instance of a function object. Flink deserializes a fresh copy of a function for every parallel
 * instance; closures cannot be copied, so an object function gets a shallow copy with the same prototype, and
 * fields it sets (typically in `open`) belong to that subtask alone. Plain closures are shared as they are.
 */
export function functionInstance<F>(fn: F): F {
  if (fn === null || typeof fn !== 'object') return fn;
  return Object.assign(Object.create(Object.getPrototypeOf(fn) as object) as object, fn) as F;
}

/** Picks the closure, or the method `method` of an object, and checks it is callable. */
export function asFunction<F extends (...args: never[]) => unknown>(fn: unknown, method: string, api: string): F {
  if (typeof fn === 'function') return fn as F;
  if (fn !== null && typeof fn === 'object') {
    const m = (fn as Record<string, unknown>)[method];
    if (typeof m === 'function') return m.bind(fn) as F;
  }
  throw new TypeError(`${api} expects a function or an object with a ${method}() method, got ${describe(fn)}`);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object without that method' : typeof value;
}
