/// <reference types="node" />
/**
 * What the Chromium-driven tests share: Debian's chromium launched through playwright-core with the required
 * flags (never `npx playwright install`), and a Vite dev server on loopback whose errors are collected.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { createLogger, createServer, type InlineConfig, type Logger, type ViteDevServer } from 'vite';

export const CHROMIUM = '/usr/bin/chromium';
/** How long a page may take; overridable because shared 2-core machines can be slow. */
export const TIMEOUT_MS = Number(process.env.RIVULET_SPEC_TIMEOUT_MS ?? 300_000);
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs `use` on a page of a fresh headless Chromium, served by a Vite dev server of `vite`'s config; what goes
 * wrong on the page or the server is appended to `problems` (`diagnostics` gives it as text). Both close after.
 */
export async function withChromiumPage<T>(
  problems: string[],
  vite: InlineConfig,
  use: (page: Page, url: string, diagnostics: () => string) => Promise<T>,
  pageOptions?: BrowserContextOptions,
): Promise<T> {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startVite(problems, vite);
    browser = await launchChromium();
    const page = await browser.newPage(pageOptions);
    const diagnostics = watchPage(page, problems);
    return await use(page, serverUrl(server), diagnostics);
  } finally {
    await browser?.close();
    await server?.close();
  }
}

/** Launches headless Chromium, or fails saying how to install it (a missing browser never skips a test). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (installs Debian's chromium package)`);
  }
  return chromium.launch({
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
}

/** Starts Vite on 127.0.0.1 (any free port), no HMR or watching; its errors are appended to `problems`. */
export async function startVite(problems: string[], config: InlineConfig): Promise<ViteDevServer> {
  const logger: Logger = {
    ...createLogger('silent'),
    error: (msg) => {
      // A pre-transform error repeats as an "Internal server error" once the page actually requests the module.
      if (!msg.includes('Pre-transform error')) problems.push(`vite: ${stripVTControlCharacters(msg)}`);
    },
  };
  const server = await createServer({
    ...config,
    logLevel: 'silent',
    customLogger: logger,
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null, ...config.server },
  });
  await server.listen();
  return server;
}

export function serverUrl(server: ViteDevServer): string {
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite did not report a local URL');
  return url;
}

/** A Vite config serving the repository's sources as they are (no dependency pre-bundling). */
export function sourcesServer(repoRoot: string): InlineConfig {
  return {
    configFile: false,
    root: repoRoot,
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { fs: { allow: [repoRoot] } },
  };
}

/**
 * Appends what goes wrong in `page` to `problems`: uncaught errors, console errors, HTTP errors and failed requests.
 * Returns a function giving them as text to add to an assertion message.
 */
export function watchPage(page: Page, problems: string[]): () => string {
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
  return () => (problems.length > 0 ? `\n${problems.join('\n')}` : '');
}
