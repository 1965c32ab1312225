/**
 * readTextFile: lines of files, split per file over subtasks, replayable from a checkpoint (SEMANTICS.md §6). The
 * fixtures are read as file: URLs in Node and Deno and fetched from the dev server in Chromium.
 */
import { memoryStateBackend, RestartStrategies, StreamEnvironment } from '../../src/index.ts';
import { equal, ok, rejects, sameMultiset, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

const files = ['lines-a.txt', 'lines-b.txt', 'lines-c.txt'].map((f) => new URL(`./fixtures/${f}`, import.meta.url));
const expected = [
  ...Array.from({ length: 3000 }, (_, i) => `a${i}`),
  ...Array.from({ length: 1999 }, (_, i) => `b${i}`),
  'b1999',
  'b-last-without-newline',
];

export default defineSuite('text file source', (it) => {
  it('reads every line of every file once, without terminators (\\n, \\r\\n, none at the end)', async () => {
    for (const parallelism of [1, 2, 4]) {
      const env = StreamEnvironment.create({ parallelism });
      sameMultiset(await env.readTextFile(...files).executeAndCollect(), expected, `parallelism ${parallelism}`);
    }
  });

  it('lines of one file keep their order', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    const lines = await env.readTextFile(files[0] as URL).executeAndCollect();
    equal(lines.join(','), expected.slice(0, 3000).join(','));
  });

  it('after a failure the job resumes at the checkpointed line: exactly-once results', async () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    env.enableCheckpointing(10);
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(2, 0));
    let failed = false;
    let seen = 0;
    const spin = (ms: number): void => {
      for (const until = performance.now() + ms; performance.now() < until;);
    };
    const lines = await env
      .readTextFile(...files)
      .map((line) => {
        if (++seen % 100 === 0) spin(1); // long enough for checkpoints to complete before the failure
        if (!failed && seen === 3500) {
          failed = true;
          throw new Error('injected');
        }
        return line;
      })
      .executeAndCollect();
    ok(failed);
    sameMultiset(lines, expected);
  });

  it('a savepoint taken at parallelism 3 restores at parallelism 1: the rest of each file, once', async () => {
    const storage = memoryStateBackend();
    const env = StreamEnvironment.create({ parallelism: 3, checkpointStorage: storage });
    const first: string[] = [];
    let reach: () => void = () => {};
    const reached = new Promise<void>((resolve) => (reach = resolve));
    env
      .readTextFile(...files)
      .uid('lines')
      .sinkTo((line) => {
        first.push(line);
        if (first.length === 1000) reach();
      });
    const client = await env.executeAsync();
    await reached;
    const savepoint = await client.stopWithSavepoint();
    await client.result;
    const env2 = StreamEnvironment.create({
      parallelism: 1,
      checkpointStorage: storage,
      savepointPath: savepoint.path,
    });
    const rest = await env2
      .readTextFile(...files)
      .uid('lines')
      .executeAndCollect();
    // The plain sink saw records after the savepoint's barrier too: the restored job re-reads from the barrier on.
    const all = new Set([...first, ...rest]);
    equal(all.size, expected.length);
    ok(rest.length < expected.length, 'the restored job did not start over');
  });

  it('a missing file fails the job naming the file; no paths is a build-time error', async () => {
    const env = StreamEnvironment.create();
    env.readTextFile(new URL('./fixtures/no-such-file.txt', import.meta.url)).collectAsync();
    await rejects(env.execute(), /no-such-file\.txt/);
    throws(() => StreamEnvironment.create().readTextFile(), /at least one path/);
  });
});
