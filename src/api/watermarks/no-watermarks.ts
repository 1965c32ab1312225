import type { WatermarkGenerator, WatermarkOutput } from './watermark-generator.ts';

/** Emits no watermarks at all (Flink `NoWatermarksGenerator`); only end of input's MAX passes the operator. */
export class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(_event: T, _eventTimestamp: number, _output: WatermarkOutput): void {}
  onPeriodicEmit(_output: WatermarkOutput): void {}
}
