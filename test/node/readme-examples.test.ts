/**
 * Every ```ts block of README.md runs as written (with 'rivulet' pointing at src/index.ts), so the README cannot
 * rot: a block that throws or exits non-zero fails here.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = await readFile(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);

test('README.md has TypeScript examples', () => {
  assert.ok(blocks.length >= 2, `found ${blocks.length} ts blocks`);
});

for (const [i, block] of blocks.entries()) {
  test(`README.md example ${i + 1} runs`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rivulet-readme-'));
    try {
      const entry = pathToFileURL(join(root, 'src/index.ts')).href;
      const file = join(dir, `example-${i + 1}.mts`);
      await writeFile(file, block.replaceAll("from 'rivulet'", `from '${entry}'`));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], { cwd: root, timeout: 60_000 });
      assert.ok(stdout.length > 0, 'the example prints its result');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
