import {
  EventTimeTrigger,
  OutputTag,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  type DataStream,
  type TimeWindow,
  type WindowAssigner,
} from '../../src/index.ts';
import { deepEqual, equal } from './assert.ts';
import { defineSuite } from './harness.ts';
import { records, runWindowed, script, type Event } from './window-support.ts';

const sumV = (a: Event, b: Event): Event => ({ k: a.k, v: a.v + b.v });
const e = (k: string, v: number): Event => ({ k, v });

export default defineSuite('event-time windows (SEMANTICS §3, §4)', (it) => {
  it('a window [s, e) fires when the watermark reaches e - 1, result at e - 1, before the watermark', async () => {
    const out = await runWindowed(
      script<Event>([e('a', 1), 0], [e('a', 2), 1999], [e('b', 5), 1500], 1998, 1999, [e('a', 7), 2000], 3999),
      (s) => s.keyBy('k').window(TumblingEventTimeWindows.of(2000)).reduce(sumV),
    );
    deepEqual(out, [
      'wm:1998',
      '{"k":"a","v":3}@1999',
      '{"k":"b","v":5}@1999',
      'wm:1999',
      '{"k":"a","v":7}@3999',
      'wm:3999',
      'wm:Infinity',
    ]);
  });

  it('windows with offsets and negative timestamps', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), -5], [e('a', 2), -4], [e('a', 4), 2]), (s) =>
      s.keyBy('k').window(TumblingEventTimeWindows.of(7, 3)).sum('v'),
    );
    // -5 → [-11,-4) (result at -5); -4 and 2 → [-4,3) (result at 2)
    deepEqual(records(out), ['{"k":"a","v":1}@-5', '{"k":"a","v":6}@2']);
  });

  it('the end of a bounded input fires every pending window, in timestamp order', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 5000], [e('a', 1), 100], [e('a', 1), 2500]), (s) =>
      s.keyBy('k').window(TumblingEventTimeWindows.of(1000)).sum('v'),
    );
    deepEqual(out, ['{"k":"a","v":1}@999', '{"k":"a","v":1}@2999', '{"k":"a","v":1}@5999', 'wm:Infinity']);
  });

  it('an element late for its window is dropped (lateness 0), or side-output with its timestamp', async () => {
    const late = new OutputTag<Event>('late');
    const input = script<Event>([e('a', 1), 10], 999, [e('a', 2), 500], [e('a', 4), 1000]);
    const dropped = await runWindowed(input, (s) => s.keyBy('k').window(TumblingEventTimeWindows.of(1000)).sum('v'));
    deepEqual(records(dropped), ['{"k":"a","v":1}@999', '{"k":"a","v":4}@1999']);

    const sided = await runWindowed(input, (s) => {
      const main = s.keyBy('k').window(TumblingEventTimeWindows.of(1000)).sideOutputLateData(late).sum('v');
      return main
        .getSideOutput(late)
        .map((x) => ({ late: x.v }))
        .union(main as never);
    });
    deepEqual(records(sided).sort(), ['{"k":"a","v":1}@999', '{"k":"a","v":4}@1999', '{"late":2}@500'].sort());
  });

  it('an element with ts <= watermark is accepted while its window is not late, and fires at once', async () => {
    // window [0,1000) max 999; watermark 998: element at 5 is behind the watermark but its window is not late.
    const out = await runWindowed(script<Event>([e('a', 1), 10], 998, [e('a', 2), 5], 999), (s) =>
      s.keyBy('k').window(TumblingEventTimeWindows.of(1000)).sum('v'),
    );
    deepEqual(records(out), ['{"k":"a","v":3}@999']);
  });

  it('allowed lateness: late firings carry the whole accumulated contents; cleanup at maxTs + lateness', async () => {
    const late = new OutputTag<Event>('late');
    const out = await runWindowed(
      script<Event>(
        [e('a', 1), 100],
        1000, // fires [0,1000) with 1
        [e('a', 2), 200], // late but within lateness: fires again with 1+2
        1498,
        [e('a', 4), 300], // maxTs + lateness = 1499 > 1498: still accepted, fires with 7
        1499, // cleanup
        [e('a', 8), 400], // window is gone: late for all windows → side output
      ),
      (s) => {
        const main = s
          .keyBy('k')
          .window(TumblingEventTimeWindows.of(1000))
          .allowedLateness(500)
          .sideOutputLateData(late)
          .sum('v');
        return main.union(main.getSideOutput(late).map((x) => ({ late: x.v }) as unknown as Event));
      },
    );
    const main = records(out).filter((r) => !r.includes('late'));
    deepEqual(main, ['{"k":"a","v":1}@999', '{"k":"a","v":3}@999', '{"k":"a","v":7}@999'], 'firings in order');
    deepEqual(
      records(out).filter((r) => r.includes('late')),
      ['{"late":8}@400'],
    );
  });

  it('sliding: a late element still enters its younger windows; side output only when late for all', async () => {
    const late = new OutputTag<Event>('late');
    // size 2000 slide 1000. Element at 1500 belongs to [0,2000) and [1000,3000).
    const out = await runWindowed(
      script<Event>(
        [e('a', 1), 0],
        1999, // fires [-1000,1000) and [0,2000)
        [e('a', 10), 1500], // [0,2000) is late (skipped); [1000,3000) accepts it
        [e('a', 100), 500], // [-1000,1000) and [0,2000): both late → side output
        2999,
      ),
      (s) => {
        const main = s.keyBy('k').window(SlidingEventTimeWindows.of(2000, 1000)).sideOutputLateData(late).sum('v');
        return main.union(main.getSideOutput(late).map((x) => ({ late: x.v }) as unknown as Event));
      },
    );
    deepEqual(
      records(out).filter((r) => !r.includes('late')),
      ['{"k":"a","v":1}@999', '{"k":"a","v":1}@1999', '{"k":"a","v":10}@2999'],
    );
    deepEqual(
      records(out).filter((r) => r.includes('late')),
      ['{"late":100}@500'],
    );
  });

  it('an element assigned to no window (slide > size) is discarded silently, not side-output', async () => {
    const late = new OutputTag<Event>('late');
    const out = await runWindowed(script<Event>([e('a', 1), 500], [e('a', 2), 1500]), (s) => {
      const main = s.keyBy('k').window(SlidingEventTimeWindows.of(1000, 3000)).sideOutputLateData(late).sum('v');
      return main.union(main.getSideOutput(late));
    });
    deepEqual(records(out), ['{"k":"a","v":1}@999']);
  });

  it('windows are per key and results are per key', async () => {
    const out = await runWindowed(
      script<Event>([e('x', 1), 1], [e('y', 10), 2], [e('x', 2), 3], [e('z', 5), 1001]),
      (s) => s.keyBy('k').window(TumblingEventTimeWindows.of(1000)).sum('v'),
      { parallelism: 2 },
    );
    deepEqual(records(out).sort(), ['{"k":"x","v":3}@999', '{"k":"y","v":10}@999', '{"k":"z","v":5}@1999'].sort());
  });

  it('window state is released after cleanup: the window function clear() runs at maxTs + lateness', async () => {
    const cleared: string[] = [];
    const out = await runWindowed(script<Event>([e('a', 1), 1], 999, 1099, [e('a', 1), 2000]), (s) =>
      s
        .keyBy('k')
        .window(TumblingEventTimeWindows.of(1000))
        .allowedLateness(100)
        .process<string>({
          process: (key, ctx, elements, out) => out.collect(`${key}:${[...elements].length}@${ctx.currentWatermark()}`),
          clear: (ctx) => cleared.push(`${JSON.stringify(ctx.window)} at ${ctx.currentWatermark()}`),
        }),
    );
    deepEqual(records(out), ['a:1@999@999', 'a:1@Infinity@2999']);
    deepEqual(cleared, ['{"start":0,"end":1000} at 1099', '{"start":2000,"end":3000} at Infinity']);
    equal(cleared.length, 2);
  });

  it('tumbling and sliding windows give what the same assigner gives off the fast path, on random streams', async () => {
    // The built-in assigners take the operator's fast path (window-tables.ts); wrapped, the same assigner takes
    // the general one, which calls the trigger per element. Out-of-order and late elements, lateness, cleanup.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const assigners = [
      TumblingEventTimeWindows.of(10),
      SlidingEventTimeWindows.of(10, 5),
      SlidingEventTimeWindows.of(5, 7, 2),
    ];
    for (let round = 0; round < 12; round++) {
      const builtIn = assigners[round % 3] as WindowAssigner<Event, TimeWindow>;
      const wrapped: WindowAssigner<Event, TimeWindow> = {
        assignWindows: (element, timestamp, ctx) => builtIn.assignWindows(element, timestamp, ctx),
        getDefaultTrigger: () => EventTimeTrigger.create(),
        isEventTime: () => true,
        describe: () => `Wrapped(${builtIn.describe()})`,
      };
      const lateness = [0, 3, 15][random(3)] as number;
      const steps: ([Event, number] | number)[] = [];
      for (let i = 0, watermark = -20; i < 60; i++) {
        if (random(4) === 0) steps.push((watermark += 1 + random(12)));
        else steps.push([e('abcde'[random(5)] as string, random(100)), watermark - 10 + random(30)]);
      }
      const job = (assigner: WindowAssigner<Event, TimeWindow>) => (s: DataStream<Event>) => {
        const late = new OutputTag<Event>('late');
        const windowed = s
          .keyBy((x) => x.k)
          .window(assigner)
          .allowedLateness(lateness)
          .sideOutputLateData(late);
        const main =
          round % 2 === 0
            ? windowed.reduce(sumV).map((x) => JSON.stringify(x))
            : windowed.process<string>({
                process: (key, ctx, elements, out) =>
                  out.collect(`${key} ${JSON.stringify(ctx.window)} ${[...elements].map((x) => x.v).join(',')}`),
                clear: (ctx) => ctx.output(late, e(`cleared ${JSON.stringify(ctx.window)}`, 0)),
              });
        return main.union(main.getSideOutput(late).map((x) => `late ${x.k} ${x.v}`));
      };
      const input = script<Event>(...steps);
      deepEqual(await runWindowed(input, job(builtIn)), await runWindowed(input, job(wrapped)), `round ${round}`);
    }
  });
});
