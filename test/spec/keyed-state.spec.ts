/** Keyed state in keyed process functions (SEMANTICS.md §5.1): primitives, scoping, handles, errors. */
import {
  OperatorError,
  StreamEnvironment,
  type AggregatingState,
  type Collector,
  type KeyedContext,
  type KeyedProcessFunction,
  type KeyedRuntimeContext,
  type ValueState,
} from '../../src/index.ts';
import { deepEqual, equal, ok, rejects, sameMultiset } from './assert.ts';
import { defineSuite } from './harness.ts';

interface Event {
  readonly k: string;
  readonly v: number;
}

const ev = (k: string, v: number): Event => ({ k, v });

export default defineSuite('keyed state', (it) => {
  it('ValueState is scoped to the current key and never leaks between keys', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    const out = await env
      .fromElements(ev('a', 1), ev('b', 10), ev('a', 2), ev('c', 100), ev('b', 20), ev('a', 3))
      .keyBy((e) => e.k)
      .process<string>((e, ctx, out) => {
        const sum = ctx.getState<number>('sum');
        const next = (sum.value() ?? 0) + e.v;
        sum.update(next);
        out.collect(`${ctx.getCurrentKey()}=${next}`);
      })
      .executeAndCollect();
    sameMultiset(out, ['a=1', 'a=3', 'a=6', 'b=10', 'b=30', 'c=100']);
  });

  it('ValueState: null when unset; update(null) and clear() clear the current key only', async () => {
    const env = StreamEnvironment.create();
    const seen: unknown[] = [];
    await env
      .fromElements('a:set', 'b:set', 'a:null', 'a:get', 'b:get', 'b:clear', 'b:get', 'c:get')
      .keyBy((cmd) => cmd.split(':')[0])
      .process<never>((cmd, ctx) => {
        const state = ctx.getState<string>('v');
        const op = cmd.split(':')[1];
        if (op === 'set') state.update(`value of ${ctx.getCurrentKey()}`);
        if (op === 'null') state.update(null);
        if (op === 'clear') state.clear();
        if (op === 'get') seen.push(state.value());
      })
      .executeAndCollect();
    deepEqual(seen, [null, 'value of b', null, null]);
  });

  it('each operator has its own state under the same name', async () => {
    const env = StreamEnvironment.create();
    const counted = env
      .fromElements('x', 'x', 'x')
      .keyBy((s) => s)
      .process<number>((_s, ctx, out) => {
        const n = ctx.getState<number>('n');
        n.update((n.value() ?? 0) + 1);
        out.collect(n.value() as number);
      });
    const out = await counted
      .keyBy(() => 'x')
      .process<string>((first, ctx, out) => {
        const n = ctx.getState<number>('n');
        n.update((n.value() ?? 0) + 10);
        out.collect(`${first}/${n.value()}`);
      })
      .executeAndCollect();
    deepEqual(out, ['1/10', '2/20', '3/30']);
  });

  it('ListState: empty when unset; add, addAll, update, clear; get() returns a copy', async () => {
    const env = StreamEnvironment.create();
    const seen: unknown[] = [];
    await env
      .fromElements(1)
      .keyBy(() => 'k')
      .process<never>((_v, ctx) => {
        const list = ctx.getListState<number>('list');
        seen.push(list.get());
        list.add(1);
        list.addAll([2, 3]);
        list.addAll([]);
        const copy = list.get();
        copy.push(99);
        seen.push(list.get());
        list.update([7, 8]);
        seen.push(list.get());
        list.update([]);
        seen.push(list.get());
        list.add(5);
        list.update(null);
        seen.push(list.get());
        list.add(6);
        list.clear();
        seen.push(list.get());
      })
      .executeAndCollect();
    deepEqual(seen, [[], [1, 2, 3], [7, 8], [], [], []]);
  });

  it('ListState rejects null elements and leaves the list unchanged', async () => {
    const env = StreamEnvironment.create();
    const seen: unknown[] = [];
    await env
      .fromElements(1)
      .keyBy(() => 'k')
      .process<never>((_v, ctx) => {
        const list = ctx.getListState<number | null>('list');
        list.add(1);
        for (const bad of [() => list.add(null), () => list.addAll([2, null]), () => list.update([3, null])]) {
          try {
            bad();
            seen.push('no error');
          } catch (err) {
            seen.push((err as Error).message);
          }
        }
        seen.push(list.get());
      })
      .executeAndCollect();
    const message = 'You cannot add null to a ListState.';
    deepEqual(seen, [message, message, message, [1]]);
  });

  it('MapState: put/get/contains/remove/entries/keys/values/isEmpty/clear with key equality', async () => {
    const env = StreamEnvironment.create();
    const seen: unknown[] = [];
    await env
      .fromElements(1)
      .keyBy(() => 'k')
      .process<never>((_v, ctx) => {
        const map = ctx.getMapState<unknown, string>('map');
        seen.push(map.isEmpty(), map.get('a'), map.contains('a'), map.entries());
        map.put('a', 'A');
        map.put(0, 'zero');
        map.put(['x', 1], 'composite');
        map.putAll(new Map<unknown, string>([['b', 'B']]));
        map.putAll([[-0, 'minus zero overwrites zero']]);
        seen.push(map.get(['x', 1]), map.get(0), map.contains(['x', 1]), map.contains(['x', 2]));
        seen.push(map.entries(), map.keys(), map.values(), map.isEmpty());
        map.remove('a');
        map.remove('missing');
        seen.push(map.keys());
        map.clear();
        seen.push(map.isEmpty(), map.get('b'));
        map.put('only', 'one');
        map.remove('only');
        seen.push(map.isEmpty());
      })
      .executeAndCollect();
    deepEqual(seen, [
      true,
      null,
      false,
      [],
      'composite',
      'minus zero overwrites zero',
      true,
      false,
      [
        ['a', 'A'],
        [0, 'minus zero overwrites zero'],
        [['x', 1], 'composite'],
        ['b', 'B'],
      ],
      ['a', 0, ['x', 1], 'b'],
      ['A', 'minus zero overwrites zero', 'composite', 'B'],
      false,
      [0, ['x', 1], 'b'],
      true,
      null,
      true,
    ]);
  });

  it('MapState rejects user keys that are not keys, naming the state', async () => {
    const env = StreamEnvironment.create();
    env
      .fromElements(1)
      .keyBy(() => 'k')
      .process<never>((_v, ctx) => ctx.getMapState<object, number>('lookup').put({}, 1))
      .name('mapper');
    await rejects(env.execute(), /Operator 'mapper' failed: MapState 'lookup': Invalid key/);
  });

  it('ReducingState: first value stored as is, later ones reduced; null when empty; add(null) clears', async () => {
    const env = StreamEnvironment.create();
    const calls: string[] = [];
    const seen: unknown[] = [];
    await env
      .fromElements('a:3', 'a:4', 'b:1', 'a:get', 'a:null', 'a:get', 'a:5', 'a:get')
      .keyBy((s) => s.split(':')[0])
      .process<never>((s, ctx) => {
        const max = ctx.getReducingState<number>('max', {
          reduce(x, y) {
            calls.push(`${x},${y}`);
            return Math.max(x, y) + 100;
          },
        });
        const arg = s.split(':')[1] as string;
        if (arg === 'get') seen.push(max.get());
        else if (arg === 'null') max.add(null);
        else max.add(Number(arg));
      })
      .executeAndCollect();
    deepEqual(calls, ['3,4']);
    deepEqual(seen, [104, null, 5]);
  });

  it('AggregatingState: createAccumulator on first add, get = getResult; null when empty', async () => {
    const env = StreamEnvironment.create();
    const seen: unknown[] = [];
    const average = {
      createAccumulator: () => ({ sum: 0, count: 0 }),
      add: (v: number, acc: { sum: number; count: number }) => ({ sum: acc.sum + v, count: acc.count + 1 }),
      getResult: (acc: { sum: number; count: number }) => acc.sum / acc.count,
    };
    await env
      .fromElements(2, 4, 9)
      .keyBy(() => 'k')
      .process<never>((v, ctx) => {
        const avg: AggregatingState<number, number> = ctx.getAggregatingState('avg', average);
        if (v === 2) seen.push(avg.get());
        avg.add(v);
        seen.push(avg.get());
        if (v === 9) {
          avg.clear();
          seen.push(avg.get());
        }
      })
      .executeAndCollect();
    deepEqual(seen, [null, 2, 3, 5, null]);
  });

  it('handles fetched in open() follow the current key; the same name yields the same handle', async () => {
    const opened: string[] = [];
    class Summer implements KeyedProcessFunction<string, Event, string> {
      private count: ValueState<number> | undefined;
      open(context: KeyedRuntimeContext): void {
        this.count = context.getState<number>('count');
        try {
          this.count.value();
        } catch (err) {
          opened.push((err as Error).message);
        }
      }
      processElement(e: Event, ctx: KeyedContext<string>, out: Collector<string>): void {
        const count = this.count as ValueState<number>;
        ok(ctx.getState<number>('count') === count, 'same handle from ctx and from open');
        count.update((count.value() ?? 0) + e.v);
        out.collect(`${e.k}:${count.value()}`);
      }
    }
    const env = StreamEnvironment.create({ parallelism: 2 });
    const out = await env
      .fromElements(ev('a', 1), ev('b', 2), ev('a', 3), ev('b', 4))
      .keyBy((e) => e.k)
      .process<string>(new Summer())
      .executeAndCollect();
    sameMultiset(out, ['a:1', 'a:4', 'b:2', 'b:6']);
    equal(opened.length, 2, 'open ran once per subtask');
    ok(
      opened.every((m) => /No key set/.test(m)),
      opened.join('; '),
    );
  });

  it('using one state name as two kinds fails clearly, naming the operator', async () => {
    const env = StreamEnvironment.create();
    env
      .fromElements(1, 2)
      .keyBy((v) => v)
      .process<never>((v, ctx) => {
        if (v === 1) ctx.getState<number>('shared').update(1);
        else ctx.getListState<number>('shared').add(2);
      })
      .name('two kinds');
    const err = await rejects(
      env.execute(),
      /Operator 'two kinds' failed: State 'shared' is a ValueState; it cannot also be used as a ListState/,
    );
    ok(err instanceof OperatorError);
  });

  it('state names must be non-empty strings', async () => {
    const env = StreamEnvironment.create();
    env
      .fromElements(1)
      .keyBy((v) => v)
      .process<never>((_v, ctx) => ctx.getState(''))
      .name('unnamed');
    await rejects(env.execute(), /Operator 'unnamed' failed: keyed state needs a non-empty name/);
  });
});
