/** Normalizes the process-function forms accepted by `process()`: an object, or just its processElement. */
import type { KeyedProcessFunction, ProcessFunction } from './functions.ts';
import { describe } from './functions.ts';

export function processFunctionOf<T, R>(
  fn: ProcessFunction<T, R> | ProcessFunction<T, R>['processElement'],
  api: string,
): ProcessFunction<T, R> {
  if (typeof fn === 'function') return { processElement: fn };
  if (fn !== null && typeof fn === 'object' && typeof fn.processElement === 'function') return fn;
  throw new TypeError(`${api} expects a function or an object with a processElement() method, got ${describe(fn)}`);
}

export function keyedProcessFunctionOf<K, T, R>(
  fn: KeyedProcessFunction<K, T, R> | KeyedProcessFunction<K, T, R>['processElement'],
  api: string,
): KeyedProcessFunction<K, T, R> {
  if (typeof fn === 'function') return { processElement: fn };
  if (fn !== null && typeof fn === 'object' && typeof fn.processElement === 'function') {
    if (fn.onTimer !== undefined && typeof fn.onTimer !== 'function') {
      throw new TypeError(`${api}: onTimer must be a function when given`);
    }
    return fn;
  }
  throw new TypeError(`${api} expects a function or an object with a processElement() method, got ${describe(fn)}`);
}
