/**
 * Runtime-agnostic spec harness. Behavioural suites are written once against this tiny API and then driven by
 * Node's test runner directly (test/node), by a Deno subprocess (test/deno) and inside headless Chromium
 * (test/browser). Nothing here may touch a platform API.
 */
export type SpecFn = () => void | Promise<void>;

export interface SpecCase {
  readonly name: string;
  readonly fn: SpecFn;
}

export interface Suite {
  readonly name: string;
  readonly cases: readonly SpecCase[];
}

/** Declares a suite: `defineSuite('rolling', (it) => { it('sums per key', () => {...}); })`. */
export function defineSuite(name: string, body: (it: (caseName: string, fn: SpecFn) => void) => void): Suite {
  const cases: SpecCase[] = [];
  body((caseName, fn) => {
    if (cases.some((c) => c.name === caseName)) throw new Error(`duplicate spec '${name} › ${caseName}'`);
    cases.push({ name: caseName, fn });
  });
  return { name, cases };
}

/** The result of one case as reported across a process or page boundary. */
export interface SpecResult {
  readonly suite: string;
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly ms: number;
}

/** Runs every case in order; never throws, reports each case's outcome. */
export async function runSuites(suites: readonly Suite[]): Promise<SpecResult[]> {
  const results: SpecResult[] = [];
  for (const suite of suites) {
    for (const c of suite.cases) {
      const started = Date.now();
      try {
        await c.fn();
        results.push({ suite: suite.name, name: c.name, ok: true, ms: Date.now() - started });
      } catch (err) {
        const error = err instanceof Error ? `${err.stack ?? err.message}${causeText(err)}` : String(err);
        results.push({ suite: suite.name, name: c.name, ok: false, error, ms: Date.now() - started });
      }
    }
  }
  return results;
}

function causeText(err: Error): string {
  return err.cause instanceof Error ? `\ncaused by: ${err.cause.stack ?? err.cause.message}` : '';
}
