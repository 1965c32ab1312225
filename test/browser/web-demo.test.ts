/// <reference types="node" />
/**
 * The browser demo (web/, `npm run web`) in headless Chromium: a dev server like the script's (root web/, the
 * repository reachable for ../src and build/rivulet.wasm), the page driven through its inputs and buttons. Checks
 * that Stop cancels a running job (the page stays responsive), that a run shows progress while it runs, and that
 * its window counts equal a plain-JS recount done here in Node. `RIVULET_SCREENSHOT=1` saves the finished page to
 * .tmp/web-demo.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { REPO_ROOT, TIMEOUT_MS, withChromiumPage } from './browser-harness.ts';
import { countPerWindow } from '../../web/clicks.ts';
import type { DemoState } from '../../web/main.ts';

/** Big enough that the run spans many scheduler slices, so progress is visible before it ends. */
const RUN = { events: 6_000_000, pages: 30, windowS: 10 };

type Snapshot = Pick<DemoState, 'status' | 'events' | 'windows' | 'message'>;

test('web demo in chromium', { timeout: TIMEOUT_MS + 60_000 }, async (t) => {
  const problems: string[] = [];
  const vite = { root: join(REPO_ROOT, 'web') };
  const viewport = { width: 900, height: 1000 };
  await withChromiumPage(
    problems,
    vite,
    async (page, serverUrl, diagnostics) => {
      await page.goto(serverUrl);
      await page
        .waitForSelector('body[data-status="idle"]', { timeout: 30_000 })
        .catch((err: unknown) => assert.fail(`the page did not load: ${String(err)}${diagnostics()}`));

      await t.test('Stop cancels a running job', async () => {
        await setInputs(page, { events: 20_000_000, pages: 10, windowS: 60 }); // minutes of work if not stopped
        await page.click('#run');
        await page.waitForFunction(() => (globalThis.__rivuletDemo?.events ?? 0) > 0, null, { timeout: 30_000 });
        await page.click('#stop');
        const { last: stopped } = await waitUntilDone(page, 20_000_000, 30_000);
        assert.equal(stopped.status, 'cancelled', `${stopped.message}${diagnostics()}`);
        assert.ok(stopped.events < 20_000_000, `stopped after ${stopped.events} of 20,000,000 events`);
      });

      await t.test('a run shows progress and counts every window exactly', async (st) => {
        await setInputs(page, RUN);
        await page.click('#run');
        const live = await waitUntilDone(page, RUN.events, TIMEOUT_MS);
        assert.equal(live.last.status, 'ok', `${live.last.message}${diagnostics()}`);
        assert.match(await page.textContent('#check').then(String), /^check: ok/);
        assert.equal(await page.getAttribute('body', 'data-status'), 'ok');
        assert.ok(live.partialEvents, 'no event count short of the total was published while the job ran');
        assert.ok(live.partialWindows, 'no window count short of the total was published while the job ran');
        // Each poll is a round trip through the page's main thread: it stays short while the job runs.
        st.diagnostic(`slowest poll while the source ran: ${live.slowestPollMs.toFixed(0)} ms`);
        assert.ok(live.slowestPollMs < 2_000, `the page did not answer for ${live.slowestPollMs} ms during the run`);

        const results = await page.evaluate(() => globalThis.__rivuletDemo?.results ?? []);
        const expected = [...countPerWindow(RUN.events, RUN.pages, RUN.windowS * 1000)].flatMap(([start, perPage]) =>
          [...perPage].flatMap((count, page) => (count > 0 ? [[start, page, count]] : [])),
        );
        const byWindowThenPage = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]!;
        assert.deepEqual(results.sort(byWindowThenPage), expected.sort(byWindowThenPage));
        assert.equal(live.last.events, RUN.events);
        assert.equal(live.last.windows, RUN.events / (RUN.windowS * 1000));
        assert.equal(await page.locator('#top-rows tr').count(), 10);

        if (process.env.RIVULET_SCREENSHOT) {
          mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
          await page.screenshot({ path: join(REPO_ROOT, '.tmp', 'web-demo.png'), fullPage: true });
        }
      });

      await t.test('no page errors', () => assert.deepEqual(problems, []));
    },
    { viewport },
  );
});

async function setInputs(page: Page, values: typeof RUN): Promise<void> {
  await page.fill('#events', String(values.events));
  await page.fill('#pages', String(values.pages));
  await page.fill('#window-s', String(values.windowS));
}

/**
 * Polls the page's published state until the run has ended. Returns the final state, whether a running state with
 * some but not all events (and one with some but not all windows) was seen, and the slowest poll while the source
 * was still producing.
 */
async function waitUntilDone(
  page: Page,
  total: number,
  timeoutMs: number,
): Promise<{ last: Snapshot; partialEvents: boolean; partialWindows: boolean; slowestPollMs: number }> {
  const deadline = Date.now() + timeoutMs;
  const running: Snapshot[] = [];
  let slowestPollMs = 0;
  for (;;) {
    const asked = performance.now();
    const state = await page.evaluate((): Snapshot | undefined => {
      const s = globalThis.__rivuletDemo;
      return s && { status: s.status, events: s.events, windows: s.windows, message: s.message };
    });
    if (state === undefined) throw new Error('the page published no state');
    if (state.status !== 'running') {
      const partialEvents = running.some((s) => s.events > 0 && s.events < total);
      const partialWindows = running.some((s) => s.windows > 0 && s.windows < state.windows);
      return { last: state, partialEvents, partialWindows, slowestPollMs };
    }
    running.push(state);
    if (state.events < total) slowestPollMs = Math.max(slowestPollMs, performance.now() - asked);
    if (Date.now() > deadline) throw new Error(`the run did not end within ${timeoutMs} ms: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `npm run web`'s server (`vite web`), on a free port, its errors collected into `problems`. */
