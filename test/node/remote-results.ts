/// <reference types="node" />
/**
 * Turns spec results gathered in another runtime (a Deno process, a Chromium page) into node:test subtests, so a
 * remote failure reads like a local one. Used by test/deno and test/browser; runs in Node only.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { SpecResult } from '../spec/harness.ts';

/**
 * Reports one subtest `<runtime> › <suite> › <case>` per result, failing with the remote error text plus
 * `diagnostics` (e.g. stderr, console errors), then a subtest that fails unless the runtime ran exactly the cases
 * of test/spec/index.ts, in order — a runtime that silently ran fewer cases must not pass.
 */
export async function reportRemoteResults(
  t: TestContext,
  runtime: string,
  results: readonly SpecResult[],
  diagnostics: string,
): Promise<void> {
  for (const r of results) {
    await t.test(`${runtime} › ${r.suite} › ${r.name}`, () => {
      if (!r.ok) throw remoteError(runtime, r.error ?? '(no error text)', diagnostics);
    });
  }
  await t.test(`${runtime} › ran the same cases as node`, async () => {
    // Imported here, not at the top, so that a spec module failing to load in Node still leaves this driver able
    // to report what the other runtime did.
    const { suites } = await import('../spec/index.ts');
    const expected = suites.flatMap((s) => s.cases.map((c) => `${s.name} › ${c.name}`));
    const actual = results.map((r) => `${r.suite} › ${r.name}`);
    assert.deepEqual(
      actual,
      expected,
      withDiagnostics(`${runtime} ran a different list of cases than node`, diagnostics),
    );
  });
}

/** An Error whose stack is the remote one: the Node-side stack of this driver would only mislead. */
export function remoteError(runtime: string, text: string, diagnostics = ''): Error {
  const err = new Error(withDiagnostics(`[${runtime}] ${text}`, diagnostics));
  err.stack = err.message;
  return err;
}

/** Appends what else the runtime reported (stderr, console errors), indented under a heading. */
export function withDiagnostics(message: string, diagnostics: string): string {
  const lines = diagnostics.trim();
  return lines === '' ? message : `${message}\nalso reported:\n  ${lines.replaceAll('\n', '\n  ')}`;
}
