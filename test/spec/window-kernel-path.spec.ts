/**
 * The planner's WebAssembly route for built-in window aggregations against the JS WindowOperator, through the
 * whole engine: randomized streams (out of order, late, many keys, negative timestamps) for every built-in,
 * tumbling and sliding, with and without lateness. Results are compared per watermark segment (emission order
 * between different windows of one segment is not specified).
 */
import {
  OutputTag,
  SlidingEventTimeWindows,
  StreamEnvironment,
  TestStream,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type DataStream,
} from '../../src/index.ts';
import { deepEqual, equal, ok } from './assert.ts';
import { defineSuite } from './harness.ts';
import { probe, type ProbeEvent, seededRandom } from './support.ts';

interface Row {
  k: number | string;
  v: number;
  tag: string;
}

function randomStream(seed: number, stringKeys: boolean): TestStream<Row> {
  const random = seededRandom(seed);
  let script = TestStream.create<Row>();
  let frontier = -20_000;
  let watermark = -Infinity;
  for (let step = 0; step < 40; step++) {
    for (let i = 0; i < 60; i++) {
      frontier += Math.floor(random() * 40);
      const ts = frontier - Math.floor(random() * 1500); // out of order; some rows late
      const key = Math.floor(random() * 50);
      const v = Math.round((random() * 200 - 100) * 100) / 100;
      script = script.addElement({ k: stringKeys ? `key-${key}` : key, v, tag: `${step}.${i}` }, ts);
    }
    const next = frontier - Math.floor(random() * 600);
    if (next > watermark) script = script.advanceWatermarkTo((watermark = next));
  }
  return script;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStream = DataStream<any>;
type Built = (s: DataStream<Row>) => AnyStream;

async function segments(input: TestStream<Row>, build: Built, wasmKernels: boolean): Promise<string[][]> {
  const env = StreamEnvironment.create({ wasmKernels, parallelism: 2 });
  const { log } = probe(build(env.fromTestStream(input)).global());
  await env.execute();
  const out: string[][] = [[]];
  for (const e of log as ProbeEvent[]) {
    if ('watermark' in e) out.push([]);
    else if ('record' in e) (out[out.length - 1] as string[]).push(`${JSON.stringify(e.record)}@${e.timestamp}`);
  }
  return out.map((segment) => segment.sort());
}

const late = new OutputTag<Row>('late');
const windowings = [
  { name: 'tumbling', assigner: TumblingEventTimeWindows.of(1000), lateness: 0 },
  { name: 'tumbling with offset and lateness', assigner: TumblingEventTimeWindows.of(700, -300), lateness: 800 },
  { name: 'sliding', assigner: SlidingEventTimeWindows.of(1000, 250), lateness: 0 },
  { name: 'sliding with lateness', assigner: SlidingEventTimeWindows.of(900, 400, 100), lateness: 500 },
];
type Windowed = ReturnType<ReturnType<DataStream<Row>['keyBy']>['window']>;
const aggregations: [string, (w: Windowed) => AnyStream][] = [
  ['sum', (w) => w.sum('v')],
  ['min', (w) => w.min('v')],
  ['max', (w) => w.max('v')],
  ['count', (w) => w.count()],
  ['avg', (w) => w.avg('v')],
];

export default defineSuite('window aggregations: wasm kernel path = JS path', (it) => {
  for (const windowing of windowings) {
    it(`every built-in, ${windowing.name}, random out-of-order stream with late rows`, async () => {
      for (const [name, aggregate] of aggregations) {
        for (const stringKeys of [false, true]) {
          const input = randomStream(name.length * 31 + windowing.lateness + (stringKeys ? 7 : 0), stringKeys);
          const build: Built = (s) => {
            const windowed = aggregate(
              s.keyBy('k').window(windowing.assigner).allowedLateness(windowing.lateness).sideOutputLateData(late),
            );
            return windowed.union(windowed.getSideOutput(late) as AnyStream);
          };
          const [viaKernel, viaJs] = await Promise.all([segments(input, build, true), segments(input, build, false)]);
          ok(viaJs.flat().length > 100, 'the stream produces results');
          deepEqual(viaKernel, viaJs, `${name}, ${stringKeys ? 'string' : 'number'} keys`);
        }
      }
    });
  }

  it('the planner routes built-ins on field keys to the kernel, everything else to the JS operator', () => {
    const env = StreamEnvironment.create();
    const rows = env.fromElements<Row>({ k: 1, v: 1, tag: '' });
    const nameOf = (s: AnyStream) => s.node?.name ?? '';
    const tumbling = TumblingEventTimeWindows.of(1000);
    ok(nameOf(rows.keyBy('k').window(tumbling).sum('v')).endsWith('[wasm])'));
    ok(nameOf(rows.keyBy('k').window(SlidingEventTimeWindows.of(10, 5)).count()).endsWith('[wasm])'));
    ok(
      !nameOf(
        rows
          .keyBy((r) => r.k)
          .window(tumbling)
          .sum('v'),
      ).includes('[wasm]'),
      'closure keys: JS path',
    );
    ok(
      !nameOf(
        rows
          .keyBy('k')
          .window(tumbling)
          .reduce((a) => a),
      ).includes('[wasm]'),
      'user reduce: JS path',
    );
    ok(!nameOf(rows.keyBy('k').window(tumbling).minBy('v')).includes('[wasm]'), 'minBy: JS path');
    const noKernels = StreamEnvironment.create({ wasmKernels: false }).fromElements<Row>({ k: 1, v: 1, tag: '' });
    ok(!nameOf(noKernels.keyBy('k').window(tumbling).sum('v')).includes('[wasm]'), 'wasmKernels: false');
  });

  it('a columnar generator feeds the kernel end to end and matches the JS path', async () => {
    const run = async (wasmKernels: boolean) => {
      const env = StreamEnvironment.create({ wasmKernels, parallelism: 2 });
      return env
        .fromColumnarGenerator({
          count: 200_000,
          batchSize: 8192,
          schema: [
            { name: 'k', type: 'i32' },
            { name: 'v', type: 'f64' },
          ],
          fill({ k, v }, timestamps, first, rows) {
            for (let i = 0; i < rows; i++) {
              (k as Int32Array)[i] = (first + i) % 1000;
              (v as Float64Array)[i] = (first + i) % 17;
              timestamps[i] = first + i;
            }
          },
        })
        .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
        .keyBy('k')
        .window(TumblingEventTimeWindows.of(10_000))
        .sum('v')
        .executeAndCollect();
    };
    const [viaKernel, viaJs] = await Promise.all([run(true), run(false)]);
    equal(viaKernel.length, 20 * 1000);
    const sort = (rows: Record<string, number>[]) => rows.map((r) => JSON.stringify(r)).sort();
    deepEqual(sort(viaKernel), sort(viaJs));
  });

  it('records without timestamps fail on the kernel path as on the JS path', async () => {
    const env = StreamEnvironment.create();
    env.fromElements<Row>({ k: 1, v: 1, tag: '' }).keyBy('k').window(TumblingEventTimeWindows.of(10)).sum('v').print();
    let message = '';
    await env.execute().catch((err: Error) => (message = err.message));
    ok(/\[wasm\].*Did you forget to call 'DataStream.assignTimestampsAndWatermarks/.test(message), message);
  });
});
