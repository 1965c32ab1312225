/** Window function shapes (SEMANTICS.md §4): aggregate functions and process window functions. */
import type { OutputTag } from '../output-tag.ts';
import type { Collector } from '../../runtime/operators/process-context.ts';
import type { Window } from './windows.ts';
import type { KeyedStateStore } from '../../state/keyed-state-store.ts';

/** Incremental aggregation with an accumulator (Flink AggregateFunction). `merge` is needed for sessions. */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge?(a: ACC, b: ACC): ACC;
}

export interface ProcessWindowContext<W extends Window> {
  /** The window being evaluated: `start`, `end`, `maxTimestamp()` for time windows. */
  readonly window: W;
  currentWatermark(): number;
  currentProcessingTime(): number;
  /** Emits to a side output; the record carries the window result timestamp `window.maxTimestamp()`. */
  output<X>(tag: OutputTag<X>, value: X): void;
  /**
   * State of this key and this window; clear it in `clear()` (Flink does not). Not available with merging
   * (session) windows.
   */
  windowState(): KeyedStateStore;
  /** State of this key, shared by all its windows. */
  globalState(): KeyedStateStore;
}

export type ProcessWindowFunctionFn<IN, OUT, K, W extends Window> = (
  key: K,
  ctx: ProcessWindowContext<W>,
  elements: Iterable<IN>,
  out: Collector<OUT>,
) => void;

/** Evaluates a window with all its elements (or the one pre-aggregated value). */
export interface ProcessWindowFunction<IN, OUT, K, W extends Window> {
  process: ProcessWindowFunctionFn<IN, OUT, K, W>;
  /** Called when the window is purged at cleanup time. */
  clear?(ctx: ProcessWindowContext<W>): void;
}
