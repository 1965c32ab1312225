import { StreamEnvironment } from '../../src/index.ts';
import { deepEqual, equal, sameMultiset } from './assert.ts';
import { defineSuite } from './harness.ts';

export default defineSuite('basic operators', (it) => {
  it('map, filter and flatMap keep order on one subtask', async () => {
    const env = StreamEnvironment.create();
    const out = await env
      .fromElements(1, 2, 3, 4, 5)
      .map((x) => x * 10)
      .filter((x) => x !== 30)
      .flatMap<string>((x, out) => {
        out.collect(`${x}a`);
        out.collect(`${x}b`);
      })
      .executeAndCollect();
    deepEqual(out, ['10a', '10b', '20a', '20b', '40a', '40b', '50a', '50b']);
  });

  it('functions may be objects with the named method', async () => {
    const doubler = {
      factor: 2,
      map(x: number) {
        return x * this.factor;
      },
    };
    const env = StreamEnvironment.create();
    const out = await env
      .fromElements(1, 2, 3)
      .map(doubler)
      .filter({ filter: (x: number) => x > 2 })
      .flatMap({ flatMap: (x: number, out: { collect(v: number): void }) => out.collect(x + 1) })
      .executeAndCollect();
    deepEqual(out, [5, 7]);
  });

  it('fromCollection reads sync iterables, generators and async iterables', async () => {
    function* gen() {
      yield* [1, 2, 3];
    }
    async function* agen() {
      for (let i = 0; i < 5000; i++) {
        if (i % 1000 === 0) await new Promise((r) => setTimeout(r, 0));
        yield i;
      }
    }
    const env = StreamEnvironment.create();
    deepEqual(await env.fromCollection(new Set(['x', 'y'])).executeAndCollect(), ['x', 'y']);
    deepEqual(await env.fromCollection(gen()).executeAndCollect(), [1, 2, 3]);
    const many = await env.fromCollection(agen()).executeAndCollect();
    equal(many.length, 5000);
    deepEqual(many.slice(0, 3), [0, 1, 2]);
    equal(many[4999], 4999);
  });

  it('large inputs cross many batches without loss or reordering', async () => {
    const env = StreamEnvironment.create({ batchSize: 64, channelCapacity: 2 });
    const input = Array.from({ length: 20_000 }, (_, i) => i);
    const out = await env
      .fromCollection(input)
      .map((x) => x + 1)
      .rebalance()
      .map((x) => x - 1)
      .executeAndCollect();
    deepEqual(out, input);
  });

  it('union merges streams, keeping each input in order', async () => {
    const env = StreamEnvironment.create();
    const a = env.fromElements('a1', 'a2', 'a3');
    const b = env.fromElements('b1', 'b2');
    const c = env.fromElements('c1');
    const out = await a
      .union(b, c)
      .map((x) => x)
      .executeAndCollect();
    sameMultiset(out, ['a1', 'a2', 'a3', 'b1', 'b2', 'c1']);
    deepEqual(
      out.filter((x) => x.startsWith('a')),
      ['a1', 'a2', 'a3'],
    );
    deepEqual(
      out.filter((x) => x.startsWith('b')),
      ['b1', 'b2'],
    );
  });

  it('a stream unioned with itself delivers each record twice', async () => {
    const env = StreamEnvironment.create();
    const s = env.fromElements(1, 2);
    sameMultiset(await s.union(s).executeAndCollect(), [1, 1, 2, 2]);
  });

  it('per-key order is preserved through keyBy at any parallelism', async () => {
    for (const parallelism of [1, 2, 3]) {
      const env = StreamEnvironment.create({ parallelism, batchSize: 16 });
      const input = Array.from({ length: 3000 }, (_, i) => ({ key: `k${i % 7}`, seq: i }));
      const out = await env
        .fromCollection(input)
        .keyBy('key')
        .map((e) => e)
        .executeAndCollect();
      equal(out.length, input.length);
      for (let k = 0; k < 7; k++) {
        const seqs = out.filter((e) => e.key === `k${k}`).map((e) => e.seq);
        deepEqual(
          seqs,
          input.filter((e) => e.key === `k${k}`).map((e) => e.seq),
          `key k${k} at parallelism ${parallelism}`,
        );
      }
    }
  });

  it('collectAsync can be read while the job runs, and two collectors see their own streams', async () => {
    const env = StreamEnvironment.create();
    const words = env.fromElements('a', 'bb', 'ccc');
    const lengths = words.map((w) => w.length).collectAsync();
    const upper = words.map((w) => w.toUpperCase()).collectAsync();
    const running = env.execute();
    const seen: number[] = [];
    for await (const n of lengths) seen.push(n);
    await running;
    const seenUpper: string[] = [];
    for await (const w of upper) seenUpper.push(w);
    deepEqual(seen, [1, 2, 3]);
    deepEqual(seenUpper, ['A', 'BB', 'CCC']);
  });

  it('print writes one line per record to the configured stdout, prefixed by subtask when parallel', async () => {
    const lines: string[] = [];
    const env = StreamEnvironment.create({ stdout: (line) => lines.push(line) });
    env.fromElements<unknown>('x', { a: 1 }, 7).print();
    await env.execute();
    deepEqual(lines, ['x', '{"a":1}', '7']);

    const parallelLines: string[] = [];
    const env2 = StreamEnvironment.create({ parallelism: 2, stdout: (line) => parallelLines.push(line) });
    env2.fromElements(1, 2, 3, 4).rebalance().print('out');
    await env2.execute();
    equal(parallelLines.length, 4);
    for (const line of parallelLines) equal(/^out:[12]> [1-4]$/.test(line), true, line);
  });

  it('sinkTo hands every record to a writer per subtask, then flushes and closes it', async () => {
    const events: string[] = [];
    const env = StreamEnvironment.create();
    env.fromElements(1, 2).sinkTo({
      createWriter: ({ subtaskIndex }) => ({
        write: (v: number, ctx) => events.push(`write ${v} ts=${ctx.timestamp} @${subtaskIndex}`),
        flush: (endOfInput) => events.push(`flush ${endOfInput}`),
        close: () => events.push('close'),
      }),
    });
    env.fromElements('f').sinkTo((v) => events.push(`fn ${v}`));
    await env.execute();
    sameMultiset(events, ['write 1 ts=null @0', 'write 2 ts=null @0', 'flush true', 'close', 'fn f']);
    equal(events.indexOf('flush true') > events.indexOf('write 2 ts=null @0'), true);
  });
});
