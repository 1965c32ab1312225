/**
 * Deno entry point (spawned by test/deno/specs.test.ts): runs every suite of test/spec/index.ts and prints one
 * protocol line per case as soon as it finishes (see protocol.ts), so a hung case shows as the first one missing.
 * Exits 0 whenever the suites ran, whatever their outcome; a non-zero exit means the run itself broke (import
 * error, unhandled rejection).
 */
import { runSuites } from '../spec/harness.ts';
import { suites } from '../spec/index.ts';
import { formatResult } from './protocol.ts';

for (const suite of suites) {
  for (const c of suite.cases) {
    for (const result of await runSuites([{ name: suite.name, cases: [c] }])) console.log(formatResult(result));
  }
}
