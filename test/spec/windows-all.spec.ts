import {
  StreamEnvironment,
  TimeWindow,
  TumblingEventTimeWindows,
  EventTimeTrigger,
  type WindowAssigner,
} from '../../src/index.ts';
import { deepEqual, equal, rejects, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { records, runWindowed, script, type Event } from './window-support.ts';

const e = (k: string, v: number): Event => ({ k, v });

export default defineSuite('non-keyed windows and custom merging assigners (SEMANTICS §1.4, §4)', (it) => {
  it('windowAll sees every element of the stream in one window operator instance', async () => {
    const out = await runWindowed(
      script<Event>([e('a', 1), 1], [e('b', 2), 2], [e('c', 4), 999], [e('a', 8), 1000]),
      (s) =>
        s
          .rebalance()
          .map((x) => x)
          .windowAll(TumblingEventTimeWindows.of(1000))
          .process<string>(
            (ctx, elements, out) =>
              out.collect(
                `[${ctx.window.start}] ${[...elements]
                  .map((x) => `${x.k}${x.v}`)
                  .sort()
                  .join(' ')}`,
              ), // order across subtasks is not defined
          ),
      { parallelism: 3 },
    );
    deepEqual(records(out).sort(), ['[0] a1 b2 c4@999', '[1000] a8@1999']);
  });

  it('the windowAll operator has parallelism 1 and refuses another', () => {
    const env = StreamEnvironment.create({ parallelism: 4 });
    const result = env.fromElements(e('a', 1)).windowAll(TumblingEventTimeWindows.of(10)).sum('v');
    equal(result.node?.nonParallel, true);
    throws(() => result.setParallelism(2), /non-parallel operator: its parallelism must be 1/);
  });

  it('countWindowAll counts across keys; sum and reduce work on all-windows', async () => {
    const input = script<Event>(...[1, 2, 3, 4, 5].map((v, i) => [e(i % 2 ? 'x' : 'y', v), v] as [Event, number]));
    const counted = await runWindowed(input, (s) => s.countWindowAll(2).sum('v'), { parallelism: 2 });
    deepEqual(records(counted), ['{"k":"y","v":3}@Infinity', '{"k":"y","v":7}@Infinity']);
    const reduced = await runWindowed(input, (s) =>
      s.windowAll(TumblingEventTimeWindows.of(1000)).reduce<string>(
        (a, b) => ({ k: 'all', v: a.v + b.v }),
        (ctx, values, out) => out.collect(`${[...values][0]?.v} in ${ctx.window.end}`),
      ),
    );
    deepEqual(records(reduced), ['15 in 1000@999']);
  });

  it('a merge that would end a window before the watermark is refused (custom merging assigner)', async () => {
    // Merges every group into [0, 1): a window that ends before the watermark, which Flink refuses.
    const shrinking: WindowAssigner<Event, TimeWindow> = {
      assignWindows: (_e, ts) => [new TimeWindow(ts, ts + 10)],
      getDefaultTrigger: () => EventTimeTrigger.create(),
      isEventTime: () => true,
      mergeWindows: (windows, merge) => {
        if (windows.length > 1) merge([...windows], new TimeWindow(0, 1));
      },
      describe: () => 'Shrinking()',
    };
    const env = StreamEnvironment.create();
    env
      .fromTestStream(script<Event>([e('a', 1), 100], 50, [e('a', 1), 105]))
      .keyBy('k')
      .window(shrinking)
      .sum('v')
      .print();
    await rejects(env.execute(), /cannot become earlier than the current watermark by merging/);
  });
});
