/// <reference types="node" />
/**
 * Runs every runtime-agnostic suite in headless Chromium and reports each case as a subtest
 * `chromium › <suite> › <case>`. A Vite dev server serves the repository root (TypeScript sources, and
 * build/rivulet.wasm fetched via `new URL(..., import.meta.url)`); playwright-core drives Debian's chromium
 * (`npm run setup` installs it; never `npx playwright install`). Page errors, console errors, failed requests and
 * Vite errors are attached to every failure message.
 */
import { test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { REPO_ROOT, sourcesServer, TIMEOUT_MS, withChromiumPage } from './browser-harness.ts';
import { remoteError, reportRemoteResults } from '../node/remote-results.ts';
import type { PageOutcome } from './run-specs.ts';

test('chromium', { timeout: TIMEOUT_MS + 60_000 }, async (t: TestContext) => {
  const problems: string[] = [];
  await withChromiumPage(problems, sourcesServer(REPO_ROOT), async (page, serverUrl) => {
    const outcome = await runPage(page, new URL('test/browser/index.html', serverUrl).href);
    const diagnostics = problems.join('\n');
    await t.test('chromium › page ran to completion', () => {
      if (outcome.loadError !== undefined) throw remoteError('chromium', outcome.loadError, diagnostics);
      if (!outcome.done) throw remoteError('chromium', 'page did not finish', diagnostics);
    });
    await reportRemoteResults(t, 'chromium', outcome.results, diagnostics);
    await t.test('chromium › no uncaught page errors', () => {
      const pageErrors = problems.filter((p) => p.startsWith('page error:'));
      if (pageErrors.length > 0) throw remoteError('chromium', pageErrors.join('\n'));
    });
  });
});

/** Opens the spec page and waits until it is done or TIMEOUT_MS passes; returns what it published either way. */
async function runPage(page: Page, url: string): Promise<PageOutcome> {
  try {
    await page.goto(url);
    await page.waitForFunction(() => globalThis.__rivuletSpecs?.done === true, null, {
      timeout: TIMEOUT_MS,
      polling: 100,
    });
  } catch (err) {
    const published = await page.evaluate(() => globalThis.__rivuletSpecs).catch(() => undefined);
    const results = published?.results ?? [];
    const stalled = `page did not finish within ${TIMEOUT_MS} ms after ${results.length} case(s): ${String(err)}`;
    return { results, done: false, loadError: published?.loadError ?? stalled };
  }
  return (await page.evaluate(() => globalThis.__rivuletSpecs)) ?? { results: [], done: false };
}

/** A dev server over the whole repository; errors it would log are collected into `problems` instead. */
