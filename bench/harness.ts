/// <reference types="node" />
/**
 * Shared helpers for `bench/*.bench.ts` (run by bench/run.ts, one child process each). A bench measures its
 * candidate and a baseline in the same process and run — machines are shared and noisy, so only the ratio means
 * much — prints human-readable lines, and ends with report(), whose JSON line must be its last output.
 *
 * Timing: each repetition is one call of the measured function (make it a whole batch, milliseconds long);
 * warm-up calls first (JIT, wasm tier-up, buffer growth), then the median of the repetitions. When several
 * functions are compared, measureInterleaved alternates them repetition by repetition so that a noisy neighbour
 * slows all of them alike.
 */
import type { JobTimestamps } from '../src/index.ts';

/** `BENCH_QUICK=1`: smaller sizes and fewer repetitions, so the whole set finishes in well under a minute. */
export const QUICK = process.env['BENCH_QUICK'] === '1';

export interface MeasureOptions {
  /** Calls made and discarded before timing. */
  readonly warmup: number;
  /** Timed calls; the median is reported. */
  readonly reps: number;
}

/** Defaults for benches: quick mode trades precision for time. */
export const DEFAULT_OPTIONS: MeasureOptions = QUICK ? { warmup: 3, reps: 7 } : { warmup: 5, reps: 15 };

export interface Measurement {
  /** Median milliseconds per call. */
  readonly medianMs: number;
  /** Every timed call, in milliseconds, in the order run. */
  readonly samplesMs: readonly number[];
}

/** Times `fn`: `warmup` untimed calls, then the median of `reps` timed ones. */
export function measure(fn: () => unknown, options: MeasureOptions = DEFAULT_OPTIONS): Measurement {
  return measureInterleaved({ fn }, options)['fn']!;
}

/** Times each function of `fns` like measure, alternating them within every repetition. */
export function measureInterleaved<K extends string>(
  fns: Readonly<Record<K, () => unknown>>,
  { warmup, reps }: MeasureOptions = DEFAULT_OPTIONS,
): Record<K, Measurement> {
  if (!(Number.isInteger(reps) && reps >= 1 && Number.isInteger(warmup) && warmup >= 0)) {
    throw new RangeError(`need integer warmup >= 0 and reps >= 1, got warmup ${warmup}, reps ${reps}`);
  }
  const names = Object.keys(fns) as K[];
  const samples = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let i = 0; i < warmup; i++) for (const name of names) fns[name]();
  for (let i = 0; i < reps; i++) {
    for (const name of names) {
      const started = performance.now();
      fns[name]();
      samples.get(name)!.push(performance.now() - started);
    }
  }
  const result = {} as Record<K, Measurement>;
  for (const name of names) {
    const samplesMs = samples.get(name)!;
    result[name] = { medianMs: median(samplesMs), samplesMs };
  }
  return result;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Items per second for `items` processed in `ms` milliseconds. */
export function perSecond(items: number, ms: number): number {
  return (items * 1000) / ms;
}

/** `n` per second, human-readable: "12.3 M/s". */
export function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M/s`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k/s`;
  return `${n.toFixed(0)} /s`;
}

export interface BenchResult {
  /** The bench's name: its file name without `.bench.ts` (bench/run.ts checks). */
  readonly bench: string;
  readonly eventsPerSec: number;
  readonly baselineEventsPerSec: number;
}

/** Prints the result line bench/run.ts parses; call it last. */
export function report({ bench, eventsPerSec, baselineEventsPerSec }: BenchResult): void {
  if (!(eventsPerSec > 0 && baselineEventsPerSec > 0 && Number.isFinite(eventsPerSec + baselineEventsPerSec))) {
    throw new RangeError(`${bench}: rates must be positive and finite (${eventsPerSec}, ${baselineEventsPerSec})`);
  }
  const ratio = eventsPerSec / baselineEventsPerSec;
  console.log(
    JSON.stringify({
      bench,
      eventsPerSec: Math.round(eventsPerSec),
      baselineEventsPerSec: Math.round(baselineEventsPerSec),
      ratio: Number(ratio.toPrecision(4)),
    }),
  );
}

/** Like measureInterleaved for asynchronous functions (whole jobs): alternates them within every repetition. */
export async function measureInterleavedAsync<K extends string>(
  fns: Readonly<Record<K, () => Promise<unknown>>>,
  { warmup, reps }: MeasureOptions = DEFAULT_OPTIONS,
): Promise<Record<K, Measurement>> {
  const names = Object.keys(fns) as K[];
  const samples = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let i = 0; i < warmup; i++) for (const name of names) await fns[name]();
  for (let i = 0; i < reps; i++) {
    for (const name of names) {
      const started = performance.now();
      await fns[name]();
      samples.get(name)!.push(performance.now() - started);
    }
  }
  const result = {} as Record<K, Measurement>;
  for (const name of names) {
    const samplesMs = samples.get(name)!;
    result[name] = { medianMs: median(samplesMs), samplesMs };
  }
  return result;
}

/** A started job as executeAndCollectAsync returns it: its handle's timestamps, and its end. */
export interface StartedJob {
  readonly handle: { readonly timestamps: JobTimestamps };
  readonly finished: Promise<unknown>;
}

/** Median milliseconds of whole jobs: end to end (start-up included) and processing alone. */
export interface JobMeasurement {
  /** From the call to the job's end: deployment (worker start-up) included. */
  readonly totalMs: number;
  /** JobTimestamps `ended - tasksRunning`: every subtask deployed and opened, until the job ended. */
  readonly processingMs: number;
}

/** Runs each job of `jobs` like measureInterleavedAsync, timing each run end to end and by its own timestamps. */
export async function measureJobsInterleaved<K extends string>(
  jobs: Readonly<Record<K, () => Promise<StartedJob>>>,
  options: MeasureOptions = DEFAULT_OPTIONS,
): Promise<Record<K, JobMeasurement>> {
  const processing = new Map<K, number[]>();
  const timed = {} as Record<K, () => Promise<void>>;
  for (const name of Object.keys(jobs) as K[]) {
    processing.set(name, []);
    timed[name] = async () => {
      const { handle, finished } = await jobs[name]();
      await finished;
      const { tasksRunning, ended } = handle.timestamps;
      if (tasksRunning === undefined || ended === undefined) throw new Error(`${name}: the job has no timestamps`);
      processing.get(name)!.push(ended - tasksRunning);
    };
  }
  const totals = await measureInterleavedAsync(timed, options);
  const result = {} as Record<K, JobMeasurement>;
  for (const name of Object.keys(jobs) as K[]) {
    // The warm-up runs come first: drop them, as measureInterleavedAsync does.
    const samples = processing.get(name)!.slice(options.warmup);
    result[name] = { totalMs: totals[name].medianMs, processingMs: median(samples) };
  }
  return result;
}
