/// <reference types="node" />
/**
 * Runs every runtime-agnostic suite inside Deno (the `deno` npm package) and reports each case as a subtest
 * `deno › <suite> › <case>`. Deno runs the TypeScript sources directly, resolves bare imports from node_modules
 * (`--node-modules-dir=manual`: never installs or rewrites anything), skips its own type-check (tsc already ran) and
 * may only read the repository and the environment, plus read and write the OS temp directory (scratch locations of
 * the file-system state backend, test/spec/state-backends.spec.ts).
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'node:test';
import { remoteError, reportRemoteResults } from '../node/remote-results.ts';
import { parseOutput } from './protocol.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
/** Deno is killed after this long; overridable because shared 2-core machines can be slow. */
const TIMEOUT_MS = Number(process.env.RIVULET_SPEC_TIMEOUT_MS ?? 300_000);

const DENO_ARGS = [
  'run',
  '--no-check',
  '--no-prompt',
  '--no-lock',
  '--no-remote',
  '--node-modules-dir=manual',
  `--allow-read=${repoRoot},${tmpdir()}`,
  `--allow-write=${tmpdir()}`,
  '--allow-env',
  'test/deno/run-specs.ts',
];

test('deno', { timeout: TIMEOUT_MS + 30_000 }, async (t: TestContext) => {
  const run = await runDeno();
  const { results, otherLines } = parseOutput(run.stdout);
  const diagnostics = [
    otherLines.length > 0 ? `deno stdout:\n${otherLines.join('\n')}` : '',
    run.stderr.trim() !== '' ? `deno stderr:\n${run.stderr.trim()}` : '',
  ]
    .filter((s) => s !== '')
    .join('\n');
  await t.test('deno › exited cleanly', () => {
    if (run.error) throw remoteError('deno', `could not start ${DENO}: ${run.error.message}`, diagnostics);
    if (run.timedOut) {
      throw remoteError('deno', `killed after ${TIMEOUT_MS} ms, ${results.length} case(s) done`, diagnostics);
    }
    if (run.code !== 0) throw remoteError('deno', `exited with ${run.code ?? run.signal}`, diagnostics);
  });
  await reportRemoteResults(t, 'deno', results, diagnostics);
});

interface DenoRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  error?: Error;
}

/** Runs test/deno/run-specs.ts to completion, killing Deno's whole process group on timeout. */
function runDeno(): Promise<DenoRun> {
  return new Promise((resolve) => {
    // detached: Deno gets its own process group, so the kill below also reaches a deno binary started by the
    // npm package's bin.cjs fallback wrapper.
    const child = spawn(DENO, DENO_ARGS, {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
    });
    const run: DenoRun = { stdout: '', stderr: '', code: null, signal: null, timedOut: false };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (run.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    const timer = setTimeout(() => {
      run.timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ...run, error });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ...run, code, signal });
    });
  });
}
