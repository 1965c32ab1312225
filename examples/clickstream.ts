/// <reference types="node" />
/**
 * `npm start`: counts a synthetic clickstream per page with a rolling keyed sum, printing progress while the job
 * runs, then checks the engine's final counts against a plain-JS count of the same (seeded, repeatable) stream.
 *
 *   CLICKS=500000 npm start     fewer events (default 2,000,000)
 */
import { StreamEnvironment } from '../src/index.ts';

interface Click {
  readonly page: string;
  readonly user: number;
  /** Event time, ms since the epoch. Carried along only: event-time windows are not implemented yet. */
  readonly ts: number;
}

const TOTAL = Number(process.env.CLICKS ?? 2_000_000);
if (!Number.isSafeInteger(TOTAL) || TOTAL < 1) {
  console.error(`CLICKS must be a positive integer, got ${process.env.CLICKS}`);
  process.exit(1);
}

const PAGES = [
  ...'/ /search /cart /checkout /account /help /blog /pricing /docs /about'.split(' '),
  ...Array.from({ length: 40 }, (_, i) => `/product/${100 + i}`),
];

/** Deterministic clicks: mulberry32 PRNG, Zipf-like page popularity, 10k users, ~1 click per ms of event time. */
function* clicks(count: number, seed = 42): Generator<Click> {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let ts = Date.UTC(2025, 0, 1);
  const chunk: Click[] = [];
  for (let produced = 0; produced < count; produced += chunk.length) {
    chunk.length = 0;
    for (let i = 0; i < Math.min(10_000, count - produced); i++) {
      ts += Math.floor(random() * 3);
      const page = PAGES[Math.floor(PAGES.length * random() ** 2.5)]!; // skewed towards the front of PAGES
      chunk.push({ page, user: Math.floor(random() * 10_000), ts });
    }
    yield* chunk;
  }
}

// The job: click → (page, 1) → keyBy page → rolling sum. The sink keeps the latest count per page.
const counts = new Map<string, number>();
let processed = 0;
const env = StreamEnvironment.create({ parallelism: 2 });
env
  .fromCollection(clicks(TOTAL))
  .name('clicks')
  .map((click) => ({ page: click.page, count: 1 }))
  .keyBy('page')
  .sum('count')
  .sinkTo((update) => {
    counts.set(update.page, update.count);
    processed++;
  });

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ranked = (n: number) => [...counts].sort((a, b) => b[1] - a[1]).slice(0, n);

console.log(`Rivulet clickstream: ${fmt(TOTAL)} clicks over ${PAGES.length} pages, keyBy('page').sum('count')`);
const started = performance.now();
const progress = setInterval(() => {
  const seconds = (performance.now() - started) / 1000;
  const top = ranked(5).map(([page, n]) => `${page} ${fmt(n)}`);
  console.log(
    `${seconds.toFixed(1).padStart(5)}s ${fmt(processed).padStart(11)} events ${fmt(processed / seconds).padStart(11)}/s  top: ${top.join(', ')}`,
  );
}, 500);
try {
  await env.execute('clickstream');
} finally {
  clearInterval(progress);
}
const elapsed = (performance.now() - started) / 1000;

console.log('\n  #  page                clicks   share');
ranked(10).forEach(([page, n], i) => {
  const share = ((100 * n) / processed).toFixed(1);
  console.log(`${String(i + 1).padStart(3)}  ${page.padEnd(14)} ${fmt(n).padStart(11)} ${share.padStart(6)}%`);
});
console.log(`\n${fmt(processed)} events in ${elapsed.toFixed(2)} s (${fmt(processed / elapsed)} events/s)`);

// Recount the same seeded stream in plain JS; the job's final rolling sums must equal it exactly.
const expected = new Map<string, number>();
for (const click of clicks(TOTAL)) expected.set(click.page, (expected.get(click.page) ?? 0) + 1);
const wrong = [...expected].filter(([page, n]) => counts.get(page) !== n);
if (processed !== TOTAL || counts.size !== expected.size || wrong.length > 0) {
  const sample = wrong.slice(0, 3).map(([page, n]) => `${page}: job ${counts.get(page)}, expected ${n}`);
  console.error(`check: FAILED — ${fmt(processed)} of ${fmt(TOTAL)} events reached the sink; ${sample.join('; ')}`);
  process.exit(1);
}
console.log(`check: ok (${counts.size} page counts equal a plain-JS count of the same clicks)`);
