/**
 * The line protocol between test/deno/run-specs.ts (inside Deno) and test/deno/specs.test.ts (in Node): each
 * result is one stdout line, `RESULT_PREFIX` followed by a JSON `SpecResult`. Other stdout lines (a spec's own
 * console output) are passed through untouched.
 */
import type { SpecResult } from '../spec/harness.ts';

export const RESULT_PREFIX = '@@rivulet-spec-result ';

export function formatResult(result: SpecResult): string {
  return RESULT_PREFIX + JSON.stringify(result);
}

/** Splits stdout into results and everything else. */
export function parseOutput(stdout: string): { results: SpecResult[]; otherLines: string[] } {
  const results: SpecResult[] = [];
  const otherLines: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)) as SpecResult);
    else if (line.trim() !== '') otherLines.push(line);
  }
  return { results, otherLines };
}
