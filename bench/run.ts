/// <reference types="node" />
/**
 * `npm run bench [-- name…]`: runs every bench/*.bench.ts (or those named) sequentially, each in its own Node
 * process (a fresh heap and JIT), streaming its output as it comes, then prints a summary table.
 *
 * Contract with a bench (bench/harness.ts `report` writes it): its last non-empty stdout line is exactly one JSON
 * object `{"bench": name, "eventsPerSec": n, "baselineEventsPerSec": n, "ratio": r}` — those four keys, `name` its
 * file name without `.bench.ts`, positive finite numbers, `ratio` = eventsPerSec / baselineEventsPerSec to 4
 * significant digits. A bench that breaks this, exits non-zero or outlives BENCH_TIMEOUT_MS (default 10 min)
 * fails; the runner still runs the rest and exits 1 at the end. No timing threshold ever fails a run: the figures
 * are for people (DESIGN.md §4).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRate } from './harness.ts';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const TIMEOUT_MS = Number(process.env['BENCH_TIMEOUT_MS'] ?? 600_000);
const SUFFIX = '.bench.ts';

interface Result {
  readonly bench: string;
  readonly eventsPerSec: number;
  readonly baselineEventsPerSec: number;
  readonly ratio: number;
}

type Outcome = { readonly name: string; readonly seconds: number } & (
  { readonly ok: true; readonly result: Result } | { readonly ok: false; readonly problem: string }
);

async function main(): Promise<void> {
  const all = readdirSync(benchDir)
    .filter((file) => file.endsWith(SUFFIX))
    .sort()
    .map((file) => basename(file, SUFFIX));
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length > 0) throw new Error(`no bench named ${unknown.join(', ')} (have: ${all.join(', ')})`);
  const names = wanted.length > 0 ? all.filter((name) => wanted.includes(name)) : all;
  if (names.length === 0) throw new Error(`no bench/*${SUFFIX} files`);

  const mode = process.env['BENCH_QUICK'] === '1' ? 'quick (BENCH_QUICK=1)' : 'full';
  console.log(`bench: ${names.length} bench(es), ${mode}, one process each\n`);
  const outcomes: Outcome[] = [];
  for (const name of names) outcomes.push(await runBench(name));
  printSummary(outcomes);
  if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
}

/** Runs one bench to completion, echoing its output prefixed with its name, and checks its last line. */
function runBench(name: string): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${benchDir}${name}${SUFFIX}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastLine = '';
    let pending = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) echo(name, line);
      for (const line of lines) if (line.trim() !== '') lastLine = line;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => process.stderr.write(chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    const finish = (problem: string | undefined): void => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (pending.trim() !== '') {
        echo(name, pending);
        lastLine = pending;
      }
      if (problem === undefined) {
        const parsed = parseResult(name, lastLine);
        resolve(
          typeof parsed === 'string'
            ? { name, seconds, ok: false, problem: parsed }
            : { name, seconds, ok: true, result: parsed },
        );
      } else {
        resolve({ name, seconds, ok: false, problem });
      }
      console.log('');
    };
    child.on('error', (err) => finish(`could not start: ${err.message}`));
    child.on('close', (code, signal) => {
      if (timedOut) finish(`killed after ${TIMEOUT_MS} ms`);
      else if (code !== 0) finish(`exited with ${code ?? signal}`);
      else finish(undefined);
    });
  });
}

function echo(name: string, line: string): void {
  console.log(`[${name}] ${line}`);
}

const KEYS = ['bench', 'eventsPerSec', 'baselineEventsPerSec', 'ratio'];

/** The result on `line`, or what is wrong with it. */
function parseResult(name: string, line: string): Result | string {
  const expected = `its last line must be {"bench": "${name}", "eventsPerSec": n, "baselineEventsPerSec": n, "ratio": r}`;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return `${expected}; it is ${JSON.stringify(line)}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${expected}; it is ${line}`;
  const keys = Object.keys(value);
  if (keys.length !== KEYS.length || !KEYS.every((k) => keys.includes(k))) {
    return `${expected}; it has keys ${keys.join(', ')}`;
  }
  const result = value as Result;
  if (result.bench !== name) return `${expected}; it names "${String(result.bench)}"`;
  for (const key of ['eventsPerSec', 'baselineEventsPerSec', 'ratio'] as const) {
    const n = result[key];
    if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0)
      return `${key} must be a positive finite number: ${line}`;
  }
  const actual = result.eventsPerSec / result.baselineEventsPerSec;
  if (Math.abs(result.ratio - actual) > 1e-3 * actual)
    return `ratio ${result.ratio} is not eventsPerSec / baselineEventsPerSec (${actual})`;
  return result;
}

function printSummary(outcomes: readonly Outcome[]): void {
  const rows = outcomes.map((o) => {
    const time = `${o.seconds.toFixed(1)} s`;
    if (!o.ok) return [o.name, '-', '-', '-', time, 'FAILED'];
    const { eventsPerSec, baselineEventsPerSec, ratio } = o.result;
    return [o.name, formatRate(eventsPerSec), formatRate(baselineEventsPerSec), `${ratio}×`, time, 'ok'];
  });
  const header = ['bench', 'events', 'baseline', 'ratio', 'time', 'status'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log('summary');
  console.log(line(header).trimEnd());
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row).trimEnd());
  for (const o of outcomes) if (!o.ok) console.log(`\n${o.name} FAILED: ${o.problem}`);
}

await main();
