/** Helpers for window specs: run a TestStream through a windowed pipeline and read what came out, in order. */
import { StreamEnvironment, TestStream, type DataStream } from '../../src/index.ts';
import { probe, type ProbeEvent } from './support.ts';

export interface Event {
  readonly k: string;
  readonly v: number;
}

/** Builds a TestStream from `[value, timestamp]` pairs and numbers (watermarks). */
export function script<T>(...steps: ([T, number] | number | { clock: number })[]): TestStream<T> {
  let s = TestStream.create<T>();
  for (const step of steps) {
    if (typeof step === 'number') s = s.advanceWatermarkTo(step);
    else if (Array.isArray(step)) s = s.addElement(step[0], step[1]);
    else s = s.advanceProcessingTime(step.clock);
  }
  return s;
}

/** Output records as `value@timestamp` strings and watermarks as `wm:t`, in emission order. */
export async function runWindowed<T, R>(
  input: TestStream<T>,
  build: (stream: DataStream<T>) => DataStream<R>,
  options: { parallelism?: number } = {},
): Promise<string[]> {
  const env = StreamEnvironment.create({ parallelism: options.parallelism ?? 1 });
  const { log } = probe(build(env.fromTestStream(input)).global());
  await env.execute();
  return log.flatMap(render);
}

export function render(e: ProbeEvent): string[] {
  if ('record' in e) return [`${format(e.record)}@${e.timestamp}`];
  if ('watermark' in e) return [`wm:${e.watermark}`];
  return [];
}

export function format(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Only the records, without watermarks. */
export const records = (out: string[]) => out.filter((line) => !line.startsWith('wm:'));
