import { OperatorError, StreamEnvironment, TestStream } from '../../src/index.ts';
import { equal, ok, rejects, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

export default defineSuite('errors', (it) => {
  it('a throwing user function rejects execute() naming the operator, with the original as cause', async () => {
    const boom = new Error('boom');
    const env = StreamEnvironment.create();
    env
      .fromElements(1, 2, 3)
      .map((x) => {
        if (x === 2) throw boom;
        return x;
      })
      .name('parse')
      .print();
    const err = await rejects(env.execute(), /Operator 'parse' failed: boom/);
    ok(err instanceof OperatorError);
    equal(err.cause, boom);
    equal((err as OperatorError).operatorName, 'parse');
  });

  it('an error in a chained operator is attributed to that operator, with its subtask when parallel', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    env
      .fromElements(1, 2, 3, 4)
      .rebalance()
      .map((x) => x)
      .name('first')
      .filter(() => {
        throw new TypeError('bad filter');
      })
      .name('second')
      .print();
    const err = await rejects(env.execute(), /Operator 'second' \(subtask [12]\/2\) failed: bad filter/);
    ok(err.cause instanceof TypeError);
  });

  it('failing sources, key selectors, sinks and open() are named too', async () => {
    async function* failing() {
      yield 1;
      throw new Error('source broke');
    }
    const env1 = StreamEnvironment.create();
    env1.fromCollection(failing()).print();
    await rejects(env1.execute(), /Operator 'Source: Collection Source' failed: source broke/);

    const env2 = StreamEnvironment.create();
    env2
      .fromElements(1)
      .keyBy(() => {
        throw new Error('no key');
      })
      .sum(0)
      .print();
    await rejects(env2.execute(), /Keyed Aggregation.*no key/);

    const env3 = StreamEnvironment.create();
    env3
      .fromElements(1)
      .sinkTo(() => {
        throw new Error('disk full');
      })
      .name('archive');
    await rejects(env3.execute(), /Operator 'archive' failed: disk full/);

    const env4 = StreamEnvironment.create();
    env4
      .fromElements(1)
      .process({
        open() {
          throw new Error('cannot open');
        },
        processElement() {},
      })
      .print();
    await rejects(env4.execute(), /Operator 'Process' failed: cannot open/);
  });

  it('the job is FAILED and collectors see the failure', async () => {
    const env = StreamEnvironment.create();
    const out = env
      .fromElements(1, 2)
      .map((x) => {
        if (x === 2) throw new Error('late failure');
        return x;
      })
      .collectAsync();
    const job = await env.executeAsync();
    await rejects(job.result, /late failure/);
    equal(job.status, 'FAILED');
    await rejects(async () => {
      for await (const _ of out) void _;
    }, /late failure/);
  });

  it('bad arguments throw at build time naming the parameter and the rule', async () => {
    throws(() => StreamEnvironment.create({ parallelism: 0 }), /parallelism.*0/);
    throws(() => StreamEnvironment.create({ parallelism: 1.5 }), /parallelism/);
    throws(() => StreamEnvironment.create({ parallelism: 200, maxParallelism: 128 }), /200.*128/);
    throws(() => StreamEnvironment.create({ maxParallelism: 40000 }), /maxParallelism.*32768/);
    throws(() => StreamEnvironment.create({ batchSize: 0 }), /batchSize must be a positive integer/);
    const env = StreamEnvironment.create({ maxParallelism: 8 });
    throws(
      () =>
        env
          .fromElements(1)
          .map((x) => x)
          .setParallelism(9),
      /parallelism of 'Map'.*9.*8/,
    );
    throws(() => env.fromElements(1).setParallelism(2), /non-parallel operator: its parallelism must be 1/);
    throws(() => env.fromElements(1).map(42 as never), /map expects a function or an object with a map\(\) method/);
    throws(() => env.fromElements(1).keyBy(''), /keyBy: field must be a non-empty name/);
    throws(() => env.fromElements(1).process({} as never), /processElement/);
    throws(() => env.fromElements(1).sinkTo({} as never), /sinkTo expects a Sink/);
    throws(() => env.fromCollection(5 as never), /fromCollection expects an iterable/);
    throws(() => TestStream.create().advanceWatermarkTo(5).advanceWatermarkTo(5), /watermarks must advance/);
    throws(() => TestStream.create().addElement('x', 1.5), /safe integer/);
    throws(() => TestStream.create().advanceProcessingTime(0), /positive integer/);
  });

  it('graph errors reject execute(): forward across a parallelism change, duplicate uids, empty jobs', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    env
      .fromElements(1)
      .forward()
      .map((x) => x)
      .print();
    await rejects(
      env.execute(),
      /Forward partitioning does not allow change of parallelism.*parallelism: 1.*parallelism: 2/,
    );

    const env2 = StreamEnvironment.create();
    env2
      .fromElements(1)
      .map((x) => x)
      .uid('same')
      .print()
      .uid('same');
    await rejects(env2.execute(), /uid 'same' is used by both/);

    await rejects(StreamEnvironment.create().execute(), /No operators defined/);
  });

  it('keys must be primitives or arrays of them', async () => {
    const env = StreamEnvironment.create();
    env
      .fromElements({ k: { nested: true } })
      .keyBy((e) => e.k)
      .sum('x')
      .print();
    await rejects(env.execute(), /keys must be string, number, bigint, boolean, null or an array of those/);
  });
});
