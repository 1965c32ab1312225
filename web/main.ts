/**
 * The browser demo (`npm run web`): a synthetic clickstream counted per page in tumbling event-time windows, run
 * inline on the page's main thread, the counting done by the WebAssembly window kernel. The engine yields to the
 * event loop every few milliseconds, so the progress line and the table update while the job runs and Stop stays
 * clickable. Uses only the public API (src/index.ts). State for test/browser/web-demo.test.ts is published on
 * `globalThis.__rivuletDemo` and as `data-status` on <body>.
 */
import {
  JobCancelledError,
  StreamEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type JobClient,
} from '../src/index.ts';
import { countPerWindow, fillClicks, pageName } from './clicks.ts';

export interface DemoState {
  status: 'idle' | 'running' | 'ok' | 'failed' | 'cancelled';
  /** Clicks the source has generated so far. */
  events: number;
  /** Every count the job emitted, in arrival order: [window start, page, clicks]. */
  readonly results: [number, number, number][];
  /** Distinct windows among `results`. */
  windows: number;
  /** The check line once the job has finished, or what went wrong. */
  message: string;
}

declare global {
  var __rivuletDemo: DemoState | undefined;
}

interface Params {
  readonly events: number;
  readonly pages: number;
  readonly windowMs: number;
}

const TOP = 10;

const form = byId('params', HTMLFormElement);
const inputs = byId('inputs', HTMLFieldSetElement);
const eventsInput = byId('events', HTMLInputElement);
const pagesInput = byId('pages', HTMLInputElement);
const windowInput = byId('window-s', HTMLInputElement);
const runButton = byId('run', HTMLButtonElement);
const stopButton = byId('stop', HTMLButtonElement);
const progress = byId('progress', HTMLElement);
const caption = byId('latest', HTMLElement);
const topRows = byId('top-rows', HTMLElement);
const checkLine = byId('check', HTMLElement);

let job: JobClient | undefined;
publish({ status: 'idle', events: 0, results: [], windows: 0, message: '' });

form.addEventListener('submit', (event) => {
  event.preventDefault();
  // The browser has validated the inputs against their min, max and step before firing 'submit'.
  void run({
    events: eventsInput.valueAsNumber,
    pages: pagesInput.valueAsNumber,
    windowMs: windowInput.valueAsNumber * 1000,
  });
});
stopButton.addEventListener('click', () => void job?.cancel());

async function run(params: Params): Promise<void> {
  const state: DemoState = { status: 'running', events: 0, results: [], windows: 0, message: '' };
  publish(state);
  setRunning(true);
  checkLine.textContent = '';
  const env = StreamEnvironment.create();
  const counts = env
    .fromColumnarGenerator({
      count: params.events,
      schema: [
        { name: 'page', type: 'i32' },
        { name: 'user', type: 'i32' },
      ],
      fill(columns, timestamps, first, rows) {
        fillClicks(params.pages, columns, timestamps, first, rows);
        state.events += rows;
      },
    })
    .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps())
    .keyBy<number>('page')
    .window(TumblingEventTimeWindows.of(params.windowMs))
    .count()
    .collectAsync();

  const starts = new Set<number>();
  const latest = { start: -Infinity, counts: new Map<number, number>() };
  const started = performance.now();
  const show = () => render(state, params, latest, performance.now() - started);
  const ticker = setInterval(show, 100);
  try {
    job = await env.executeAsync('clickstream windows');
    const consume = async () => {
      for await (const { key, start, count } of counts) {
        state.results.push([start, key, count]);
        starts.add(start);
        state.windows = starts.size;
        if (start > latest.start) {
          latest.start = start;
          latest.counts.clear();
        }
        if (start === latest.start) latest.counts.set(key, count);
      }
    };
    // A failing or cancelled job also ends `counts` with its error: either rejection lands in the catch below.
    await Promise.all([job.result, consume()]);
    show();
    const failure = check(state.results, params);
    state.status = failure === undefined ? 'ok' : 'failed';
    state.message = failure ?? `check: ok (${state.results.length} window counts equal a plain-JS count)`;
  } catch (err) {
    state.status = err instanceof JobCancelledError ? 'cancelled' : 'failed';
    state.message = err instanceof JobCancelledError ? 'stopped before the end' : `job failed: ${String(err)}`;
  } finally {
    clearInterval(ticker);
    job = undefined;
    show();
    checkLine.textContent = state.message;
    setRunning(false);
    publish(state);
  }
}

/** Recounts the same clicks in plain JS; returns what differs, or undefined when every count matches. */
function check(results: DemoState['results'], { events, pages, windowMs }: Params): string | undefined {
  const expected = countPerWindow(events, pages, windowMs);
  let nonZero = 0;
  for (const perPage of expected.values()) for (const n of perPage) if (n > 0) nonZero++;
  for (const [start, page, count] of results) {
    const want = expected.get(start)?.[page] ?? 0;
    if (count !== want) return `check: FAILED: ${pageName(page)} at ${time(start)}: job ${count}, expected ${want}`;
  }
  if (results.length !== nonZero) return `check: FAILED: the job emitted ${results.length} counts, expected ${nonZero}`;
  return undefined;
}

function render(state: DemoState, params: Params, latest: { start: number; counts: Map<number, number> }, ms: number) {
  const rate = state.events / (ms / 1000);
  progress.textContent =
    `${fmt(state.events)} of ${fmt(params.events)} events · ${fmt(rate)} events/s · ` +
    `${fmt(state.windows)} windows emitted · ${(ms / 1000).toFixed(2)} s`;
  if (latest.start === -Infinity) return;
  const total = [...latest.counts.values()].reduce((a, b) => a + b, 0);
  caption.textContent = `Latest window: ${time(latest.start)} – ${time(latest.start + params.windowMs)} UTC`;
  const ranked = [...latest.counts].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  topRows.replaceChildren(
    ...ranked.map(([page, count], i) => {
      const share = (100 * count) / total;
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${(100 * count) / ranked[0]![1]}%`; // relative to the top page
      return row(String(i + 1), pageName(page), fmt(count), `${share.toFixed(1)}%`, bar);
    }),
  );
}

function row(...cells: (string | Node)[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const cell of cells) tr.insertCell().append(cell);
  return tr;
}

function setRunning(running: boolean): void {
  inputs.disabled = running;
  runButton.disabled = running;
  stopButton.disabled = !running;
}

function publish(state: DemoState): void {
  globalThis.__rivuletDemo = state;
  document.body.dataset.status = state.status;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return element;
}
