/** Helpers for watermark-strategy specs: scripted input, a probe that notes the clock, compact renderings. */
import { StreamEnvironment, TestStream, type DataStream, type EnvironmentOptions } from '../../src/index.ts';
import type { WatermarkOutput } from '../../src/index.ts';
import type { RecordBatch } from '../../src/batch/record-batch.ts';
import { BaseOperator } from '../../src/runtime/operator.ts';
import type { ProbeEvent } from './support.ts';

/** A TestStream from `[value, timestamp]` elements, `{ wm }` watermarks and `{ clock }` processing-time advances. */
export function script<T>(...steps: ([T, number] | { wm: number } | { clock: number })[]): TestStream<T> {
  let s = TestStream.create<T>();
  for (const step of steps) {
    if (Array.isArray(step)) s = s.addElement(step[0], step[1]);
    else if ('wm' in step) s = s.advanceWatermarkTo(step.wm);
    else s = s.advanceProcessingTime(step.clock);
  }
  return s;
}

/** `{ clock: 201 }` repeated `n` times: with the default 200 ms interval, exactly one periodic emit each. */
export const probes = (n: number): { clock: number }[] => Array.from({ length: n }, () => ({ clock: 201 }));

/** `a@1000` for records, `wm:999` / `wm:MAX` for watermarks, `idle` / `active`, `end`. */
export function render(e: ProbeEvent): string {
  if ('record' in e) return `${String(e.record)}@${e.timestamp}`;
  if ('watermark' in e) return `wm:${e.watermark === Infinity ? 'MAX' : e.watermark}`;
  if ('idle' in e) return e.idle ? 'idle' : 'active';
  return 'end';
}

/** Like support.ts's ProbeOperator, but each line is prefixed with the processing time it was seen at. */
export class ClockedProbe extends BaseOperator {
  constructor(private readonly log: string[]) {
    super();
  }
  private note(e: ProbeEvent): void {
    this.log.push(`${this.ctx.processingTime.now()} ${render(e)}`);
  }
  processBatch(batch: RecordBatch): void {
    for (let i = 0; i < batch.length; i++)
      this.note({ record: batch.values[i], timestamp: batch.timestamps[i] as number });
    this.output.collect(batch);
  }
  override processWatermark(timestamp: number): void {
    this.note({ watermark: timestamp });
    super.processWatermark(timestamp);
  }
  override processWatermarkStatus(idle: boolean): void {
    this.note({ idle });
    super.processWatermarkStatus(idle);
  }
  override endInput(): void {
    this.note({ end: true });
  }
}

/** Runs `input` through `build` and returns what a clocked probe after it saw. */
export async function runClocked<T, R>(
  input: TestStream<T>,
  build: (stream: DataStream<T>) => DataStream<R>,
  options: EnvironmentOptions = {},
): Promise<string[]> {
  const env = StreamEnvironment.create(options);
  const log: string[] = [];
  build(env.fromTestStream(input)).transform('probe', 'Probe', () => new ClockedProbe(log));
  await env.execute();
  return log;
}

/** A WatermarkOutput that records calls, for driving generators directly. */
export function recordingOutput(): WatermarkOutput & { readonly calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    emitWatermark: (t) => calls.push(`wm:${t}`),
    markIdle: () => calls.push('idle'),
    markActive: () => calls.push('active'),
  };
}
