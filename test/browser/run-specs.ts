/**
 * Page script of test/browser/index.html: runs every suite of test/spec/index.ts, appending each case's result to
 * `globalThis.__rivuletSpecs` as soon as it finishes (so a hung case shows as the first one missing) and setting
 * `done` at the end. test/browser/specs.test.ts reads it. The suites are imported dynamically so that a module
 * failing to load is published as `loadError` instead of leaving the driver waiting.
 */
import { runSuites, type SpecResult } from '../spec/harness.ts';

export interface PageOutcome {
  readonly results: SpecResult[];
  done: boolean;
  loadError?: string;
}

declare global {
  var __rivuletSpecs: PageOutcome | undefined;
}

const outcome: PageOutcome = { results: [], done: false };
globalThis.__rivuletSpecs = outcome;
try {
  const { suites } = await import('../spec/index.ts');
  for (const suite of suites) {
    for (const c of suite.cases) outcome.results.push(...(await runSuites([{ name: suite.name, cases: [c] }])));
  }
} catch (err) {
  outcome.loadError = err instanceof Error ? (err.stack ?? err.message) : String(err);
}
outcome.done = true;
