/**
 * How a stream gets event timestamps and watermarks (Flink `WatermarkStrategy`): a watermark generator supplier
 * plus an optional timestamp assigner. Strategies are immutable; every `with…` returns a new one. Arguments are
 * validated when the strategy is built, with errors that name the rule. Used by
 * `DataStream.assignTimestampsAndWatermarks` (SEMANTICS.md §2.2–2.3).
 *
 * @example
 * const strategy = WatermarkStrategy.forBoundedOutOfOrderness<{ ts: number }>(2000)
 *   .withTimestampAssigner((event) => event.ts)
 *   .withIdleness(60_000);
 */
import { asFunction, describe, functionInstance } from './functions.ts';
import { BoundedOutOfOrdernessWatermarks, checkOutOfOrderness } from './watermarks/bounded-out-of-orderness.ts';
import { NoWatermarksGenerator } from './watermarks/no-watermarks.ts';
import { checkIdleTimeout, WatermarksWithIdleness } from './watermarks/watermarks-with-idleness.ts';
import type {
  TimestampAssigner,
  WatermarkGenerator,
  WatermarkGeneratorContext,
  WatermarkGeneratorSupplier,
} from './watermarks/watermark-generator.ts';

type GeneratorFactory<T> = (context: WatermarkGeneratorContext) => WatermarkGenerator<T>;
/** The normalized assigner: a closure, `extractTimestamp` bound to its object. */
export type TimestampAssignerFn<T> = (element: T, recordTimestamp: number) => number;

export class WatermarkStrategy<T> {
  private constructor(
    private readonly generatorFactory: GeneratorFactory<T>,
    private readonly timestampAssigner: TimestampAssigner<T> | undefined,
    /** Function-free description, part of the job graph's fingerprint, e.g. `forBoundedOutOfOrderness(2000)`. */
    readonly description: string,
  ) {}

  /** Watermark = largest timestamp seen − `maxOutOfOrderness` − 1, emitted periodically; MIN before any event. */
  static forBoundedOutOfOrderness<T>(maxOutOfOrderness: number): WatermarkStrategy<T> {
    checkOutOfOrderness(maxOutOfOrderness, 'WatermarkStrategy.forBoundedOutOfOrderness');
    return new WatermarkStrategy<T>(
      () => new BoundedOutOfOrdernessWatermarks<T>(maxOutOfOrderness),
      undefined,
      `forBoundedOutOfOrderness(${maxOutOfOrderness})`,
    );
  }

  /** Ascending timestamps: bound 0, so the watermark is the largest timestamp seen − 1. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(
      () => new BoundedOutOfOrdernessWatermarks<T>(0),
      undefined,
      'forMonotonousTimestamps()',
    );
  }

  /** No watermarks; for streams that need timestamps but no event-time progress (only end of input's MAX). */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new NoWatermarksGenerator<T>(), undefined, 'noWatermarks()');
  }

  /** A custom periodic or punctuated generator, created once per parallel instance. */
  static forGenerator<T>(supplier: WatermarkGeneratorSupplier<T>): WatermarkStrategy<T> {
    const create = asFunction<GeneratorFactory<T>>(
      supplier,
      'createWatermarkGenerator',
      'WatermarkStrategy.forGenerator',
    );
    return new WatermarkStrategy<T>((context) => checkGenerator(create(context)), undefined, 'forGenerator()');
  }

  /**
   * Sets how each element's timestamp is extracted: `(element, recordTimestamp) => ms`, or an object with
   * `extractTimestamp`. Without one, records keep the timestamp they carry.
   */
  withTimestampAssigner<U extends T>(assigner: TimestampAssigner<U>): WatermarkStrategy<U> {
    asFunction(assigner, 'extractTimestamp', 'WatermarkStrategy.withTimestampAssigner');
    return new WatermarkStrategy<U>(this.generatorFactory, assigner, `${this.description}.withTimestampAssigner()`);
  }

  /** Marks the input idle after `idleTimeout` ms without events, so it stops holding back downstream watermarks. */
  withIdleness(idleTimeout: number): WatermarkStrategy<T> {
    checkIdleTimeout(idleTimeout, 'WatermarkStrategy.withIdleness');
    const base = this.generatorFactory;
    return new WatermarkStrategy<T>(
      (context) => new WatermarksWithIdleness<T>(base(context), idleTimeout, context.inputActivityClock),
      this.timestampAssigner,
      `${this.description}.withIdleness(${idleTimeout})`,
    );
  }

  /** A new generator for one parallel instance. */
  createWatermarkGenerator(context: WatermarkGeneratorContext): WatermarkGenerator<T> {
    return this.generatorFactory(context);
  }

  /**
   * The assigner for one parallel instance, or undefined if none: an object assigner is copied per instance (see
   * `functionInstance`) and `extractTimestamp` bound to the copy.
   */
  createTimestampAssigner(): TimestampAssignerFn<T> | undefined {
    const assigner = this.timestampAssigner;
    if (assigner === undefined) return undefined;
    const instance = functionInstance(assigner);
    return asFunction<TimestampAssignerFn<T>>(instance, 'extractTimestamp', 'WatermarkStrategy.withTimestampAssigner');
  }
}

function checkGenerator<T>(generator: WatermarkGenerator<T>): WatermarkGenerator<T> {
  const g = generator as Partial<WatermarkGenerator<T>> | null | undefined;
  if (typeof g?.onEvent !== 'function' || typeof g.onPeriodicEmit !== 'function') {
    throw new TypeError(
      'WatermarkStrategy.forGenerator: the supplier must return a generator with onEvent() and onPeriodicEmit() ' +
        `methods, got ${g === null || typeof g !== 'object' ? describe(g) : 'an object without them'}`,
    );
  }
  return generator;
}
