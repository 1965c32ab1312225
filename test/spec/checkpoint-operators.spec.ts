/**
 * Operator and source state through a checkpoint (SEMANTICS.md §5.2, §6, §2.6): run input A, snapshot (through
 * the state codec), restore into fresh instances at another parallelism (key groups by keyGroupRange, operator
 * state dealt round-robin), feed input B; the union of the outputs equals one instance run on A then B. After a
 * restore the watermark starts at MIN, so the restored run first sees A's last watermark again, as sources
 * regenerate it (§2.6).
 */
import {
  CountEvictor,
  CountTrigger,
  EventTimeSessionWindows,
  GlobalWindows,
  OutputTag,
  SlidingEventTimeWindows,
  StreamEnvironment,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  type DataStream,
  type KeyedProcessFunction,
} from '../../src/index.ts';
import type { Operator } from '../../src/runtime/operator.ts';
import { IterableSourceReader } from '../../src/runtime/sources/collection-source.ts';
import {
  ColumnarGeneratorReader,
  generatorSplits,
  ObjectGeneratorReader,
} from '../../src/runtime/sources/generator-source.ts';
import type { SourceReader } from '../../src/runtime/sources/source-reader.ts';
import { TestStreamReader } from '../../src/runtime/sources/test-stream-source.ts';
import { decodeState, encodeState } from '../../src/runtime/checkpoint/state-codec.ts';
import { StateTtlConfig } from '../../src/state/state-ttl.ts';
import { deepEqual, equal, ok, sameMultiset } from './assert.ts';
import { defineSuite } from './harness.ts';
import { dealOperatorState, harnessKernel, OperatorHarness, restoreHarnesses, route } from './operator-harness.ts';

interface Event {
  readonly k: string;
  readonly v: number;
}

/** One step of a script: elements as [value, timestamp], a watermark, or a processing-time move. */
type Step =
  | { readonly elements: readonly (readonly [Event, number])[] }
  | { readonly watermark: number }
  | { readonly time: number };

const el = (...elements: [string, number, number][]): Step => ({
  elements: elements.map(([k, v, t]) => [{ k, v }, t] as const),
});
const wm = (watermark: number): Step => ({ watermark });
const at = (time: number): Step => ({ time });

const keyOf = (value: unknown) => (value as Event).k;

/** The operator factory of the last node of `build(stream)`, built through the public API. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any result type
function operatorOf(build: (s: DataStream<Event>) => DataStream<any>): () => Operator {
  const env = StreamEnvironment.create({ parallelism: 1 });
  const node = build(env.fromElements<Event>({ k: 'a', v: 0 })).node;
  ok(node?.createOperator, 'the stream ends in an operator');
  return node.createOperator;
}

function run(harnesses: readonly OperatorHarness[], steps: readonly Step[]): void {
  for (const step of steps) {
    if ('elements' in step) route(harnesses, keyOf, step.elements);
    else if ('watermark' in step) for (const h of harnesses) h.watermark(step.watermark);
    else for (const h of harnesses) h.setProcessingTime(step.time);
  }
}

function lastOf(steps: readonly Step[], field: 'watermark' | 'time'): number | undefined {
  let last: number | undefined;
  for (const step of steps) if (field in step) last = (step as Record<string, number>)[field];
  return last;
}

/**
 * Runs A then B on one instance, and A at parallelism `from` → snapshot → B at parallelism `to`; asserts equal
 * multisets of records (values and timestamps). Returns the records for further checks.
 */
async function checkRestore(
  create: () => Operator,
  a: readonly Step[],
  b: readonly Step[],
  from: number,
  to: number,
): Promise<unknown[]> {
  const kernel = await harnessKernel();
  const reference = new OperatorHarness(create(), kernel);
  run([reference], [...a, ...b]);
  reference.endInput();

  const before = Array.from(
    { length: from },
    (_, i) => new OperatorHarness(create(), kernel, { parallelism: from, subtaskIndex: i }),
  );
  run(before, a);
  const snapshots = before.map((h) => h.snapshot());
  const after = await restoreHarnesses(snapshots, to, create, { now: lastOf(a, 'time') ?? 0 });
  const watermark = lastOf(a, 'watermark');
  run(after, [...(watermark === undefined ? [] : [wm(watermark)]), ...b]);
  for (const h of after) h.endInput();

  const expected = reference.records();
  const actual = [...before, ...after].flatMap((h) => h.records());
  sameMultiset(actual, expected, `restored ${from} → ${to}`);
  return expected;
}

/** checkRestore at 1 → 3, 2 → 1 and 2 → 2. */
async function checkRescaling(create: () => Operator, a: readonly Step[], b: readonly Step[]): Promise<unknown[]> {
  await checkRestore(create, a, b, 1, 3);
  await checkRestore(create, a, b, 2, 1);
  return checkRestore(create, a, b, 2, 2);
}

const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
/** One element per key at each timestamp given, value = timestamp. */
const everyKey = (...timestamps: number[]): Step =>
  el(...timestamps.flatMap((t) => keys.map((k): [string, number, number] => [k, t, t])));

const timers: KeyedProcessFunction<string, Event, string> = {
  processElement(e, ctx) {
    const count = ctx.getState<number>('count');
    count.update((count.value() ?? 0) + e.v);
    ctx.getListState<number>('seen').add(e.v);
    ctx.getMapState<number, string>('byValue').put(e.v, e.k);
    ctx.getState<number>({ name: 'ttl', ttl: StateTtlConfig.newBuilder(100).build() }).update(e.v);
    ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 10);
    ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 50);
  },
  onTimer(ts, ctx, out) {
    const ttl = ctx.getState<number>({ name: 'ttl', ttl: StateTtlConfig.newBuilder(100).build() }).value();
    const seen = [...(ctx.getListState<number>('seen').get() ?? [])].join(',');
    const map = [...ctx.getMapState<number, string>('byValue').keys()].join(',');
    out.collect(
      `${ctx.getCurrentKey()} ${ctx.timeDomain()}@${ts} count=${ctx.getState<number>('count').value()} seen=${seen} map=${map} ttl=${ttl}`,
    );
  },
};

export default defineSuite('checkpointed operators (SEMANTICS §5.2, §6)', (it) => {
  it('keyed process: state, TTL timestamps, pending event-time and processing-time timers survive rescaling', async () => {
    const create = operatorOf((s) => s.keyBy('k').process(timers));
    const out = await checkRescaling(
      create,
      [at(0), el(['z', 7, 0]), everyKey(1, 2), wm(5), at(20), everyKey(3)],
      [at(60), everyKey(4), at(130), wm(12), wm(30), at(200)],
    );
    const lines = out.map((r) => String((r as { value: unknown }).value));
    ok(lines.includes('a PROCESSING_TIME@50 count=6 seen=1,2,3 map=1,2,3 ttl=3'), 'a restored processing-time timer');
    // z's TTL'd value was written at processing time 0 (TTL 100) and is read at 130: expired in both runs.
    ok(lines.includes('z EVENT_TIME@10 count=7 seen=7 map=7 ttl=null'), 'a restored event-time timer, TTL expired');
  });

  it('keyed reduce: the rolling aggregate of each key continues', async () => {
    const create = operatorOf((s) => s.keyBy('k').reduce((x, y) => ({ k: x.k, v: x.v + y.v })));
    await checkRescaling(create, [everyKey(1, 2, 3)], [everyKey(4, 5)]);
  });

  it('tumbling windows (JS path) with allowed lateness: a fired window is kept and fires again after restore', async () => {
    const late = new OutputTag<Event>('late');
    const create = operatorOf((s) =>
      s
        .keyBy('k')
        .window(TumblingEventTimeWindows.of(10))
        .allowedLateness(20)
        .sideOutputLateData(late)
        .reduce((x, y) => ({ k: x.k, v: x.v + y.v })),
    );
    const out = await checkRescaling(
      create,
      [everyKey(1, 5, 12), wm(10)],
      [everyKey(3, 15), wm(25), everyKey(4), wm(40), everyKey(2), wm(100)],
    );
    ok(
      out.some((r) => 'side' in (r as object)),
      'an element after cleanup went to the side output',
    );
  });

  it('sliding windows with per-window and global state of a process window function', async () => {
    const create = operatorOf((s) =>
      s
        .keyBy('k')
        .window(SlidingEventTimeWindows.of(10, 5))
        .process<string>({
          process(key, ctx, elements, out) {
            const firings = ctx.windowState().getState<number>('firings');
            firings.update((firings.value() ?? 0) + 1);
            const total = ctx.globalState().getState<number>('total');
            total.update((total.value() ?? 0) + [...elements].length);
            out.collect(`${key} ${JSON.stringify(ctx.window)} firing=${firings.value()} total=${total.value()}`);
          },
        }),
    );
    await checkRescaling(create, [everyKey(1, 4, 7, 11), wm(9)], [everyKey(12, 14, 21), wm(30)]);
  });

  it('session windows mid-merge: restored sessions merge with new elements', async () => {
    const create = operatorOf((s) =>
      s
        .keyBy('k')
        .window(EventTimeSessionWindows.withGap(10))
        .process<string>((key, ctx, elements, out) =>
          out.collect(`${key} ${JSON.stringify(ctx.window)} ${[...elements].map((e) => e.v).join(',')}`),
        ),
    );
    // A leaves sessions [1,11) and [15,25) per key; B's 8 bridges them into [1,25) and 40 starts another.
    const out = await checkRescaling(create, [everyKey(1, 15), wm(0)], [everyKey(8, 40), wm(100)]);
    ok(out.some((r) => /a \{"start":1,"end":25\} 1,15,8/.test(String((r as { value: unknown }).value))));
  });

  it('session windows fired before the snapshot do not fire again after restore', async () => {
    const create = operatorOf((s) =>
      s
        .keyBy('k')
        .window(EventTimeSessionWindows.withGap(10))
        .process<string>((key, ctx, elements, out) =>
          out.collect(`${key} ${JSON.stringify(ctx.window)} ${[...elements].map((e) => e.v).join(',')}`),
        ),
    );
    // [1,11) fires at watermark 30, before the snapshot; [40,50) is pending.
    await checkRescaling(create, [everyKey(1), wm(30), everyKey(40)], [wm(100)]);
  });

  it('count windows: a partial window completes after restore; GlobalWindows with CountTrigger and an evictor', async () => {
    await checkRescaling(
      operatorOf((s) =>
        s
          .keyBy('k')
          .countWindow(3)
          .reduce((x, y) => ({ k: x.k, v: x.v + y.v })),
      ),
      [everyKey(1, 2)],
      [everyKey(3, 4, 5, 6)],
    );
    await checkRescaling(
      operatorOf((s) =>
        s
          .keyBy('k')
          .window(GlobalWindows.create())
          .trigger(CountTrigger.of(2))
          .evictor(CountEvictor.of(3))
          .process<string>((key, _ctx, elements, out) =>
            out.collect(`${key} ${[...elements].map((e) => e.v).join(',')}`),
          ),
      ),
      [everyKey(1, 2, 3)],
      [everyKey(4, 5, 6)],
    );
  });

  it('processing-time windows fire from restored processing-time timers', async () => {
    const create = operatorOf((s) =>
      s
        .keyBy('k')
        .window(TumblingProcessingTimeWindows.of(100))
        .reduce((x, y) => ({ k: x.k, v: x.v + y.v })),
    );
    const out = await checkRescaling(
      create,
      [at(10), everyKey(1, 2)],
      [at(50), everyKey(3), at(150), everyKey(4), at(250)],
    );
    equal(out.length, 2 * keys.length);
  });

  it('kernel window path (sum and count on tumbling and sliding windows) restores the aggregator per key group', async () => {
    for (const build of [
      (s: DataStream<Event>) => s.keyBy('k').window(TumblingEventTimeWindows.of(10)).sum('v'),
      (s: DataStream<Event>) => s.keyBy('k').window(SlidingEventTimeWindows.of(10, 5)).allowedLateness(10).count(),
    ]) {
      const env = StreamEnvironment.create({ parallelism: 1 });
      equal(build(env.fromElements<Event>({ k: 'a', v: 0 })).node?.kind, 'window-kernel');
      const create = operatorOf(build);
      await checkRescaling(create, [everyKey(1, 4, 12), wm(9)], [everyKey(3, 14, 25), wm(16), everyKey(6), wm(100)]);
    }
  });

  it('windowAll and countWindowAll (one constant key) continue at parallelism 1', async () => {
    const sum = (x: Event, y: Event) => ({ k: 'all', v: x.v + y.v });
    for (const create of [
      operatorOf((s) => s.windowAll(TumblingEventTimeWindows.of(10)).reduce(sum)),
      operatorOf((s) => s.countWindowAll(4).reduce(sum)),
    ]) {
      await checkRestore(create, [everyKey(1, 12), wm(5)], [everyKey(3, 14), wm(100)], 1, 1);
    }
  });

  it('snapshot values survive the codec: Maps, typed arrays and -0 come back', () => {
    const value = { m: new Map([[1, 'x']]), bytes: new Uint8Array([1, 2]), zero: -0 };
    const back = decodeState(encodeState(value, 'test'), 'test') as typeof value;
    deepEqual([...back.m], [[1, 'x']]);
    ok(back.bytes instanceof Uint8Array);
    ok(Object.is(back.zero, -0));
  });

  it('object generator: splits snapshotted at parallelism 2 yield exactly the remaining indices once at 3', () => {
    const count = 100;
    const readers = [0, 1].map((i) => ObjectGeneratorReader.fromSplits(generatorSplits(count, i, 2), (n) => n));
    const seen = readers.flatMap((r, i) => drain(r, 7, i === 0 ? 3 : 2));
    const restored = dealOperatorState(
      readers.map((r) => roundTrip(r.snapshotState())),
      3,
    );
    const after = restored.map((splits, i) =>
      ObjectGeneratorReader.fromSplits(generatorSplits(count, i, 3, splits), (n) => n),
    );
    const all = [...seen, ...after.flatMap((r) => drain(r, 7))];
    deepEqual(
      [...all].sort((x, y) => (x as number) - (y as number)),
      Array.from({ length: count }, (_, i) => i),
    );
  });

  it('columnar generator: several splits per reader are read in order, a batch never spans two', () => {
    const spec = {
      count: 40,
      schema: [{ name: 'i', type: 'i32' as const }],
      fill: (columns: Record<string, Int32Array | Float64Array>, _ts: Float64Array, first: number, rows: number) => {
        for (let r = 0; r < rows; r++) (columns['i'] as Int32Array)[r] = first + r;
      },
    };
    const readers = [0, 1, 2, 3].map((i) => ColumnarGeneratorReader.fromSplits(generatorSplits(40, i, 4), spec, 4));
    const seen = readers.flatMap((r) => drainColumnar(r, 1));
    const restored = dealOperatorState(
      readers.map((r) => roundTrip(r.snapshotState())),
      1,
    );
    equal(restored[0]?.length, 4);
    const rest = drainColumnar(ColumnarGeneratorReader.fromSplits(generatorSplits(40, 0, 1, restored[0]), spec, 8));
    deepEqual(
      [...seen, ...rest].sort((x, y) => x - y),
      Array.from({ length: 40 }, (_, i) => i),
    );
    equal(rest.length, 40 - 16, 'a 10-row split read 4 at a time leaves 6; batches of 8 stop at the split end');
  });

  it('fromElements and TestStream readers resume after their position', () => {
    const values = ['a', 'b', 'c', 'd', 'e'];
    const first = new IterableSourceReader(values);
    const seen = drain(first, 2, 1);
    const second = IterableSourceReader.restore(values, roundTrip(first.snapshotState()));
    deepEqual([...seen, ...drain(second, 2)], values);

    const events = [
      { kind: 'element' as const, value: 1, timestamp: 1 },
      { kind: 'watermark' as const, timestamp: 5 },
      { kind: 'element' as const, value: 2, timestamp: 6 },
    ];
    const script = new TestStreamReader(events);
    script.poll(10);
    const resumed = TestStreamReader.restore(events, roundTrip(script.snapshotState()));
    deepEqual(resumed.poll(10), { kind: 'watermark', timestamp: 5 });
  });
});

/** Encodes and decodes a snapshot list, as a checkpoint stores it. */
function roundTrip(list: unknown[]): unknown[] {
  return list.map((v) => decodeState(encodeState(v, 'split'), 'split'));
}

/** Polls `reader` (at most `polls` times) and returns the values read. */
function drain(reader: SourceReader, maxRecords: number, polls = Infinity): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < polls; i++) {
    const poll = reader.poll(maxRecords);
    if (poll.kind !== 'batch') break;
    out.push(...poll.batch.values);
  }
  return out;
}

function drainColumnar(reader: ColumnarGeneratorReader, polls = Infinity): number[] {
  const out: number[] = [];
  for (let i = 0; i < polls; i++) {
    const poll = reader.poll();
    if (poll.kind !== 'batch') break;
    const column = poll.batch.columnar?.columns[0];
    ok(column && column.type === 'i32');
    const values = Array.from(column.values);
    // Each batch is one contiguous range (within one split).
    ok(values.every((v, j) => j === 0 || v === (values[j - 1] as number) + 1));
    out.push(...values);
  }
  return out;
}
