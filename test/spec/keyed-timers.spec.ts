/**
 * Keyed timers in keyed process functions (SEMANTICS.md §2.1, §2.6, §3.6; Flink KeyedProcessOperator and
 * InternalTimerServiceImpl): firing condition and order, results before the watermark, timestamps of results,
 * dedup and deletion, state in onTimer, processing time, end of input, errors.
 */
import {
  MAX_WATERMARK,
  NO_TIMESTAMP,
  OperatorError,
  OutputTag,
  StreamEnvironment,
  TestStream,
  type KeyedProcessFunction,
} from '../../src/index.ts';
import { deepEqual, equal, ok, rejects } from './assert.ts';
import { defineSuite } from './harness.ts';
import { probe, type ProbeEvent } from './support.ts';

interface Cmd {
  readonly k: string;
  /** Event-time timers to register. */
  readonly at?: readonly number[];
  /** Event-time timers to delete. */
  readonly del?: readonly number[];
  /** Processing-time timers to register / delete. */
  readonly pt?: readonly number[];
  readonly delPt?: readonly number[];
}

/** Registers/deletes what each command says; onTimer reports key, timestamp, domain, watermark and a per-key count. */
const timerFunction: KeyedProcessFunction<string, Cmd, string> = {
  processElement(cmd, ctx) {
    const timers = ctx.timerService();
    ctx.getState<number>('count').update((ctx.getState<number>('count').value() ?? 0) + 1);
    for (const t of cmd.at ?? []) timers.registerEventTimeTimer(t);
    for (const t of cmd.del ?? []) timers.deleteEventTimeTimer(t);
    for (const t of cmd.pt ?? []) timers.registerProcessingTimeTimer(t);
    for (const t of cmd.delPt ?? []) timers.deleteProcessingTimeTimer(t);
  },
  onTimer(ts, ctx, out) {
    const wm = ctx.timerService().currentWatermark();
    const count = ctx.getState<number>('count').value();
    out.collect(`${ctx.getCurrentKey()}@${ts} ${ctx.timeDomain()} ts=${ctx.timestamp()} wm=${wm} count=${count}`);
  },
};

const records = (log: readonly ProbeEvent[]) => log.filter((e) => 'record' in e);

export default defineSuite('keyed timers', (it) => {
  it('event-time timers fire when the watermark reaches them, in timestamp order, before the watermark', async () => {
    const env = StreamEnvironment.create();
    const script = TestStream.create<Cmd>()
      .addElement({ k: 'a', at: [20, 10] }, 1)
      .addElement({ k: 'b', at: [15] }, 2)
      .addElement({ k: 'a' }, 3)
      .advanceWatermarkTo(9)
      .advanceWatermarkTo(15)
      .advanceWatermarkTo(30);
    const { log } = probe(
      env
        .fromTestStream(script)
        .keyBy((c) => c.k)
        .process(timerFunction),
    );
    await env.execute();
    deepEqual(log, [
      { watermark: 9 },
      { record: 'a@10 EVENT_TIME ts=10 wm=15 count=2', timestamp: 10 },
      { record: 'b@15 EVENT_TIME ts=15 wm=15 count=1', timestamp: 15 },
      { watermark: 15 },
      { record: 'a@20 EVENT_TIME ts=20 wm=30 count=2', timestamp: 20 },
      { watermark: 30 },
      { watermark: MAX_WATERMARK },
      { end: true },
    ]);
  });

  it('one timer per key and timestamp; deleted timers do not fire', async () => {
    const env = StreamEnvironment.create();
    const script = TestStream.create<Cmd>()
      .addElement({ k: 'a', at: [5, 5, 7, 8] }, 0)
      .addElement({ k: 'a', at: [5], del: [7] }, 0)
      .addElement({ k: 'b', at: [5, 8], del: [9] }, 0)
      .addElement({ k: 'b', del: [8] }, 0);
    const { log } = probe(
      env
        .fromTestStream(script)
        .keyBy((c) => c.k)
        .process(timerFunction),
    );
    await env.execute();
    deepEqual(
      records(log).map((e) => (e as { record: string }).record.split(' ')[0]),
      ['a@5', 'b@5', 'a@8'],
    );
  });

  it('the end-of-input MAX watermark fires every pending event-time timer, results before it', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    const script = TestStream.create<Cmd>()
      .addElement({ k: 'a', at: [1_000_000] }, 0)
      .addElement({ k: 'b', at: [-5, 7] }, 0)
      .addElement({ k: 'c', at: [Number.MAX_SAFE_INTEGER] }, 0);
    const out = await env
      .fromTestStream(script)
      .keyBy((c) => c.k)
      .process<string>({
        processElement: timerFunction.processElement,
        onTimer: (ts, ctx, out) =>
          out.collect(`${ctx.getCurrentKey()}@${ts} wm=${ctx.timerService().currentWatermark()}`),
      })
      .executeAndCollect();
    deepEqual(out.sort(), [
      'a@1000000 wm=Infinity',
      'b@-5 wm=Infinity',
      'b@7 wm=Infinity',
      `c@${Number.MAX_SAFE_INTEGER} wm=Infinity`,
    ]);
  });

  it('onTimer runs with the timer key current: state and new timers belong to it', async () => {
    const env = StreamEnvironment.create();
    const script = TestStream.create<string>().addElement('a', 1).addElement('b', 2).addElement('a', 3);
    const out = await env
      .fromTestStream(script)
      .keyBy((k) => k)
      .process<string>({
        processElement(k, ctx) {
          const list = ctx.getListState<number>('seen');
          list.add(ctx.timestamp() as number);
          ctx.timerService().registerEventTimeTimer(100);
        },
        onTimer(ts, ctx, out) {
          const list = ctx.getListState<number>('seen');
          out.collect(`${ctx.getCurrentKey()}@${ts}: ${list.get().join(',')}`);
          list.clear();
          // Already due: fires in the same pass, as InternalTimerServiceImpl#advanceWatermark does.
          if (ts === 100) ctx.timerService().registerEventTimeTimer(50);
        },
      })
      .executeAndCollect();
    deepEqual(out, ['a@100: 1,3', 'a@50: ', 'b@100: 2', 'b@50: '], 'a@50 is due and earlier than b@100');
  });

  it('processing-time timers fire once the clock reaches time + 1; results carry no timestamp', async () => {
    const env = StreamEnvironment.create();
    const late = new OutputTag<string>('side');
    const script = TestStream.create<Cmd>()
      .addElement({ k: 'a', pt: [100, 100] }, 5)
      .addElement({ k: 'b', pt: [50, 100], delPt: [50] }, 6)
      .advanceProcessingTime(100)
      .addElement({ k: 'marker' }, 7)
      .advanceProcessingTime(1);
    const fn: KeyedProcessFunction<string, Cmd, string> = {
      processElement: timerFunction.processElement,
      onTimer(ts, ctx, out) {
        out.collect(
          `${ctx.getCurrentKey()}@${ts} ${ctx.timeDomain()} ts=${ctx.timestamp()} now=${ctx.timerService().currentProcessingTime()}`,
        );
        ctx.output(late, `side ${ctx.getCurrentKey()}`);
      },
    };
    const main = env
      .fromTestStream(script)
      .keyBy((c) => c.k)
      .process(fn);
    const { log } = probe(main);
    const { log: sideLog } = probe(main.getSideOutput(late));
    await env.execute();
    deepEqual(log, [
      { record: 'a@100 PROCESSING_TIME ts=100 now=101', timestamp: NO_TIMESTAMP },
      { record: 'b@100 PROCESSING_TIME ts=100 now=101', timestamp: NO_TIMESTAMP },
      { watermark: MAX_WATERMARK },
      { end: true },
    ]);
    deepEqual(records(sideLog), [
      { record: 'side a', timestamp: 100 },
      { record: 'side b', timestamp: 100 },
    ]);
  });

  it('pending processing-time timers are not fired at end of input', async () => {
    const env = StreamEnvironment.create();
    const fired: number[] = [];
    const script = TestStream.create<Cmd>()
      .addElement({ k: 'a', pt: [1, 2] }, 0)
      .advanceProcessingTime(2);
    await env
      .fromTestStream(script)
      .keyBy((c) => c.k)
      .process<never>({ processElement: timerFunction.processElement, onTimer: (ts) => void fired.push(ts) })
      .executeAndCollect();
    deepEqual(fired, [1], 'the timer at 1 was due (clock 2), the one at 2 needed clock 3');
  });

  it('a failing onTimer rejects execute() naming the operator, in both time domains', async () => {
    for (const domain of ['event', 'processing'] as const) {
      const env = StreamEnvironment.create();
      const boom = new Error(`timer ${domain} broke`);
      const script = TestStream.create<Cmd>()
        .addElement(domain === 'event' ? { k: 'a', at: [3] } : { k: 'a', pt: [3] }, 0)
        .advanceProcessingTime(10);
      env
        .fromTestStream(script)
        .keyBy((c) => c.k)
        .process<never>({
          processElement: timerFunction.processElement,
          onTimer() {
            throw boom;
          },
        })
        .name('timed')
        .print();
      const err = await rejects(env.execute(), new RegExp(`Operator 'timed' failed: timer ${domain} broke`));
      ok(err instanceof OperatorError);
      equal(err.cause, boom);
    }
  });

  it('timers need a key: non-keyed process functions and open() cannot set them', async () => {
    const env = StreamEnvironment.create();
    env
      .fromElements(1)
      .process((_v, ctx) => ctx.timerService().registerEventTimeTimer(5))
      .name('not keyed');
    await rejects(env.execute(), /Operator 'not keyed' failed: Setting timers is only supported on a keyed streams\./);

    const env2 = StreamEnvironment.create();
    env2
      .fromElements(1)
      .process((_v, ctx) => ctx.timerService().deleteProcessingTimeTimer(5))
      .name('not keyed either');
    await rejects(env2.execute(), /Deleting timers is only supported on a keyed streams\./);

    const env3 = StreamEnvironment.create();
    const allowed: number[] = [];
    await env3
      .fromElements(1)
      .process((_v, ctx) =>
        allowed.push(ctx.timerService().currentWatermark(), ctx.timerService().currentProcessingTime()),
      )
      .executeAndCollect();
    equal(allowed.length, 2, 'time queries still work without a key');
  });
});
