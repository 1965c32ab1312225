import { OutputTag, StreamEnvironment, TestStream, type Collector, type ProcessContext } from '../../src/index.ts';
import { deepEqual, equal, sameMultiset, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { probe } from './support.ts';

export default defineSuite('process functions and side outputs', (it) => {
  it('ctx.timestamp() is the record timestamp, or null without one; results keep it', async () => {
    const env = StreamEnvironment.create();
    const script = TestStream.create<string>().addElement('a', 5).addElement('b', -3);
    const seen: (number | null)[] = [];
    const timed = env.fromTestStream(script).process<string>((v, ctx, out) => {
      seen.push(ctx.timestamp());
      out.collect(v.toUpperCase());
    });
    const { log } = probe(timed);
    await env.execute();
    deepEqual(seen, [5, -3]);
    deepEqual(
      log.filter((e) => 'record' in e),
      [
        { record: 'A', timestamp: 5 },
        { record: 'B', timestamp: -3 },
      ],
    );

    const untimed: (number | null)[] = [];
    await StreamEnvironment.create()
      .fromElements(1)
      .process((_v, ctx) => untimed.push(ctx.timestamp()))
      .executeAndCollect();
    deepEqual(untimed, [null]);
  });

  it('side outputs carry their own records and timestamps; main output is unaffected', async () => {
    const env = StreamEnvironment.create();
    const odd = new OutputTag<string>('odd');
    const big = new OutputTag<number>('big');
    const script = TestStream.create<number>().addElement(1, 10).addElement(2, 20).addElement(3, 30).addElement(40, 40);
    const main = env.fromTestStream(script).process<number>({
      processElement(v, ctx, out) {
        if (v % 2 === 1) ctx.output(odd, `odd:${v}`);
        if (v > 10) ctx.output(big, v);
        out.collect(v * 100);
      },
    });
    const oddOut = main.getSideOutput(odd).collectAsync();
    const { log: bigLog } = probe(main.getSideOutput(big));
    const mainOut = main.collectAsync();
    await env.execute();
    const collect = async <T>(it: AsyncIterable<T>) => {
      const all: T[] = [];
      for await (const x of it) all.push(x);
      return all;
    };
    deepEqual(await collect(oddOut), ['odd:1', 'odd:3']);
    deepEqual(await collect(mainOut), [100, 200, 300, 4000]);
    deepEqual(
      bigLog.filter((e) => 'record' in e),
      [{ record: 40, timestamp: 40 }],
    );
  });

  it('side outputs nobody reads are dropped; reading one tag twice gives two streams', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    const tag = new OutputTag<number>('t');
    const main = env
      .fromElements(1, 2, 3)
      .rebalance()
      .process<number>((v, ctx, out) => {
        ctx.output(tag, v);
        ctx.output(new OutputTag<number>('unread'), v);
        out.collect(v);
      });
    const first = main.getSideOutput(tag).map((v) => `first ${v}`);
    const second = main.getSideOutput(tag).map((v) => `second ${v}`);
    const out = await first.union(second).executeAndCollect();
    sameMultiset(out, ['first 1', 'first 2', 'first 3', 'second 1', 'second 2', 'second 3']);
  });

  it('keyed process functions see the current key', async () => {
    const env = StreamEnvironment.create({ parallelism: 3 });
    const out = await env
      .fromElements({ user: 'u1', n: 1 }, { user: 'u2', n: 2 }, { user: 'u1', n: 3 })
      .keyBy((e) => e.user)
      .process<string>({
        processElement(e, ctx, out) {
          out.collect(`${ctx.getCurrentKey()}:${e.n}`);
        },
      })
      .executeAndCollect();
    sameMultiset(out, ['u1:1', 'u2:2', 'u1:3']);
  });

  it('getSideOutput applies to one operator only', () => {
    const env = StreamEnvironment.create();
    const tag = new OutputTag<number>('x');
    const union = env.fromElements(1).union(env.fromElements(2));
    throws(() => union.getSideOutput(tag), /getSideOutput: applies to the output of one operator/);
    throws(() => new OutputTag(''), /non-empty/);
  });

  it('each parallel instance gets its own copy of a function object (regression: one object was shared)', async () => {
    class Counter {
      seen = 0;
      processElement(_v: number, _ctx: ProcessContext, out: Collector<number>): void {
        out.collect(++this.seen);
      }
    }
    const counter = new Counter();
    const env = StreamEnvironment.create({ parallelism: 2 });
    const out = await env.fromElements(1, 2, 3, 4).rebalance().process<number>(counter).executeAndCollect();
    sameMultiset(out, [1, 1, 2, 2]);
    equal(counter.seen, 0, 'the object given to process() is not itself mutated');
  });

  it('open and close of a process function run once per subtask', async () => {
    const calls: string[] = [];
    const env = StreamEnvironment.create({ parallelism: 2 });
    await env
      .fromElements(1, 2, 3, 4)
      .rebalance()
      .process<number>({
        open: () => calls.push('open'),
        processElement: (v, _ctx, out) => out.collect(v),
        close: () => calls.push('close'),
      })
      .executeAndCollect();
    deepEqual(calls.sort(), ['close', 'close', 'open', 'open']);
    equal(calls.length, 4);
  });
});
