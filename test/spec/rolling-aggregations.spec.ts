import { StreamEnvironment } from '../../src/index.ts';
import { deepEqual, equal, rejects } from './assert.ts';
import { defineSuite } from './harness.ts';

interface Sale {
  shop: string;
  item: string;
  amount: number;
}

const sales: Sale[] = [
  { shop: 'a', item: 'tea', amount: 3 },
  { shop: 'b', item: 'jam', amount: 5 },
  { shop: 'a', item: 'pie', amount: 1 },
  { shop: 'a', item: 'cake', amount: 3 },
  { shop: 'b', item: 'bun', amount: 9 },
  { shop: 'a', item: 'oat', amount: 7 },
];

async function rolling(build: (env: StreamEnvironment) => Promise<Sale[]>): Promise<{ a: Sale[]; b: Sale[] }> {
  const out = await build(StreamEnvironment.create({ parallelism: 2 }));
  return { a: out.filter((s) => s.shop === 'a'), b: out.filter((s) => s.shop === 'b') };
}

export default defineSuite('rolling aggregations', (it) => {
  it('sum emits one result per record: the first record of the key with the running sum', async () => {
    const out = await rolling((env) => env.fromCollection(sales).keyBy('shop').sum('amount').executeAndCollect());
    deepEqual(out.a, [
      { shop: 'a', item: 'tea', amount: 3 },
      { shop: 'a', item: 'tea', amount: 4 },
      { shop: 'a', item: 'tea', amount: 7 },
      { shop: 'a', item: 'tea', amount: 14 },
    ]);
    deepEqual(out.b, [
      { shop: 'b', item: 'jam', amount: 5 },
      { shop: 'b', item: 'jam', amount: 14 },
    ]);
  });

  it('min and max replace only the field, keeping the first record otherwise', async () => {
    const min = await rolling((env) => env.fromCollection(sales).keyBy('shop').min('amount').executeAndCollect());
    deepEqual(
      min.a.map((s) => `${s.item}:${s.amount}`),
      ['tea:3', 'tea:1', 'tea:1', 'tea:1'],
    );
    const max = await rolling((env) => env.fromCollection(sales).keyBy('shop').max('amount').executeAndCollect());
    deepEqual(
      max.a.map((s) => `${s.item}:${s.amount}`),
      ['tea:3', 'tea:3', 'tea:3', 'tea:7'],
    );
    deepEqual(
      max.b.map((s) => `${s.item}:${s.amount}`),
      ['jam:5', 'jam:9'],
    );
  });

  it('minBy and maxBy emit the whole extreme record; ties keep the first unless first=false', async () => {
    const minBy = await rolling((env) => env.fromCollection(sales).keyBy('shop').minBy('amount').executeAndCollect());
    deepEqual(
      minBy.a.map((s) => s.item),
      ['tea', 'pie', 'pie', 'pie'],
    );
    const maxBy = await rolling((env) => env.fromCollection(sales).keyBy('shop').maxBy('amount').executeAndCollect());
    deepEqual(
      maxBy.a.map((s) => s.item),
      ['tea', 'tea', 'tea', 'oat'],
    );
    const maxByLast = await rolling((env) =>
      env.fromCollection(sales).keyBy('shop').maxBy('amount', false).executeAndCollect(),
    );
    deepEqual(
      maxByLast.a.map((s) => s.item),
      ['tea', 'tea', 'cake', 'oat'],
    );
  });

  it('reduce folds per key and emits every intermediate aggregate', async () => {
    const env = StreamEnvironment.create();
    const out = await env
      .fromElements<[string, number]>(['x', 1], ['y', 10], ['x', 2], ['x', 3], ['y', 20])
      .keyBy((t) => t[0])
      .reduce((acc, t) => [acc[0], acc[1] + t[1]])
      .executeAndCollect();
    deepEqual(out, [
      ['x', 1],
      ['y', 10],
      ['x', 3],
      ['x', 6],
      ['y', 30],
    ]);
  });

  it('positional and nested fields work; emitted results are never mutated later', async () => {
    const env = StreamEnvironment.create();
    const tuples = await env
      .fromElements<[string, number]>(['k', 1], ['k', 2], ['k', 3])
      .keyBy(0)
      .sum(1)
      .executeAndCollect();
    deepEqual(tuples, [
      ['k', 1],
      ['k', 3],
      ['k', 6],
    ]);
    const nested = await StreamEnvironment.create()
      .fromElements({ k: 1, m: { v: 2 } }, { k: 1, m: { v: 5 } })
      .keyBy('k')
      .sum('m.v')
      .executeAndCollect();
    deepEqual(nested, [
      { k: 1, m: { v: 2 } },
      { k: 1, m: { v: 7 } },
    ]);
  });

  it('keys compare by value: composite keys, and 1 differs from "1"', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    const out = await env
      .fromElements(
        { k: [1, 'a'], n: 1 },
        { k: [1, 'a'], n: 1 },
        { k: [1, 'b'], n: 1 },
        { k: 1, n: 1 },
        { k: '1', n: 1 },
      )
      .keyBy((e) => e.k)
      .sum('n')
      .executeAndCollect();
    equal(out.length, 5);
    deepEqual(
      out.filter((e) => e.n === 2),
      [{ k: [1, 'a'], n: 2 }],
    );
  });

  it('summing a non-numeric field fails naming the aggregation', async () => {
    const env = StreamEnvironment.create();
    const stream = env.fromElements({ k: 'a', v: 1 }, { k: 'a', v: 'two' }).keyBy('k').sum('v');
    await rejects(stream.executeAndCollect(), /Keyed Aggregation.*sum\("v"\)/);
  });
});
