import { MAX_WATERMARK, StreamEnvironment, TestStream } from '../../src/index.ts';
import { deepEqual, equal, ok, rejects } from './assert.ts';
import { defineSuite } from './harness.ts';
import { endless, probe, tick } from './support.ts';

export default defineSuite('end of input and job control', (it) => {
  it('a bounded source that finishes emits the end-of-event-time watermark, then ends', async () => {
    const env = StreamEnvironment.create();
    const { log } = probe(env.fromElements('a', 'b'));
    await env.execute();
    deepEqual(log, [
      { record: 'a', timestamp: -Infinity },
      { record: 'b', timestamp: -Infinity },
      { watermark: MAX_WATERMARK },
      { end: true },
    ]);
  });

  it('scripted watermarks arrive exactly where the TestStream puts them, then MAX at the end', async () => {
    const env = StreamEnvironment.create();
    const script = TestStream.create<string>()
      .addElement('a', 1)
      .advanceWatermarkTo(5)
      .addElement('b', 3)
      .advanceWatermarkTo(10);
    const { log } = probe(env.fromTestStream(script).map((x) => x));
    await env.execute();
    deepEqual(log, [
      { record: 'a', timestamp: 1 },
      { watermark: 5 },
      { record: 'b', timestamp: 3 },
      { watermark: 10 },
      { watermark: MAX_WATERMARK },
      { end: true },
    ]);
  });

  it('the MAX watermark crosses network edges once per downstream subtask', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    const logs: ReturnType<typeof probe>['log'] = [];
    probe(
      env
        .fromElements(1, 2, 3, 4)
        .rebalance()
        .map((x) => x),
      logs,
    );
    await env.execute();
    equal(logs.filter((e) => 'watermark' in e && e.watermark === MAX_WATERMARK).length, 2);
    equal(logs.filter((e) => 'end' in e).length, 2);
  });

  it('cancel stops a running job without emitting the MAX watermark', async () => {
    const env = StreamEnvironment.create();
    const { log } = probe(env.fromCollection(endless([1, 2, 3])));
    const job = await env.executeAsync('endless');
    while (log.length < 3) await tick();
    equal(job.status, 'RUNNING');
    await job.cancel();
    equal(job.status, 'CANCELED');
    await rejects(job.result, /Job 'endless' was cancelled/);
    ok(!log.some((e) => 'watermark' in e), 'no watermark after cancel');
    ok(!log.some((e) => 'end' in e), 'no end of input after cancel');
  });

  it('JobClient reports status and result; execute resolves with the job name and runtime', async () => {
    const env = StreamEnvironment.create();
    env.fromElements(1).sinkTo(() => {});
    const job = await env.executeAsync('one');
    ok(/^[0-9a-f]{32}$/.test(job.jobId), job.jobId);
    const result = await job.result;
    equal(job.status, 'FINISHED');
    equal(await job.getJobStatus(), 'FINISHED');
    equal(result.jobName, 'one');
    ok(result.netRuntime >= 0);
    await job.cancel(); // cancelling a finished job is a no-op
    equal(job.status, 'FINISHED');
  });

  it('a collectAsync reader sees the cancellation as an error after the records before it', async () => {
    const env = StreamEnvironment.create();
    const stream = env.fromCollection(endless(['x', 'y'])).collectAsync();
    const job = await env.executeAsync('reader');
    const seen: string[] = [];
    await rejects(async () => {
      for await (const v of stream) {
        seen.push(v);
        if (seen.length === 2) void job.cancel();
      }
    }, /was cancelled/);
    deepEqual(seen, ['x', 'y']);
  });

  it('streams of an executed pipeline cannot grow; the environment starts a new pipeline', async () => {
    const env = StreamEnvironment.create();
    const s = env.fromElements(1);
    deepEqual(await s.executeAndCollect(), [1]);
    await rejects(async () => s.map((x) => x), /already executed/);
    deepEqual(await env.fromElements(2).executeAndCollect(), [2]);
  });
});
