/**
 * Idleness detection around another generator (SEMANTICS.md §2.3; Flink `WatermarksWithIdleness` and its
 * `IdlenessTimer`). Idleness is evaluated only in `onPeriodicEmit`: a probe that sees activity since the previous
 * probe resets the countdown; the first quiet probe starts it; the output is marked idle, once, at the first probe
 * where `now - start > idleTimeout` (strict). While idle nothing is emitted. An event clears the idle state; the
 * ACTIVE status goes out with the next watermark that advances (Flink `WatermarkEmitter#emitWatermark`).
 * Detection therefore lands between `idleTimeout` and about `idleTimeout + 3 × interval` after the last event.
 */
import type { Clock } from '../../runtime/time.ts';
import type { WatermarkGenerator, WatermarkOutput } from './watermark-generator.ts';

export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private readonly idlenessTimer: IdlenessTimer;
  private isIdleNow = false;

  constructor(
    private readonly watermarks: WatermarkGenerator<T>,
    idleTimeout: number,
    clock: Clock,
  ) {
    checkIdleTimeout(idleTimeout, 'WatermarksWithIdleness');
    this.idlenessTimer = new IdlenessTimer(clock, idleTimeout);
  }

  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void {
    this.watermarks.onEvent(event, eventTimestamp, output);
    this.idlenessTimer.activity();
    this.isIdleNow = false;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.idlenessTimer.checkIfIdle()) {
      if (!this.isIdleNow) {
        output.markIdle();
        this.isIdleNow = true;
      }
    } else {
      this.watermarks.onPeriodicEmit(output);
    }
  }
}

/** Flink's IdlenessTimer; "no countdown" is `undefined` here rather than Flink's 0-nanos sentinel (clocks start at 0). */
class IdlenessTimer {
  private counter = 0;
  private lastCounter = 0;
  private startOfInactivity: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly maxIdleTime: number,
  ) {}

  activity(): void {
    this.counter++;
  }

  checkIfIdle(): boolean {
    if (this.counter !== this.lastCounter) {
      this.lastCounter = this.counter;
      this.startOfInactivity = undefined;
      return false;
    }
    if (this.startOfInactivity === undefined) {
      this.startOfInactivity = this.clock.now();
      return false;
    }
    return this.clock.now() - this.startOfInactivity > this.maxIdleTime;
  }
}

/** Flink: `checkArgument(!(idleTimeout.isZero() || idleTimeout.isNegative()), "idleTimeout must be greater than zero")`. */
export function checkIdleTimeout(value: number, api: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${api}: idleTimeout must be an integer number of milliseconds, got ${String(value)}`);
  }
  if (value <= 0) throw new RangeError(`${api}: idleTimeout must be greater than zero, got ${value}`);
}
