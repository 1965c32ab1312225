/**
 * WatermarkStrategy and assignTimestampsAndWatermarks (SEMANTICS.md §2.2–2.4, §2.6, §9.3, §9.8). Under a TestStream
 * the clock is manual and starts at 0; with the default 200 ms interval the first periodic emit happens once the
 * clock reaches 201 (a timer for t fires at t + 1), and each later one 201 ms after the previous firing.
 */
import {
  AscendingTimestampsWatermarks,
  BoundedOutOfOrdernessWatermarks,
  ManualClock,
  NO_TIMESTAMP,
  OperatorError,
  StreamEnvironment,
  WatermarkStrategy,
  WatermarksWithIdleness,
  type WatermarkGenerator,
  type WatermarkGeneratorContext,
} from '../../src/index.ts';
import { deepEqual, equal, ok, rejects, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { probe } from './support.ts';
import { idlenessCases } from './watermark-idleness-cases.ts';
import { ClockedProbe, probes, recordingOutput, render, runClocked, script } from './watermark-support.ts';

interface Ev {
  readonly id: string;
  readonly t: number;
}

const monotonous = () => WatermarkStrategy.forMonotonousTimestamps<string>();
const context = (clock = new ManualClock(0)): WatermarkGeneratorContext => ({
  operatorName: 'test',
  subtaskIndex: 0,
  parallelism: 1,
  maxParallelism: 128,
  inputActivityClock: clock,
});
/** Renders a probe log without the clock prefix. */
const plain = (log: string[]) => log.map((line) => line.slice(line.indexOf(' ') + 1));

export default defineSuite('watermark strategies', (it) => {
  // ---- generators on their own ----------------------------------------------------------------------------------

  it('BoundedOutOfOrderness(2000): MIN before any event, then maxTs - 2000 - 1, never regressing (§2.2)', () => {
    const generator = new BoundedOutOfOrdernessWatermarks<string>(2000);
    const out = recordingOutput();
    generator.onPeriodicEmit(out);
    for (const ts of [1000, 4000, 3000]) {
      generator.onEvent('e', ts, out);
      generator.onPeriodicEmit(out);
    }
    deepEqual(out.calls, ['wm:-Infinity', 'wm:-1001', 'wm:1999', 'wm:1999']);
  });

  it('monotonous timestamps trail the largest timestamp by 1 ms: after 5 → 4, after 10 → 9', () => {
    const generator = new AscendingTimestampsWatermarks<string>();
    const out = recordingOutput();
    generator.onEvent('e', 5, out);
    generator.onPeriodicEmit(out);
    generator.onEvent('e', 10, out);
    generator.onPeriodicEmit(out);
    deepEqual(out.calls, ['wm:4', 'wm:9']);
  });

  it('WatermarksWithIdleness: countdown from the first quiet probe, idle once at elapsed > timeout (FLINK-40503)', () => {
    const clock = new ManualClock(1000);
    const inner: WatermarkGenerator<string> = { onEvent() {}, onPeriodicEmit: (o) => o.emitWatermark(7) };
    const generator = new WatermarksWithIdleness(inner, 10, clock);
    const out = recordingOutput();
    const probeAt = (t: number) => {
      clock.advance(t - (clock.now() - 1000));
      generator.onPeriodicEmit(out);
      out.calls.push(`@${t}`);
    };
    clock.advance(4);
    generator.onEvent('e', 1, out); // t=4
    for (const t of [5, 10, 15, 20, 25, 30]) probeAt(t);
    generator.onEvent('e', 2, out); // active again: the inner generator is probed again
    probeAt(35);
    // 5: activity; 10: countdown starts; 15: 5 ms; 20: exactly 10 ms, not idle; 25: idle (21 ms after the event).
    deepEqual(out.calls, [
      'wm:7',
      '@5',
      'wm:7',
      '@10',
      'wm:7',
      '@15',
      'wm:7',
      '@20',
      'idle',
      '@25',
      '@30',
      'wm:7',
      '@35',
    ]);
  });

  // ---- the strategy API -------------------------------------------------------------------------------------------

  it('arguments are validated when the strategy is built, naming the rule', () => {
    throws(() => WatermarkStrategy.forBoundedOutOfOrderness(-1), /maxOutOfOrderness cannot be negative, got -1/);
    throws(() => WatermarkStrategy.forBoundedOutOfOrderness(1.5), /maxOutOfOrderness must be an integer number/);
    throws(() => WatermarkStrategy.forBoundedOutOfOrderness(NaN), /maxOutOfOrderness must be an integer number/);
    throws(() => monotonous().withIdleness(0), /withIdleness: idleTimeout must be greater than zero, got 0/);
    throws(() => monotonous().withIdleness(-5), /idleTimeout must be greater than zero, got -5/);
    throws(() => monotonous().withIdleness(Infinity), /idleTimeout must be an integer number of milliseconds/);
    throws(() => monotonous().withTimestampAssigner(42 as never), /withTimestampAssigner expects a function/);
    throws(() => monotonous().withTimestampAssigner({} as never), /extractTimestamp\(\)/);
    throws(() => WatermarkStrategy.forGenerator(null as never), /forGenerator expects a function.*createWatermarkGen/);
    const env = StreamEnvironment.create();
    throws(() => env.fromElements(1).assignTimestampsAndWatermarks({} as never), /expects a WatermarkStrategy/);
    throws(() => StreamEnvironment.create({ autoWatermarkInterval: -1 }), /autoWatermarkInterval must be a non-neg/);
    throws(() => StreamEnvironment.create({ autoWatermarkInterval: 0.5 }), /autoWatermarkInterval/);
    equal(env.getAutoWatermarkInterval(), 200, "default = Flink's pipeline.auto-watermark-interval");
    equal(StreamEnvironment.create({ autoWatermarkInterval: 0 }).getAutoWatermarkInterval(), 0);
  });

  it('strategies are immutable: every with… returns a new strategy and leaves the original as it was', () => {
    const base = WatermarkStrategy.forMonotonousTimestamps<Ev>();
    const stamped = base.withTimestampAssigner((e) => e.t);
    const idle = stamped.withIdleness(100);
    ok(base !== stamped && stamped !== idle);
    equal(base.createTimestampAssigner(), undefined);
    equal(stamped.createTimestampAssigner()?.({ id: 'x', t: 5 }, NO_TIMESTAMP), 5);
    equal(idle.createTimestampAssigner()?.({ id: 'x', t: 6 }, NO_TIMESTAMP), 6, 'withIdleness keeps the assigner');
    ok(base.createWatermarkGenerator(context()) instanceof BoundedOutOfOrdernessWatermarks);
    ok(stamped.createWatermarkGenerator(context()) instanceof BoundedOutOfOrdernessWatermarks);
    ok(idle.createWatermarkGenerator(context()) instanceof WatermarksWithIdleness);
    equal(base.description, 'forMonotonousTimestamps()');
    equal(idle.description, 'forMonotonousTimestamps().withTimestampAssigner().withIdleness(100)');
  });

  // ---- periodic emission --------------------------------------------------------------------------------------------

  it('the §2.2 worked numbers end to end: periodic emits give MIN (nothing), -1001, 1999, then no regress', async () => {
    const strategy = WatermarkStrategy.forBoundedOutOfOrderness<string>(2000);
    const input = script<string>(
      ...probes(1),
      ['a', 1000],
      ...probes(1),
      ['b', 4000],
      ...probes(1),
      ['c', 3000],
      ...probes(1),
    );
    const log = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(strategy));
    deepEqual(log, ['201 a@1000', '402 wm:-1001', '402 b@4000', '603 wm:1999', '603 c@3000', '804 wm:MAX', '804 end']);
  });

  it('watermarks go out only when the periodic timer fires: at now + interval + 1, re-armed from the firing time', async () => {
    const input = script<string>(
      ['a', 1000],
      { clock: 200 }, // t=200: the timer for 200 is not due yet
      ['b', 1500],
      { clock: 1 }, // t=201: fires, re-armed for 401
      ['c', 5000],
      { clock: 1000 }, // t=1201: fires once, re-armed for 1401 (not for 601, 801, …)
      ['d', 6000],
      { clock: 200 }, // t=1401: not due
      ['e', 7000],
      { clock: 1 }, // t=1402: fires
    );
    const log = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(monotonous()));
    deepEqual(log, [
      '0 a@1000',
      '200 b@1500',
      '201 wm:1499',
      '201 c@5000',
      '1201 wm:4999',
      '1201 d@6000',
      '1401 e@7000',
      '1402 wm:6999',
      '1402 wm:MAX',
      '1402 end',
    ]);
  });

  it('autoWatermarkInterval sets the period; 0 disables periodic emits but the end-of-input probe still runs', async () => {
    const input = script<string>(['a', 1000], { clock: 50 }, ['b', 1100], { clock: 1 }, ['c', 1200], { clock: 5000 });
    const at50 = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(monotonous()), {
      autoWatermarkInterval: 50,
    });
    deepEqual(plain(at50), ['a@1000', 'b@1100', 'wm:1099', 'c@1200', 'wm:1199', 'wm:MAX', 'end']);

    let periodicCalls = 0;
    const counting = WatermarkStrategy.forGenerator<string>(() => ({
      onEvent() {},
      onPeriodicEmit(output) {
        periodicCalls++;
        output.emitWatermark(42);
      },
    }));
    const off = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(counting), {
      autoWatermarkInterval: 0,
    });
    deepEqual(plain(off), ['a@1000', 'b@1100', 'c@1200', 'wm:MAX', 'end'], 'no watermark, and none after MAX');
    equal(periodicCalls, 1, 'onPeriodicEmit runs once, at end of input (Flink finish())');
  });

  it('only watermarks larger than the last one emitted go out', async () => {
    const sequence = [10, 5, 10, 12, -Infinity, 11, 13];
    const strategy = WatermarkStrategy.forGenerator<string>(() => ({
      onEvent() {},
      onPeriodicEmit: (output) => output.emitWatermark(sequence.shift() ?? 0),
    }));
    const log = await runClocked(script<string>(...probes(7)), (s) => s.assignTimestampsAndWatermarks(strategy));
    deepEqual(log, ['201 wm:10', '804 wm:12', '1407 wm:13', '1407 wm:MAX', '1407 end']);
  });

  // ---- punctuated generators ------------------------------------------------------------------------------------

  it('a punctuated generator emits from onEvent: its watermark follows the record and precedes the next one', async () => {
    const punctuated = WatermarkStrategy.forGenerator<string>({
      createWatermarkGenerator: () => ({
        onEvent: (event, timestamp, output) => (event.startsWith('!') ? output.emitWatermark(timestamp) : undefined),
        onPeriodicEmit() {},
      }),
    });
    const input = script<string>(['a', 1], ['!x', 5], ['b', 3], ['!y', 10], ['c', 4], ['!z', 7]);
    const env = StreamEnvironment.create({ autoWatermarkInterval: 0 });
    const { log } = probe(env.fromTestStream(input).assignTimestampsAndWatermarks(punctuated));
    await env.execute();
    deepEqual(log.map(render), ['a@1', '!x@5', 'wm:5', 'b@3', '!y@10', 'wm:10', 'c@4', '!z@7', 'wm:MAX', 'end']);
  });

  // ---- upstream watermarks, end of input ----------------------------------------------------------------------------

  it('watermarks from upstream are dropped; only the end-of-event-time MAX is forwarded', async () => {
    const input = script<string>(['a', 1000], { wm: 5000 }, { clock: 201 }, ['b', 2000], { wm: 9000 });
    const own = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(monotonous()));
    deepEqual(plain(own), ['a@1000', 'wm:999', 'b@2000', 'wm:MAX', 'end']);
    const none = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks()));
    deepEqual(plain(none), ['a@1000', 'b@2000', 'wm:MAX', 'end']);
  });

  it('idleness from upstream is dropped too: a second assigner decides its own status', async () => {
    const first: string[] = [];
    const input = script<string>(['a', 1000], ...probes(3));
    const second = await runClocked(input, (s) =>
      s
        .assignTimestampsAndWatermarks(monotonous().withIdleness(100))
        .transform('probe', 'Probe', () => new ClockedProbe(first))
        .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks()),
    );
    deepEqual(first, ['0 a@1000', '201 wm:999', '603 idle', '603 active', '603 wm:MAX', '603 end']);
    deepEqual(second, ['0 a@1000', '603 wm:MAX', '603 end']);
  });

  it('behind a network edge the upstream MAX arrives before end of input, so nothing follows it', async () => {
    let periodicCalls = 0;
    const late = WatermarkStrategy.forGenerator<string>(() => ({
      onEvent() {},
      onPeriodicEmit: (output) => (periodicCalls++, output.emitWatermark(42)),
    }));
    const log = await runClocked(script<string>(['a', 1]), (s) => s.rebalance().assignTimestampsAndWatermarks(late));
    deepEqual(plain(log), ['a@1', 'wm:MAX', 'end']);
    equal(periodicCalls, 1);
  });

  idlenessCases(it);

  // ---- timestamps and errors --------------------------------------------------------------------------------------

  it('the assigner sets each timestamp from the element and the record timestamp (NO_TIMESTAMP if none)', async () => {
    const seen: number[] = [];
    const env = StreamEnvironment.create();
    const events: Ev[] = [
      { id: 'x', t: 30 },
      { id: 'y', t: 10 },
    ];
    const fromElements = probe(
      env.fromElements(...events).assignTimestampsAndWatermarks(
        WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e, recordTs) => {
          seen.push(recordTs);
          return e.t;
        }),
      ),
    );
    const withObject = probe(
      env.fromTestStream(script<string>(['a', 1000])).assignTimestampsAndWatermarks(
        monotonous().withTimestampAssigner({
          offset: 5,
          extractTimestamp(_e: string, recordTs: number) {
            return recordTs + this.offset;
          },
        } as { offset: number; extractTimestamp(e: string, recordTs: number): number }),
      ),
    );
    await env.execute();
    deepEqual(seen, [NO_TIMESTAMP, NO_TIMESTAMP]);
    const stamps = fromElements.log.map((e) => ('record' in e ? `${(e.record as Ev).id}@${e.timestamp}` : render(e)));
    deepEqual(stamps, ['x@30', 'y@10', 'wm:MAX', 'end']);
    deepEqual(withObject.log.map(render), ['a@1005', 'wm:MAX', 'end']);
  });

  it('a record without a timestamp and no assigner fails, naming the operator and asking for an assigner', async () => {
    const env = StreamEnvironment.create();
    env.fromElements(1, 2).assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps()).print();
    const err = await rejects(
      env.execute(),
      /^Operator 'Timestamps\/Watermarks' failed: a record has no timestamp .*\.withTimestampAssigner\(/,
    );
    ok(err instanceof OperatorError);
  });

  it('assigner failures name the operator: a throwing assigner (as cause) and a non-integer timestamp', async () => {
    const boom = new Error('boom');
    const env = StreamEnvironment.create();
    env
      .fromElements(1)
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.noWatermarks<number>().withTimestampAssigner(() => {
          throw boom;
        }),
      )
      .name('Stamp')
      .print();
    const err = await rejects(env.execute(), /^Operator 'Stamp' failed: boom$/);
    equal(err.cause, boom);

    const env2 = StreamEnvironment.create();
    env2
      .fromElements('x')
      .assignTimestampsAndWatermarks(monotonous().withTimestampAssigner(() => 1.5))
      .print();
    await rejects(
      env2.execute(),
      /^Operator 'Timestamps\/Watermarks' failed: the timestamp assigner returned 1\.5; a timestamp must be an integer/,
    );
  });

  it('generator failures name the operator: a bad supplier, a bad watermark, a throwing periodic emit', async () => {
    const run = async (strategy: WatermarkStrategy<string>, pattern: RegExp) => {
      const env = StreamEnvironment.create();
      env
        .fromTestStream(script<string>(['a', 1], { clock: 201 }))
        .assignTimestampsAndWatermarks(strategy)
        .print();
      await rejects(env.execute(), pattern);
    };
    await run(
      WatermarkStrategy.forGenerator(() => ({}) as never),
      /^Operator 'Timestamps\/Watermarks' failed: .*must return a generator with onEvent\(\) and onPeriodicEmit\(\)/,
    );
    await run(
      WatermarkStrategy.forGenerator(() => ({ onEvent: (_e, _t, o) => o.emitWatermark(NaN), onPeriodicEmit() {} })),
      /^Operator 'Timestamps\/Watermarks' failed: .*a watermark must be an integer number of milliseconds, got NaN/,
    );
    await run(
      WatermarkStrategy.forGenerator(() => ({
        onEvent() {},
        onPeriodicEmit() {
          throw new Error('periodic boom');
        },
      })),
      /^Operator 'Timestamps\/Watermarks' failed: periodic boom$/,
    );
  });
});
