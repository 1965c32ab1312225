/**
 * What a process function sees: the current record's timestamp, side outputs and time. Results collected through
 * the Collector carry the input record's timestamp (Flink's TimestampedCollector).
 */
import type { OutputTag } from '../../api/output-tag.ts';

export interface Collector<T> {
  collect(value: T): void;
}

/**
 * Time and timers (Flink TimerService). Timers belong to the current key: only keyed process functions may set
 * them; a non-keyed ProcessFunction throws "Setting timers is only supported on a keyed streams." as Flink does.
 */
export interface TimerService {
  currentProcessingTime(): number;
  /** The operator's current event-time watermark (-Infinity before the first). */
  currentWatermark(): number;
  /** onTimer runs once the watermark reaches `time` (`time <= watermark`); one timer per key and time. */
  registerEventTimeTimer(time: number): void;
  /** onTimer runs once the processing-time clock reaches `time + 1`; one timer per key and time. */
  registerProcessingTimeTimer(time: number): void;
  /** Deletes the current key's event-time timer for `time`, if any. */
  deleteEventTimeTimer(time: number): void;
  /** Deletes the current key's processing-time timer for `time`, if any. */
  deleteProcessingTimeTimer(time: number): void;
}

export interface ProcessContext {
  /** Event timestamp of the current record, or null when it has none (Flink returns a null Long). */
  timestamp(): number | null;
  /** Emits `value` to the side output `tag`, with the current record's timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
  timerService(): TimerService;
}
