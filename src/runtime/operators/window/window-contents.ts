/**
 * How a window holds its contents between firings (SEMANTICS.md §4): a reduced value, an aggregate accumulator,
 * the list of elements, or — with an evictor — the list of timestamped elements. Each strategy adds elements,
 * merges the contents of merged session windows (target first, then source, as Flink's mergeNamespaces), and
 * yields what the window function is applied to at a firing.
 */
import type { Evictor, EvictorContext, TimestampedValue } from '../../../api/windowing/evictor.ts';
import type { AggregateFunction } from '../../../api/windowing/window-functions.ts';
import type { Window } from '../../../api/windowing/windows.ts';

export interface WindowContents<ACC> {
  add(accumulator: ACC | undefined, value: unknown, timestamp: number): ACC;
  merge(target: ACC, source: ACC): ACC;
  /**
   * The values the window function sees at a firing. An evicting strategy may also shrink the buffer, returned
   * as `remaining` (the state is replaced with the survivors, as EvictingWindowOperator does for FLINK-4369).
   */
  fire(accumulator: ACC, window: Window, ctx: EvictorContext): { values: unknown[]; remaining: ACC };
}

export function reduceContents(reduce: (a: unknown, b: unknown) => unknown): WindowContents<{ value: unknown }> {
  return {
    add: (acc, value) => {
      if (acc === undefined) return { value };
      acc.value = reduce(acc.value, value);
      return acc;
    },
    merge: (target, source) => ({ value: reduce(target.value, source.value) }),
    fire: (acc) => ({ values: [acc.value], remaining: acc }),
  };
}

export function aggregateContents(fn: AggregateFunction<unknown, unknown, unknown>): WindowContents<{ acc: unknown }> {
  return {
    add: (holder, value) => {
      const target = holder ?? { acc: fn.createAccumulator() };
      target.acc = fn.add(value, target.acc);
      return target;
    },
    merge: (target, source) => {
      if (!fn.merge) throw new TypeError('AggregateFunction.merge is required when windows merge (session windows)');
      return { acc: fn.merge(target.acc, source.acc) };
    },
    fire: (holder) => ({ values: [fn.getResult(holder.acc)], remaining: holder }),
  };
}

export function listContents(): WindowContents<unknown[]> {
  return {
    add: (list, value) => {
      if (list === undefined) return [value];
      list.push(value);
      return list;
    },
    merge: (target, source) => {
      for (const v of source) target.push(v);
      return target;
    },
    fire: (list) => ({ values: list, remaining: list }),
  };
}

/** What an evicting window applies to its surviving elements at a firing. */
export type EvictingApply =
  | { readonly kind: 'reduce'; readonly reduce: (a: unknown, b: unknown) => unknown }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction<unknown, unknown, unknown> }
  | { readonly kind: 'list' };

export function evictingContents(evictor: Evictor, apply: EvictingApply): WindowContents<TimestampedValue<unknown>[]> {
  return {
    add: (list, value, timestamp) => {
      const element = { value, timestamp };
      if (list === undefined) return [element];
      list.push(element);
      return list;
    },
    merge: (target, source) => {
      for (const e of source) target.push(e);
      return target;
    },
    fire: (list, window, ctx) => {
      const elements = [...list];
      evictor.evictBefore(elements, elements.length, window, ctx);
      const values = applyTo(
        elements.map((e) => e.value),
        apply,
      );
      evictor.evictAfter(elements, elements.length, window, ctx);
      return { values, remaining: elements };
    },
  };
}

function applyTo(values: unknown[], apply: EvictingApply): unknown[] {
  if (apply.kind === 'list') return values;
  if (values.length === 0) return [];
  if (apply.kind === 'reduce') return [values.reduce((a, b) => apply.reduce(a, b))];
  let acc = apply.fn.createAccumulator();
  for (const v of values) acc = apply.fn.add(v, acc);
  return [apply.fn.getResult(acc)];
}
