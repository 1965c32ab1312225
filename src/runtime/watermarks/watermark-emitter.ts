/**
 * The WatermarkOutput an operator hands to its generator (Flink `TimestampsAndWatermarksOperator.WatermarkEmitter`):
 * only a watermark larger than the last one goes out (SEMANTICS.md §2.1); a watermark from an idle output first
 * marks it active; markIdle / markActive emit a status only when it changes. Once MAX_WATERMARK went out nothing
 * else does: end of event time is final (a deliberate tightening — Flink could still emit a status after it).
 * `beforeEmit` runs before anything is emitted, so records collected earlier reach downstream first.
 */
import type { WatermarkOutput } from '../../api/watermarks/watermark-generator.ts';
import type { Output } from '../operator.ts';
import { MAX_WATERMARK, MIN_WATERMARK } from '../time.ts';

export class WatermarkEmitter implements WatermarkOutput {
  private currentWatermark = MIN_WATERMARK;
  private idle = false;

  constructor(
    private readonly output: Output,
    private readonly beforeEmit: () => void,
  ) {}

  emitWatermark(timestamp: number): void {
    if (typeof timestamp !== 'number' || !(Number.isSafeInteger(timestamp) || Math.abs(timestamp) === Infinity)) {
      throw new TypeError(
        `WatermarkOutput.emitWatermark: a watermark must be an integer number of milliseconds, got ${String(timestamp)}`,
      );
    }
    if (timestamp <= this.currentWatermark) return;
    this.markActive();
    this.currentWatermark = timestamp;
    this.beforeEmit();
    this.output.emitWatermark(timestamp);
  }

  markIdle(): void {
    if (this.idle || this.ended) return;
    this.idle = true;
    this.beforeEmit();
    this.output.emitWatermarkStatus(true);
  }

  markActive(): void {
    if (!this.idle) return; // never idle after MAX: markIdle is closed then
    this.idle = false;
    this.beforeEmit();
    this.output.emitWatermarkStatus(false);
  }

  private get ended(): boolean {
    return this.currentWatermark === MAX_WATERMARK;
  }
}
