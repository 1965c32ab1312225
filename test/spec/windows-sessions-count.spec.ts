import {
  CountTrigger,
  EventTimeSessionWindows,
  EventTimeTrigger,
  GlobalWindows,
  PurgingTrigger,
  TumblingEventTimeWindows,
  type Trigger,
} from '../../src/index.ts';
import { deepEqual, equal } from './assert.ts';
import { defineSuite } from './harness.ts';
import { records, runWindowed, script, type Event } from './window-support.ts';

const e = (k: string, v: number): Event => ({ k, v });
const values = (key: unknown, ctx: { window: unknown }, elements: Iterable<Event>) =>
  `${String(key)}:${[...elements].map((x) => x.v).join(',')} ${JSON.stringify(ctx.window)}`;

export default defineSuite('session and count windows, triggers (SEMANTICS §1.4, §1.5, §3)', (it) => {
  it('sessions exactly `gap` apart merge (touching windows intersect); further apart they do not', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 0], [e('a', 2), 10], [e('a', 4), 31]), (s) =>
      s.keyBy('k').window(EventTimeSessionWindows.withGap(10)).sum('v'),
    );
    // [0,10) + [10,20) → [0,20) result at 19; [31,41) alone → result at 40
    deepEqual(records(out), ['{"k":"a","v":3}@19', '{"k":"a","v":4}@40']);
  });

  it('a bridging element merges two sessions into one, with all their elements', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 0], [e('a', 2), 15], [e('a', 4), 8], 100), (s) =>
      s
        .keyBy('k')
        .window(EventTimeSessionWindows.withGap(10))
        .process<string>((key, ctx, elements, out) => out.collect(values(key, ctx, elements))),
    );
    deepEqual(records(out), ['a:1,2,4 {"start":0,"end":25}@24']);
  });

  it('merged-away windows lose their timers: a merged session fires once, at its own end', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 0], [e('a', 1), 5], 9, 13, 14), (s) =>
      s.keyBy('k').window(EventTimeSessionWindows.withGap(10)).sum('v'),
    );
    deepEqual(out, ['wm:9', 'wm:13', '{"k":"a","v":2}@14', 'wm:14', 'wm:Infinity']);
  });

  it('a late but accepted element can bridge a fired session and a pending one', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 0], [e('a', 2), 15], 12, [e('a', 4), 8], 30), (s) =>
      s.keyBy('k').window(EventTimeSessionWindows.withGap(10)).allowedLateness(100).sum('v'),
    );
    // [0,10) fires at wm 12 with 1; the element at 8 bridges [0,10) and [15,25) → [0,25) fires at 24 with 7
    deepEqual(records(out), ['{"k":"a","v":1}@9', '{"k":"a","v":7}@24']);
  });

  it('dynamic gaps: the session ends at max(ts + gap) and results carry that end - 1', async () => {
    const out = await runWindowed(script<Event>([e('a', 50), 0], [e('a', 5), 40]), (s) =>
      s
        .keyBy('k')
        .window(EventTimeSessionWindows.withDynamicGap<Event>((x) => x.v))
        .sum('v'),
    );
    deepEqual(records(out), ['{"k":"a","v":55}@49']);
  });

  it('session aggregates merge accumulators; process functions see merged element lists', async () => {
    const out = await runWindowed(script<Event>([e('a', 3), 0], [e('a', 4), 20], [e('a', 5), 10]), (s) =>
      s
        .keyBy('k')
        .window(EventTimeSessionWindows.withGap(10))
        .aggregate(
          {
            createAccumulator: () => [] as number[],
            add: (x: Event, acc: number[]) => [...acc, x.v],
            getResult: (acc) => acc.slice().sort().join('+'),
            merge: (a, b) => [...a, ...b],
          },
          (key, ctx, results, out) => out.collect(`${key} ${[...results].join()} ${ctx.window.maxTimestamp()}`),
        ),
    );
    deepEqual(records(out), ['a 3+4+5 29@29']);
  });

  it('countWindow(size): one result per `size` elements of a key; partial windows never fire', async () => {
    const input = script<Event>(...[1, 2, 3, 4, 5, 6, 7].map((v) => [e('a', v), v] as [Event, number]), [e('b', 9), 1]);
    const out = await runWindowed(input, (s) =>
      s
        .keyBy('k')
        .countWindow(3)
        .process<string>((key, _ctx, elements, out) =>
          out.collect(`${key}:${[...elements].map((x) => x.v).join(',')}`),
        ),
    );
    deepEqual(records(out), ['a:1,2,3@Infinity', 'a:4,5,6@Infinity']);
  });

  it('countWindow(size, slide): every `slide` elements, over the last `size` elements', async () => {
    const input = script<Event>(...[1, 2, 3, 4, 5, 6, 7].map((v) => [e('a', v), v] as [Event, number]));
    const out = await runWindowed(input, (s) =>
      s
        .keyBy('k')
        .countWindow(3, 2)
        .process<string>((_key, _ctx, elements, out) => out.collect([...elements].map((x) => x.v).join(','))),
    );
    deepEqual(records(out), ['1,2@Infinity', '2,3,4@Infinity', '4,5,6@Infinity']);
  });

  it('countWindow reduce emits the per-window sum with timestamp MAX', async () => {
    const out = await runWindowed(script<Event>(...[1, 2, 3, 4].map((v) => [e('a', v), v] as [Event, number])), (s) =>
      s.keyBy('k').countWindow(2).sum('v'),
    );
    deepEqual(records(out), ['{"k":"a","v":3}@Infinity', '{"k":"a","v":7}@Infinity']);
  });

  it('GlobalWindows never fire by default; with the end-of-stream trigger they fire once at the end', async () => {
    const input = script<Event>([e('a', 1), 1], [e('a', 2), 2], 100);
    const never = await runWindowed(input, (s) => s.keyBy('k').window(GlobalWindows.create()).sum('v'));
    deepEqual(records(never), []);
    const atEnd = await runWindowed(input, (s) =>
      s.keyBy('k').window(GlobalWindows.createWithEndOfStreamTrigger()).sum('v'),
    );
    deepEqual(records(atEnd), ['{"k":"a","v":3}@Infinity']);
  });

  it('PurgingTrigger(EventTimeTrigger): a late firing contains only the late elements', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 1], [e('a', 1), 2], 1999, [e('a', 1), 3]), (s) =>
      s
        .keyBy('k')
        .window(TumblingEventTimeWindows.of(2000))
        .allowedLateness(500)
        .trigger(PurgingTrigger.of(EventTimeTrigger.create()))
        .sum('v'),
    );
    deepEqual(records(out), ['{"k":"a","v":2}@1999', '{"k":"a","v":1}@1999']);
  });

  it('a custom trigger through the public interface, with its own per-window state', async () => {
    // Fires early on every second element, and at the end of the window.
    const everySecond: Trigger<Event> = {
      onElement(_el, _ts, window, ctx) {
        ctx.registerEventTimeTimer(window.maxTimestamp());
        const seen = ctx.getState<number>('seen');
        const n = (seen.value() ?? 0) + 1;
        seen.update(n);
        return n % 2 === 0 ? 'FIRE' : 'CONTINUE';
      },
      onEventTime: (time, window) => (time === window.maxTimestamp() ? 'FIRE_AND_PURGE' : 'CONTINUE'),
      onProcessingTime: () => 'CONTINUE',
      clear(window, ctx) {
        ctx.getState<number>('seen').clear();
        ctx.deleteEventTimeTimer(window.maxTimestamp());
      },
    };
    const out = await runWindowed(script<Event>([e('a', 1), 1], [e('a', 2), 2], [e('a', 4), 3], 999), (s) =>
      s.keyBy('k').window(TumblingEventTimeWindows.of(1000)).trigger(everySecond).sum('v'),
    );
    deepEqual(records(out), ['{"k":"a","v":3}@999', '{"k":"a","v":7}@999']);
  });

  it('CountTrigger on time windows fires every n elements without purging', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 1], [e('a', 2), 2], [e('a', 4), 3], [e('a', 8), 4]), (s) =>
      s.keyBy('k').window(TumblingEventTimeWindows.of(1000)).trigger(CountTrigger.of(2)).sum('v'),
    );
    deepEqual(records(out), ['{"k":"a","v":3}@999', '{"k":"a","v":15}@999']);
    equal(records(out).length, 2, 'the end of input does not fire a CountTrigger');
  });
});
