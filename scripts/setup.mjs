#!/usr/bin/env node
/**
 * Makes a fresh clone ready to build and test. Plain Node ESM with no dependencies: it runs before node_modules
 * exists. Idempotent and silent when nothing needs doing.
 *
 *   node scripts/setup.mjs               npm dependencies + Debian's chromium (for test/browser)
 *   node scripts/setup.mjs --no-browser  npm dependencies only
 *
 * Browsers come from Debian's `chromium` package, never from `npx playwright install` (DESIGN.md §4).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync, utimesSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

ensureNodeModules();
if (!process.argv.includes('--no-browser')) ensureChromium();

/** Installs npm dependencies when node_modules is missing or older than package-lock.json. */
function ensureNodeModules() {
  const lockfile = join(repoRoot, 'package-lock.json');
  const installed = join(repoRoot, 'node_modules', '.package-lock.json');
  const hasLockfile = existsSync(lockfile);
  const stale =
    !existsSync(join(repoRoot, 'node_modules')) ||
    !existsSync(installed) ||
    (hasLockfile && statSync(lockfile).mtimeMs > statSync(installed).mtimeMs);
  if (!stale) return;
  if (!hasLockfile) {
    console.log('setup: npm install');
    run('npm', ['install', '--no-audit', '--no-fund']);
  } else {
    console.log('setup: npm ci');
    if (!run('npm', ['ci', '--no-audit', '--no-fund'], { orExit: false })) {
      // `npm ci` refuses a lockfile that lacks optional platform packages the registry mirror does not serve
      // (e.g. @deno/darwin-arm64); `npm install` accepts it and leaves it unchanged when it is otherwise in sync.
      console.log('setup: npm ci failed; retrying with npm install (check `git diff package-lock.json` afterwards)');
      run('npm', ['install', '--no-audit', '--no-fund']);
    }
  }
  // npm may write package-lock.json just after its hidden lockfile; mark the install as the newer of the two.
  if (existsSync(installed)) utimesSync(installed, new Date(), new Date());
}

/** Ensures Debian's chromium is installed at /usr/bin/chromium, installing it with apt-get when missing. */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const manual = `install Debian's chromium package (sudo apt-get install -y chromium) so that ${CHROMIUM} exists, or run with --no-browser`;
  if (!which('apt-get')) fail(`${CHROMIUM} is missing and apt-get is not available: ${manual}`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot && !which('sudo')) fail(`${CHROMIUM} is missing and this is neither root nor has sudo: ${manual}`);
  const apt = (args) => (isRoot ? run('apt-get', args) : run('sudo', ['apt-get', ...args]));
  console.log('setup: apt-get install chromium');
  apt(['update']);
  apt(['install', '-y', 'chromium']);
  if (!existsSync(CHROMIUM)) fail(`apt-get installed chromium but ${CHROMIUM} still does not exist: ${manual}`);
}

/** Runs a command with inherited stdio. On failure exits this script with a message, or returns false. */
function run(command, args, { orExit = true } = {}) {
  const result = spawnSync(command, args, {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  if (result.status === 0) return true;
  if (orExit) fail(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  return false;
}

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

function fail(message) {
  console.error(`setup: ${message}`);
  process.exit(1);
}
