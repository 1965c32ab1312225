/**
 * KeyedStream<K, T>: a stream partitioned by key. Rolling aggregations and keyed process functions run per key
 * (Flink KeyedStream); windows are added by the event-time work.
 */
import { KeyedProcessOperator } from '../runtime/operators/keyed-process.ts';
import { KeyedReduceOperator } from '../runtime/operators/keyed-reduce.ts';
import { extremumAggregation, sumAggregation, type Reduce } from './aggregations.ts';
import { DataStream, registerKeyedStream, type StreamInput } from './data-stream.ts';
import type { FieldExpression } from './field-access.ts';
import { asFunction, functionInstance, type KeyedProcessFunction, type ReduceFunction } from './functions.ts';
import type { Pipeline } from './pipeline.ts';
import { keyedProcessFunctionOf } from './process-functions.ts';
import type { StreamEnvironment } from './stream-environment.ts';
import { WindowedStream } from './windowed-stream.ts';
import { CountEvictor } from './windowing/evictor.ts';
import { GlobalWindows } from './windowing/global-windows.ts';
import { CountTrigger } from './windowing/triggers/count-trigger.ts';
import { PurgingTrigger } from './windowing/triggers/purging-trigger.ts';
import type { WindowAssigner } from './windowing/window-assigner.ts';
import type { GlobalWindow, Window } from './windowing/windows.ts';

export class KeyedStream<K, T> extends DataStream<T> {
  /** @internal */
  constructor(
    environment: StreamEnvironment,
    pipeline: Pipeline,
    inputs: readonly StreamInput[],
    /** @internal */ readonly key: (value: T) => K,
  ) {
    super(environment, pipeline, inputs, undefined);
  }

  /** @internal keyBy('field'): the field, which lets the planner read keys from columns and use the kernel. */
  get keyField(): string | undefined {
    return this.inputs[0]?.partitioner.keyField;
  }

  /** Rolling reduce: emits the running aggregate of the key for every record. */
  reduce(fn: ReduceFunction<T>): DataStream<T> {
    asFunction(fn, 'reduce', 'reduce');
    const key = this.key;
    return this.transform(
      'keyed-reduce',
      'Keyed Reduce',
      () => {
        return new KeyedReduceOperator<T>(key, asFunction<Reduce<T>>(functionInstance(fn), 'reduce', 'reduce'));
      },
      { aggregation: 'reduce' },
    );
  }

  /** Rolling sum of a numeric field; other fields are those of the key's first record. */
  sum(field: FieldExpression): DataStream<T> {
    return this.rolling('Keyed Aggregation', sumAggregation<T>(field), { aggregation: 'sum', field });
  }

  /** Rolling minimum of a field; other fields are those of the key's first record. */
  min(field: FieldExpression): DataStream<T> {
    return this.rolling('Keyed Aggregation', extremumAggregation<T>(field, 'min'), { aggregation: 'min', field });
  }

  /** Rolling maximum of a field; other fields are those of the key's first record. */
  max(field: FieldExpression): DataStream<T> {
    return this.rolling('Keyed Aggregation', extremumAggregation<T>(field, 'max'), { aggregation: 'max', field });
  }

  /** The record with the smallest field value so far; ties keep the first such record unless `first` is false. */
  minBy(field: FieldExpression, first = true): DataStream<T> {
    const reduce = extremumAggregation<T>(field, 'minBy', first);
    return this.rolling('Keyed Aggregation', reduce, { aggregation: 'minBy', field, first });
  }

  /** The record with the largest field value so far; ties keep the first such record unless `first` is false. */
  maxBy(field: FieldExpression, first = true): DataStream<T> {
    const reduce = extremumAggregation<T>(field, 'maxBy', first);
    return this.rolling('Keyed Aggregation', reduce, { aggregation: 'maxBy', field, first });
  }

  /** Groups each key's elements into windows chosen by `assigner`. */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<K, T, W> {
    if (typeof assigner?.assignWindows !== 'function') throw new TypeError('window expects a WindowAssigner');
    return new WindowedStream<K, T, W>(this, assigner);
  }

  /**
   * Count windows over GlobalWindows (SEMANTICS.md §1.5): without `slide`, one result per `size` elements of a
   * key (FIRE_AND_PURGE on a count trigger); with `slide`, every `slide` elements over the last `size` elements.
   * A partially filled count window is never emitted.
   */
  countWindow(size: number, slide?: number): WindowedStream<K, T, GlobalWindow> {
    const windowed = this.window(GlobalWindows.create() as WindowAssigner<T, GlobalWindow>);
    if (slide === undefined) return windowed.trigger(PurgingTrigger.of(CountTrigger.of(size)));
    return windowed.evictor(CountEvictor.of(size)).trigger(CountTrigger.of(slide));
  }

  /** A KeyedProcessFunction per record, with `ctx.getCurrentKey()`. */
  override process<R>(
    fn: KeyedProcessFunction<K, T, R> | KeyedProcessFunction<K, T, R>['processElement'],
  ): DataStream<R> {
    const processFn = keyedProcessFunctionOf(fn, 'process');
    const key = this.key;
    return this.transform(
      'keyed-process',
      'KeyedProcess',
      () => new KeyedProcessOperator<K, T, R>(key, functionInstance(processFn)),
    );
  }

  private rolling(name: string, reduce: Reduce<T>, params: Record<string, string | number | boolean>): DataStream<T> {
    const key = this.key;
    return this.transform('keyed-reduce', name, () => new KeyedReduceOperator<T>(key, reduce), params);
  }
}

registerKeyedStream(KeyedStream);
