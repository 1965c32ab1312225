import {
  CountEvictor,
  EventTimeSessionWindows,
  OutputTag,
  StreamEnvironment,
  TestStream,
  TumblingEventTimeWindows,
  type Trigger,
} from '../../src/index.ts';
import { deepEqual, rejects, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { records, runWindowed, script, type Event } from './window-support.ts';

interface Reading {
  k: string;
  v: number;
  tag: string;
}
const r = (k: string, v: number, tag: string): Reading => ({ k, v, tag });
const input = script<Reading>(
  [r('a', 5, 'first'), 1],
  [r('a', 2, 'second'), 2],
  [r('a', 9, 'third'), 3],
  [r('b', 4, 'only'), 4],
);
const tumbling = TumblingEventTimeWindows.of(1000);

export default defineSuite('window functions (SEMANTICS §4)', (it) => {
  it('sum, min and max emit the window’s first element with the field replaced', async () => {
    const sum = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).sum('v'), { parallelism: 2 });
    deepEqual(records(sum).sort(), ['{"k":"a","v":16,"tag":"first"}@999', '{"k":"b","v":4,"tag":"only"}@999']);
    const min = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).min('v'));
    deepEqual(records(min)[0], '{"k":"a","v":2,"tag":"first"}@999');
    const max = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).max('v'));
    deepEqual(records(max)[0], '{"k":"a","v":9,"tag":"first"}@999');
  });

  it('minBy and maxBy emit the whole extreme element', async () => {
    const minBy = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).minBy('v'));
    deepEqual(records(minBy)[0], '{"k":"a","v":2,"tag":"second"}@999');
    const maxBy = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).maxBy('v'));
    deepEqual(records(maxBy)[0], '{"k":"a","v":9,"tag":"third"}@999');
  });

  it('count and avg emit { key, start, end, ... } per key and window', async () => {
    const count = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).count());
    deepEqual(records(count), [
      '{"key":"a","start":0,"end":1000,"count":3}@999',
      '{"key":"b","start":0,"end":1000,"count":1}@999',
    ]);
    const avg = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).avg('v'));
    deepEqual(records(avg), [
      '{"key":"a","start":0,"end":1000,"avg":5.333333333333333}@999',
      '{"key":"b","start":0,"end":1000,"avg":4}@999',
    ]);
  });

  it('process sees key, window, watermark and all elements in arrival order', async () => {
    const out = await runWindowed(input, (s) =>
      s
        .keyBy('k')
        .window(tumbling)
        .process<string>((key, ctx, elements, out) => {
          const w = ctx.window;
          out.collect(
            `${String(key)} [${w.start},${w.end}) max ${w.maxTimestamp()} wm ${ctx.currentWatermark()}: ${[...elements].map((x) => x.tag).join(',')}`,
          );
        }),
    );
    deepEqual(records(out), [
      'a [0,1000) max 999 wm Infinity: first,second,third@999',
      'b [0,1000) max 999 wm Infinity: only@999',
    ]);
  });

  it('reduce and aggregate with a process window function: it receives exactly one pre-aggregated value', async () => {
    const reduced = await runWindowed(input, (s) =>
      s
        .keyBy('k')
        .window(tumbling)
        .reduce<string>(
          (a, b) => ({ ...a, v: a.v + b.v }),
          (key, ctx, values, out) =>
            out.collect(`${String(key)} ${[...values].length} ${[...values][0]?.v} ${ctx.window.end}`),
        ),
    );
    deepEqual(records(reduced), ['a 1 16 1000@999', 'b 1 4 1000@999']);
    const created: number[] = [];
    const aggregated = await runWindowed(input, (s) =>
      s
        .keyBy('k')
        .window(tumbling)
        .aggregate<{ n: number }, number, string>(
          {
            createAccumulator: () => {
              created.push(1);
              return { n: 0 };
            },
            add: (_x: Reading, acc: { n: number }) => ({ n: acc.n + 1 }),
            getResult: (acc) => acc.n,
          },
          (key, _ctx, results, out) => out.collect(`${String(key)}=${[...results].join()}`),
        ),
    );
    deepEqual(records(aggregated), ['a=3@999', 'b=1@999']);
    deepEqual(created.length, 2, 'one accumulator per key and window');
  });

  it('late firings call getResult again on the accumulated state', async () => {
    const out = await runWindowed(script<Event>([{ k: 'a', v: 1 }, 1], 999, [{ k: 'a', v: 2 }, 2]), (s) =>
      s
        .keyBy('k')
        .window(tumbling)
        .allowedLateness(1000)
        .aggregate({ createAccumulator: () => 0, add: (x: Event, acc: number) => acc + x.v, getResult: (acc) => acc }),
    );
    deepEqual(records(out), ['1@999', '3@999']);
  });

  it('a process window function can emit to a side output, at the window’s max timestamp', async () => {
    const small = new OutputTag<string>('small');
    const out = await runWindowed(input, (s) => {
      const main = s
        .keyBy('k')
        .window(tumbling)
        .process<string>((key, ctx, elements, out) => {
          const n = [...elements].length;
          if (n < 2) ctx.output(small, `small ${String(key)}`);
          else out.collect(`big ${String(key)}`);
        });
      return main.union(main.getSideOutput(small));
    });
    deepEqual(records(out).sort(), ['big a@999', 'small b@999']);
  });

  it('a count evictor keeps the last n elements before evaluation', async () => {
    const out = await runWindowed(input, (s) =>
      s
        .keyBy('k')
        .window(tumbling)
        .evictor(CountEvictor.of(2))
        .process<string>((_key, _ctx, elements, out) => out.collect([...elements].map((x) => x.tag).join(','))),
    );
    deepEqual(records(out), ['second,third@999', 'only@999']);
    const reduced = await runWindowed(input, (s) => s.keyBy('k').window(tumbling).evictor(CountEvictor.of(2)).sum('v'));
    deepEqual(records(reduced)[0], '{"k":"a","v":11,"tag":"second"}@999');
  });

  it('per-window state survives late firings of one window; global state spans the key’s windows', async () => {
    const out = await runWindowed(
      script<Event>([{ k: 'a', v: 1 }, 1], 999, [{ k: 'a', v: 2 }, 2], [{ k: 'a', v: 4 }, 1500], 1999),
      (s) =>
        s
          .keyBy('k')
          .window(tumbling)
          .allowedLateness(5000)
          .process<string>({
            process(key, ctx, elements, out) {
              const firings = ctx.windowState().getState<number>('firings');
              firings.update((firings.value() ?? 0) + 1);
              const windows = ctx.globalState().getState<number>('evaluations');
              windows.update((windows.value() ?? 0) + 1);
              out.collect(
                `${String(key)} [${ctx.window.start}] firing ${firings.value()} of window, ${windows.value()} of key, ${[...elements].length} elements`,
              );
            },
            clear(ctx) {
              ctx.windowState().getState<number>('firings').clear();
            },
          }),
    );
    deepEqual(records(out), [
      'a [0] firing 1 of window, 1 of key, 1 elements@999',
      'a [0] firing 2 of window, 2 of key, 2 elements@999',
      'a [1000] firing 1 of window, 3 of key, 1 elements@1999',
    ]);
  });

  it('per-window state is refused for merging (session) windows', async () => {
    const env = StreamEnvironment.create();
    env
      .fromTestStream(TestStream.create<Event>().addElement({ k: 'a', v: 1 }, 1))
      .keyBy('k')
      .window(EventTimeSessionWindows.withGap(10))
      .process((_key, ctx) => ctx.windowState())
      .print();
    await rejects(env.execute(), /Per-window state is not allowed when using merging windows/);
  });

  it('configuration errors are refused at build time', () => {
    const env = StreamEnvironment.create();
    const keyed = env.fromElements<Event>({ k: 'a', v: 1 }).keyBy('k');
    throws(() => keyed.window(tumbling).allowedLateness(-1), /allowedLateness must be >= 0/);
    throws(() => keyed.window(tumbling).sideOutputLateData('late' as never), /expects an OutputTag/);
    throws(
      () => keyed.window(EventTimeSessionWindows.withGap(5)).evictor(CountEvictor.of(2)),
      /Evictors are not supported with merging/,
    );
    const noMerge = {
      onElement: () => 'CONTINUE',
      onEventTime: () => 'CONTINUE',
      onProcessingTime: () => 'CONTINUE',
      clear() {},
    } as Trigger<Event>;
    throws(() => keyed.window(EventTimeSessionWindows.withGap(5)).trigger(noMerge), /does not support merging/);
    throws(
      () =>
        keyed
          .window(EventTimeSessionWindows.withGap(5))
          .aggregate({ createAccumulator: () => 0, add: () => 0, getResult: () => 0 }),
      /merge\(\) is required for merging/,
    );
    throws(() => keyed.window({} as never), /window expects a WindowAssigner/);
    throws(() => keyed.countWindow(0), /maxCount must be a positive integer/);
    throws(
      () => keyed.window(tumbling).process(5 as never),
      /window function must be a function or an object with process/,
    );
  });

  it('records without timestamps in an event-time window fail the job, pointing at assignTimestampsAndWatermarks', async () => {
    const env = StreamEnvironment.create();
    env.fromElements<Event>({ k: 'a', v: 1 }).keyBy('k').window(tumbling).sum('v').print();
    await rejects(
      env.execute(),
      /Window\(TumblingEventTimeWindows.*Did you forget to call 'DataStream.assignTimestampsAndWatermarks/,
    );
  });

  it('a failing window function rejects the job naming the window operator', async () => {
    const env = StreamEnvironment.create();
    env
      .fromTestStream(TestStream.create<Event>().addElement({ k: 'a', v: 1 }, 1))
      .keyBy('k')
      .window(tumbling)
      .process(() => {
        throw new Error('cannot evaluate');
      })
      .name('evaluate')
      .print();
    await rejects(env.execute(), /Operator 'evaluate' failed: cannot evaluate/);
  });
});
