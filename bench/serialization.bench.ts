/// <reference types="node" />
/**
 * Moving a batch of rows across a worker boundary, minus the transfer itself: encode to one ArrayBuffer and
 * decode it again. Candidate: the columnar layout from typed arrays (encodeColumnar + decodeColumnar, the
 * columnar path of DESIGN.md §5). Baseline: msgpackr record encoding of the same rows as objects
 * (encodeRecordBatch + decodeRecordBatch). Rows are `{ user, amount, qty }` with event timestamps.
 *
 * Also printed, for reference only: the columnar path from and back to objects (rowsToColumnar … columnarToRows),
 * and JSON (stringify + parse of the same rows and timestamps) against msgpackr.
 */
import type { ColumnarSchema } from '../src/batch/columnar-batch.ts';
import { decodeColumnar, encodeColumnar } from '../src/batch/columnar-layout.ts';
import { columnarToRows, rowsToColumnar } from '../src/batch/columnar-rows.ts';
import { RecordBatch } from '../src/batch/record-batch.ts';
import { decodeRecordBatch, encodeRecordBatch } from '../src/batch/record-encoding.ts';
import { DEFAULT_OPTIONS, formatRate, measureInterleaved, perSecond, QUICK, report } from './harness.ts';

const ROWS = QUICK ? 16_384 : 65_536;

const SCHEMA: ColumnarSchema = [
  { name: 'user', type: 'string' },
  { name: 'amount', type: 'f64' },
  { name: 'qty', type: 'i32' },
];
const rows = Array.from({ length: ROWS }, (_, i) => ({
  user: `user-${(i * 7919) % 10_000}`,
  amount: Math.round(i * 37.7) / 100,
  qty: (i % 50) - 10,
}));
const timestamps = Array.from({ length: ROWS }, (_, i) => 1_700_000_000_000 + i * 10);
const records = new RecordBatch(rows, timestamps);
const columnar = rowsToColumnar(rows, SCHEMA, timestamps);

let sink = 0; // results feed this, so no measured work is dead code
const timings = measureInterleaved({
  columnar: () => (sink += decodeColumnar(encodeColumnar(columnar)).rowCount),
  msgpackr: () => (sink += decodeRecordBatch(encodeRecordBatch(records)).length),
  columnarFromObjects: () =>
    (sink += columnarToRows(decodeColumnar(encodeColumnar(rowsToColumnar(rows, SCHEMA, timestamps)))).length),
  json: () => (sink += (JSON.parse(JSON.stringify({ rows, timestamps })) as { rows: unknown[] }).rows.length),
});
const expected = ((DEFAULT_OPTIONS.warmup + DEFAULT_OPTIONS.reps) * ROWS * 4) % 2 ** 53;
if (sink !== expected) throw new Error(`round trips lost rows: ${sink} rows seen, ${expected} expected`);

const rate = (name: keyof typeof timings): number => perSecond(ROWS, timings[name].medianMs);
const line = (label: string, name: keyof typeof timings): string =>
  `  ${label.padEnd(44)} ${formatRate(rate(name)).padStart(10)}  (${timings[name].medianMs.toFixed(2)} ms/batch)`;
const { warmup, reps } = DEFAULT_OPTIONS;
console.log(
  `round trips of ${ROWS} rows { user, amount, qty } + timestamps (rows/s), median of ${reps} (after ${warmup} warm-up)`,
);
console.log(
  `  bytes: columnar ${encodeColumnar(columnar).byteLength}, msgpackr ${encodeRecordBatch(records).byteLength}`,
);
console.log(line('columnar encode+decode (typed arrays)', 'columnar'));
console.log(line('msgpackr record encode+decode (objects)', 'msgpackr'));
console.log(line('columnar from/to objects (reference)', 'columnarFromObjects'));
console.log(line('JSON stringify+parse (reference)', 'json'));
console.log(`  msgpackr vs JSON: ${(rate('msgpackr') / rate('json')).toFixed(2)}×`);
report({ bench: 'serialization', eventsPerSec: rate('columnar'), baselineEventsPerSec: rate('msgpackr') });
