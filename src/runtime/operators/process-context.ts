/**
 * What a process function sees: the current record's timestamp, side outputs and time. Results collected through
 * the Collector carry the input record's timestamp (Flink's TimestampedCollector).
 */
import type { OutputTag } from '../../api/output-tag.ts';

export interface Collector<T> {
  collect(value: T): void;
}

export interface TimerService {
  currentProcessingTime(): number;
  /** The operator's current event-time watermark (-Infinity before the first). */
  currentWatermark(): number;
}

export interface ProcessContext {
  /** Event timestamp of the current record, or null when it has none (Flink returns a null Long). */
  timestamp(): number | null;
  /** Emits `value` to the side output `tag`, with the current record's timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
  timerService(): TimerService;
}
