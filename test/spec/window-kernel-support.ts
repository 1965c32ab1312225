/**
 * Helpers of window-kernel.spec.ts: feeding rows to a WindowAggregator, readable emissions, seeded random streams,
 * step-by-step outcomes normalised so that two implementations compare equal, and the same stream run through
 * the JS WindowOperator (public API) and through the reference, as per-watermark segments.
 */
import {
  OutputTag,
  SlidingEventTimeWindows,
  StreamEnvironment,
  TestStream,
  TumblingEventTimeWindows,
  type TimeWindow,
} from '../../src/index.ts';
import { ReferenceWindowAggregator } from '../../src/wasm/window-agg-reference.ts';
import type {
  CreatedWindows,
  WindowAggregator,
  WindowAggregatorConfig,
  WindowEmissions,
} from '../../src/wasm/window-aggregator.ts';
import { equal, ok } from './assert.ts';
import { probe, type ProbeEvent, seededRandom } from './support.ts';

/** Rows as [key, value, timestamp]. */
export type Row = readonly [number, number, number];

export function feed(agg: WindowAggregator, rows: readonly Row[]) {
  const keys = new Int32Array(rows.length);
  const values = new Float64Array(rows.length);
  const timestamps = new Float64Array(rows.length);
  rows.forEach(([key, value, timestamp], i) => {
    keys[i] = key;
    values[i] = value;
    timestamps[i] = timestamp;
  });
  return agg.process(keys, values, timestamps);
}

/** One emission as readable text: `k<key> [start,end) n<count> sum min max`. */
export function lines(e: WindowEmissions): string[] {
  const out: string[] = [];
  for (let i = 0; i < e.length; i++) {
    out.push(`k${e.key[i]} [${e.start[i]},${e.end[i]}) n${e.count[i]} ${e.sum[i]} ${e.min[i]} ${e.max[i]}`);
  }
  return out;
}

export const starts = (created: CreatedWindows): number[] => Array.from(created.start);

/** A random stream: batches of rows and the watermark after each (monotone, sometimes not advancing). */
export interface Step {
  readonly rows: Row[];
  readonly watermark: number;
}

export function randomStream(
  seed: number,
  options: { keys: number; batches: number; rows: number; spread: number; pace: number },
): Step[] {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  let frontier = -20_000 - pick(5000);
  let watermark = -Infinity;
  const steps: Step[] = [];
  for (let b = 0; b < options.batches; b++) {
    const rows: Row[] = [];
    const n = 1 + pick(options.rows);
    for (let i = 0; i < n; i++) {
      frontier += pick(options.pace);
      // mostly near the frontier, some far behind it (late), a few ahead
      const r = random();
      const ts =
        r < 0.1
          ? frontier - pick(options.spread * 4)
          : r < 0.95
            ? frontier - pick(options.spread)
            : frontier + pick(500);
      const v = random() < 0.02 ? NaN : Math.round(random() * 20_000) / 100 - 50;
      rows.push([pick(options.keys), v, ts]);
    }
    const lag = pick(options.spread);
    if (random() < 0.8) watermark = Math.max(watermark, frontier - lag);
    steps.push({ rows, watermark });
  }
  steps.push({ rows: [], watermark: Infinity });
  return steps;
}

/**
 * Windows by slot, built from `created` and retired on `freed`, so that emissions and frees can be compared by
 * (key, start) whatever slot numbers an implementation chose. Checks that slots are used consistently.
 */
export class SlotMap {
  private readonly windows = new Map<number, string>();

  created(created: CreatedWindows, keyOfRow: (row: number) => number): string[] {
    const out: string[] = [];
    for (let i = 0; i < created.length; i++) {
      const slot = created.slot[i] as number;
      ok(!this.windows.has(slot), `slot ${slot} created while live`);
      const id = `k${keyOfRow(created.row[i] as number)}@${created.start[i]}`;
      this.windows.set(slot, id);
      out.push(`row ${created.row[i]} ${id}`);
    }
    return out;
  }

  fired(e: WindowEmissions): void {
    for (let i = 0; i < e.length; i++) {
      const [window, expected] = [this.windows.get(e.slot[i] as number), `k${e.key[i]}@${e.start[i]}`];
      if (window !== expected) equal(window, expected, `slot ${e.slot[i]} of a firing`);
    }
  }

  freed(slots: Int32Array): string[] {
    return Array.from(slots, (slot) => {
      const id = this.windows.get(slot);
      ok(id !== undefined, `freed slot ${slot} is not live`);
      this.windows.delete(slot);
      return id;
    });
  }

  get size(): number {
    return this.windows.size;
  }
}

/** What an aggregator did for one step of a stream, normalised so that two implementations compare equal. */
export interface StepOutcome {
  readonly created: string[];
  readonly firedByRows: string[];
  readonly late: number[];
  readonly firedByWatermark: string[];
  readonly freed: string[];
  readonly live: number;
}

export function runStep(agg: WindowAggregator, slots: SlotMap, step: Step): StepOutcome {
  const result = feed(agg, step.rows);
  const created = slots.created(result.created, (row) => (step.rows[row] as Row)[0]);
  slots.fired(result.fired);
  const advanced = agg.advanceWatermark(step.watermark);
  slots.fired(advanced.fired);
  const ends = advanced.fired.end;
  ok(
    ends.every((end, i) => i === 0 || end >= (ends[i - 1] as number)),
    'watermark firings in end order',
  );
  const freed = slots.freed(advanced.freed).sort();
  equal(agg.liveWindows, slots.size, 'liveWindows');
  return {
    created,
    firedByRows: lines(result.fired),
    late: Array.from(result.late),
    firedByWatermark: lines(advanced.fired).sort(),
    freed,
    live: agg.liveWindows,
  };
}

interface Accumulator {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** An event fed to the JS operator: key, value, and which row of which step it is. */
interface Event {
  readonly k: number;
  readonly v: number;
  readonly row: string;
}

/**
 * Firings and late rows per watermark segment, as the JS WindowOperator produces them: the segment after the
 * last watermark of step s holds the rows' immediate firings and the firings of the step's watermark.
 */
export async function viaOperator(config: WindowAggregatorConfig, steps: readonly Step[]): Promise<string[][]> {
  let input = TestStream.create<Event>();
  let watermark = -Infinity;
  for (const [s, step] of steps.entries()) {
    for (const [i, [k, v, ts]] of step.rows.entries()) input = input.addElement({ k, v, row: `${s}.${i}` }, ts);
    if (step.watermark > watermark) input = input.advanceWatermarkTo((watermark = step.watermark));
  }
  const assigner =
    config.kind === 'tumbling'
      ? TumblingEventTimeWindows.of(config.size, config.offset ?? 0)
      : SlidingEventTimeWindows.of(config.size, config.slide, config.offset ?? 0);
  const lateTag = new OutputTag<Event>('late');
  const env = StreamEnvironment.create({ parallelism: 1 });
  const windowed = env
    .fromTestStream(input)
    .keyBy((e) => e.k)
    .window(assigner)
    .allowedLateness(config.allowedLateness ?? 0)
    .sideOutputLateData(lateTag)
    .aggregate<Accumulator, Accumulator, string>(
      {
        createAccumulator: () => ({ count: 0, sum: 0, min: 0, max: 0 }),
        add: (e, acc) =>
          acc.count === 0
            ? { count: 1, sum: e.v, min: e.v, max: e.v }
            : // strictly smaller/larger replaces, as the engine's min/max: a NaN never replaces a value
              {
                count: acc.count + 1,
                sum: acc.sum + e.v,
                min: e.v < acc.min ? e.v : acc.min,
                max: e.v > acc.max ? e.v : acc.max,
              },
        getResult: (acc) => acc,
      },
      (key, ctx, results, out) => {
        for (const r of results) {
          const w: TimeWindow = ctx.window;
          out.collect(`k${key} [${w.start},${w.end}) n${r.count} ${r.sum} ${r.min} ${r.max}`);
        }
      },
    );
  const { log: main } = probe(windowed);
  const { log: late } = probe(windowed.getSideOutput(lateTag).map((e) => `late ${e.row}`));
  await env.execute();
  return merge(segments(main), segments(late));
}

function segments(log: readonly ProbeEvent[]): string[][] {
  const out: string[][] = [[]];
  for (const e of log) {
    if ('watermark' in e) out.push([]);
    else if ('record' in e) (out[out.length - 1] as string[]).push(String(e.record));
  }
  return out;
}

function merge(a: string[][], b: string[][]): string[][] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [...(a[i] ?? []), ...(b[i] ?? [])].sort());
}

/** The same segments from the reference aggregator. */
export function viaReference(config: WindowAggregatorConfig, steps: readonly Step[]): string[][] {
  const agg = new ReferenceWindowAggregator(config);
  const out: string[][] = [[]];
  let watermark = -Infinity;
  for (const [s, step] of steps.entries()) {
    const result = feed(agg, step.rows);
    const current = out[out.length - 1] as string[];
    current.push(...lines(result.fired), ...Array.from(result.late, (i) => `late ${s}.${i}`));
    if (step.watermark > watermark) {
      watermark = step.watermark;
      (out[out.length - 1] as string[]).push(...lines(agg.advanceWatermark(watermark).fired));
      out.push([]);
    }
  }
  return out.map((segment) => segment.sort());
}
