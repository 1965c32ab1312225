/// <reference types="node" />
/**
 * SEMANTICS.md §6 in the browser: a job checkpoints to IndexedDB; after a page reload it resumes from the checkpoint
 * with exactly-once results. pages/checkpoint-reload.html runs generator → slowish map → keyed reduce → FileSink
 * (IndexedDB) with checkpoints every 50 ms and `savepointPath: 'latest'`. The page is reloaded once a checkpoint
 * completed and some output is committed; the second load restores the newest checkpoint, finishes, and the committed
 * output equals the failure-free output computed here in plain JS: no line lost, none twice. Real IndexedDB.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { REPO_ROOT, sourcesServer, TIMEOUT_MS, withChromiumPage } from './browser-harness.ts';
import { expectedLines, RELOAD_JOB, type ReloadProgress } from './pages/checkpoint-reload-job.ts';

test('chromium: a checkpointed job resumes after a page reload, exactly once', { timeout: TIMEOUT_MS }, async (t) => {
  const problems: string[] = [];
  await withChromiumPage(problems, sourcesServer(REPO_ROOT), async (page, serverUrl, diagnostics) => {
    const run = `${Date.now().toString(36)}-${process.pid}`;
    const url = new URL('test/browser/pages/checkpoint-reload.html', serverUrl);
    url.searchParams.set('db', `rivulet-reload-chk-${run}`);
    url.searchParams.set('out', `rivulet-reload-out-${run}`);

    const started = Date.now();
    await page.goto(url.href);
    const first = await waitFor(page, (p) => p.checkpoints >= 1 || p.status !== 'running', 60_000, diagnostics);
    assert.equal(first.status, 'running', `the job ended before its first checkpoint${diagnostics()}`);
    assert.equal(first.restoredFrom, undefined, 'the first load starts fresh');
    let committedBefore = 0;
    while (committedBefore === 0) committedBefore = (await readOutput(page)).length;
    const before = await progressOf(page);
    assert.equal(before.status, 'running', `the job ended before the reload${diagnostics()}`);

    const reloadedAt = Date.now() - started;
    await page.reload();
    const second = await waitFor(page, (p) => p.status !== 'running', TIMEOUT_MS - 30_000, diagnostics);
    assert.equal(second.status, 'done', `${second.error ?? ''}${diagnostics()}`);
    assert.match(second.restoredFrom ?? '', /^chk-\d+$/, 'the second load restored a checkpoint');
    assert.ok(
      second.mapped < RELOAD_JOB.count,
      `the second load resumed instead of starting over (${second.mapped} of ${RELOAD_JOB.count} records mapped)`,
    );

    const output = await readOutput(page);
    const expected = expectedLines();
    assert.equal(output.length, expected.length, 'committed lines: none lost, none twice');
    const byKeyThenSum = (a: string, b: string) => a.localeCompare(b);
    assert.deepEqual(output.sort(byKeyThenSum), expected.sort(byKeyThenSum));
    t.diagnostic(
      `reloaded with ${committedBefore} lines committed; resumed from ${second.restoredFrom} and mapped ${second.mapped}; reload after ${reloadedAt} ms, done after ${Date.now() - started} ms`,
    );

    await page.goto(`${url.href}&mode=cleanup`);
    const cleaned = await waitFor(page, (p) => p.status !== 'running', 30_000, diagnostics);
    assert.equal(cleaned.status, 'done', `cleanup: ${cleaned.error ?? ''}`);
    assert.deepEqual(problems, []);
  });
});

async function progressOf(page: Page): Promise<ReloadProgress> {
  const progress = await page.evaluate(() => globalThis.__checkpointReload && { ...globalThis.__checkpointReload });
  if (progress === undefined) throw new Error('the page published no progress');
  return progress;
}

async function readOutput(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => globalThis.__checkpointReloadOutput?.() ?? Promise.resolve(''));
  return text === '' ? [] : text.split('\n');
}

async function waitFor(
  page: Page,
  condition: (p: ReloadProgress) => boolean,
  timeoutMs: number,
  diagnostics: () => string,
): Promise<ReloadProgress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(page).catch(() => undefined); // the page may be loading
    if (progress && condition(progress)) return progress;
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(progress)}${diagnostics()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
