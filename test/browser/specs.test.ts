/// <reference types="node" />
/**
 * Runs every runtime-agnostic suite in headless Chromium and reports each case as a subtest
 * `chromium › <suite> › <case>`. A Vite dev server serves the repository root (TypeScript sources, and
 * build/rivulet.wasm fetched via `new URL(..., import.meta.url)`); playwright-core drives Debian's chromium
 * (`npm run setup` installs it; never `npx playwright install`). Page errors, console errors, failed requests and
 * Vite errors are attached to every failure message.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { test, type TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger, createServer, type Logger, type ViteDevServer } from 'vite';
import { remoteError, reportRemoteResults } from '../node/remote-results.ts';
import type { PageOutcome } from './run-specs.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
/** The page must publish its results within this long; overridable because shared 2-core machines can be slow. */
const TIMEOUT_MS = Number(process.env.RIVULET_SPEC_TIMEOUT_MS ?? 180_000);

test('chromium', { timeout: TIMEOUT_MS + 60_000 }, async (t: TestContext) => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (installs Debian's chromium package)`);
  }
  const problems: string[] = [];
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startVite(problems);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await browser.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));
    page.on('console', (msg) => {
      // Chromium's "Failed to load resource" lines lack the URL; the 'response' handler reports those instead.
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
        problems.push(`console error: ${msg.text()}`);
      }
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    page.on('requestfailed', (req) => {
      if (!problems.some((p) => p.endsWith(req.url()))) problems.push(`request failed: ${req.url()}`);
    });

    const outcome = await runPage(page, new URL('test/browser/index.html', serverUrl(server)).href);
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
  } finally {
    await browser?.close();
    await server?.close();
  }
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
async function startVite(problems: string[]): Promise<ViteDevServer> {
  const logger: Logger = {
    ...createLogger('silent'),
    error: (msg) => {
      // A pre-transform error repeats as an "Internal server error" once the page actually requests the module.
      if (!msg.includes('Pre-transform error')) problems.push(`vite: ${stripVTControlCharacters(msg)}`);
    },
  };
  const server = await createServer({
    configFile: false,
    root: repoRoot,
    logLevel: 'silent',
    customLogger: logger,
    clearScreen: false,
    // Serve the sources as they are: no dependency pre-bundling, no file watching, no HMR.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      hmr: false,
      watch: null,
      fs: { allow: [repoRoot] },
    },
  });
  await server.listen();
  return server;
}

function serverUrl(server: ViteDevServer): string {
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report a local URL');
  return url;
}
