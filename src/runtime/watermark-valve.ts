/**
 * Combines the watermarks and idleness of several input channels into one watermark stream, exactly as Flink's
 * StatusWatermarkValve (SEMANTICS.md §2.5): the output is the minimum over active, aligned channels; idle
 * channels are excluded; when all go idle the maximum is flushed; a channel returning from idleness re-joins only
 * once it has caught up, so the output never regresses.
 */
import { MIN_WATERMARK } from './time.ts';

export interface ValveOutput {
  emitWatermark(timestamp: number): void;
  emitWatermarkStatus(idle: boolean): void;
}

interface ChannelState {
  watermark: number;
  idle: boolean;
  aligned: boolean;
}

export class StatusWatermarkValve {
  private readonly channels: ChannelState[];
  private lastOutputWatermark = MIN_WATERMARK;
  private lastOutputIdle = false;

  constructor(
    channelCount: number,
    private readonly output: ValveOutput,
  ) {
    this.channels = Array.from({ length: channelCount }, () => ({
      watermark: MIN_WATERMARK,
      idle: false,
      aligned: true,
    }));
  }

  get currentWatermark(): number {
    return this.lastOutputWatermark;
  }

  get idle(): boolean {
    return this.lastOutputIdle;
  }

  inputWatermark(timestamp: number, channelIndex: number): void {
    const channel = this.channel(channelIndex);
    if (this.lastOutputIdle || channel.idle || timestamp <= channel.watermark) return;
    channel.watermark = timestamp;
    if (!channel.aligned && timestamp >= this.lastOutputWatermark) channel.aligned = true;
    this.emitMinOfAligned();
  }

  inputWatermarkStatus(idle: boolean, channelIndex: number): void {
    const channel = this.channel(channelIndex);
    if (idle && !channel.idle) {
      channel.idle = true;
      channel.aligned = false;
      if (this.channels.every((c) => c.idle)) {
        this.flushMaxOfAll();
        if (!this.lastOutputIdle) {
          this.lastOutputIdle = true;
          this.output.emitWatermarkStatus(true);
        }
      } else if (channel.watermark === this.lastOutputWatermark) {
        this.emitMinOfAligned();
      }
    } else if (!idle && channel.idle) {
      channel.idle = false;
      if (channel.watermark >= this.lastOutputWatermark) channel.aligned = true;
      if (this.lastOutputIdle) {
        this.lastOutputIdle = false;
        this.output.emitWatermarkStatus(false);
      }
    }
  }

  private emitMinOfAligned(): void {
    let min = Infinity;
    let any = false;
    for (const c of this.channels) {
      if (c.aligned) {
        any = true;
        if (c.watermark < min) min = c.watermark;
      }
    }
    if (any && min > this.lastOutputWatermark) {
      this.lastOutputWatermark = min;
      this.output.emitWatermark(min);
    }
  }

  private flushMaxOfAll(): void {
    let max = MIN_WATERMARK;
    for (const c of this.channels) if (c.watermark > max) max = c.watermark;
    if (max > this.lastOutputWatermark) {
      this.lastOutputWatermark = max;
      this.output.emitWatermark(max);
    }
  }

  private channel(index: number): ChannelState {
    const channel = this.channels[index];
    if (!channel) throw new RangeError(`watermark valve has no channel ${index}`);
    return channel;
  }
}
