/// <reference types="node" />
/**
 * Runs every runtime-agnostic suite (test/spec/index.ts) in this Node process: one `describe` per suite, one `it`
 * per case. The Deno and Chromium drivers compare the cases they ran against this same list.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suites } from '../spec/index.ts';

it('node › test/spec/index.ts lists at least one case', () => {
  assert.ok(
    suites.some((s) => s.cases.length > 0),
    'test/spec/index.ts has no cases: every runtime driver would pass vacuously',
  );
});

for (const suite of suites) {
  describe(`node › ${suite.name}`, () => {
    for (const c of suite.cases) it(c.name, () => c.fn());
  });
}
