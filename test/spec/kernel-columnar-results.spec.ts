/**
 * Columns in, columns out: for columnar input the window kernel's results leave as columnar batches whose rows
 * equal the JS WindowOperator's records for the same rows as objects — every built-in, tumbling and sliding, late
 * rows, string columns, input that switches between columns and objects — and first records held in columns
 * survive a snapshot and a restore at another parallelism.
 */
import {
  OutputTag,
  SlidingEventTimeWindows,
  StreamEnvironment,
  TumblingEventTimeWindows,
  type DataStream,
  type WindowAssigner,
} from '../../src/index.ts';
import type { ColumnarSchema } from '../../src/batch/columnar-batch.ts';
import { rowsToColumnar, type Row } from '../../src/batch/columnar-rows.ts';
import { buildRows, buildRowsPropertyByProperty } from '../../src/batch/row-builder.ts';
import type { Operator } from '../../src/runtime/operator.ts';
import { operatorIndexForKeyGroup } from '../../src/state/key-groups.ts';
import { deepEqual, equal, ok } from './assert.ts';
import { defineSuite } from './harness.ts';
import { harnessKernel, OperatorHarness, restoreHarnesses } from './operator-harness.ts';
import { seededRandom } from './support.ts';

const schema: ColumnarSchema = [
  { name: 'k', type: 'string' },
  { name: 'v', type: 'f64' },
  { name: 'n', type: 'i32' },
  { name: 'note', type: 'string' },
];
/** Only the key and the aggregated field: the window kernel keeps nothing per window for it. */
const keyAndValue: ColumnarSchema = [
  { name: 'k', type: 'string' },
  { name: 'v', type: 'f64' },
];
const late = new OutputTag<Row>('late');

/** `rows` with only the fields of `columns`. */
const only = (columns: ColumnarSchema, rows: Row[]): Row[] =>
  rows.map((row) => Object.fromEntries(columns.map(({ name }) => [name, row[name]])) as Row);

/** Batches of out-of-order rows (some late) with a watermark after each. */
function batches(seed: number, numericKeys: boolean): { rows: Row[]; timestamps: number[]; watermark: number }[] {
  const random = seededRandom(seed);
  let frontier = -5000;
  const out = [];
  for (let b = 0; b < 12; b++) {
    const rows: Row[] = [];
    const timestamps: number[] = [];
    for (let i = 0; i < 80; i++) {
      frontier += Math.floor(random() * 30);
      const key = Math.floor(random() * 20);
      rows.push({
        k: numericKeys ? key : `key-${key}`,
        v: Math.round((random() * 200 - 100) * 100) / 100,
        n: b * 1000 + i,
        note: `é${i % 7}`,
      });
      timestamps.push(frontier - Math.floor(random() * 900));
    }
    out.push({ rows, timestamps, watermark: frontier - Math.floor(random() * 400) });
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyStream = DataStream<any>;
type Build = (s: DataStream<Row>) => AnyStream;

function operatorOf(build: Build, wasmKernels: boolean, kind: string): () => Operator {
  const env = StreamEnvironment.create({ parallelism: 1, wasmKernels });
  const node = build(env.fromElements<Row>({ k: 'a', v: 0, n: 0, note: '' })).node;
  equal(node?.kind, kind);
  ok(node?.createOperator, 'the stream ends in an operator');
  return node.createOperator;
}

/** The harness's events as segments between watermarks, each sorted (order within a segment is not specified). */
function segments(h: OperatorHarness): string[][] {
  const out: string[][] = [[]];
  for (const e of h.events) {
    if ('watermark' in e) out.push([]);
    else out[out.length - 1]!.push(JSON.stringify(e));
  }
  return out.map((segment) => segment.sort());
}

const windowings: [string, WindowAssigner<unknown>, number][] = [
  ['tumbling', TumblingEventTimeWindows.of(500), 0],
  ['sliding with lateness', SlidingEventTimeWindows.of(600, 200), 300],
];
/** The field each aggregation reads (count reads none). */
const fieldOf: Record<string, string> = { sum: 'v', min: 'v', max: 'n', count: 'v', avg: 'v' };
const aggregations: [string, (w: ReturnType<ReturnType<DataStream<Row>['keyBy']>['window']>) => AnyStream][] = [
  ['sum', (w) => w.sum('v')],
  ['min', (w) => w.min('v')],
  ['max', (w) => w.max('n')],
  ['count', (w) => w.count()],
  ['avg', (w) => w.avg('v')],
];

export default defineSuite('window kernel: columnar results', (it) => {
  it('columnar input gives columnar results equal to the JS path, for every built-in', async () => {
    const kernel = await harnessKernel();
    let lateRows = 0;
    for (const [windowName, assigner, lateness] of windowings) {
      for (const [name, aggregate] of aggregations) {
        for (const [numericKeys, keyAndField] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ] as [boolean, boolean][]) {
          const full: ColumnarSchema = numericKeys ? [{ name: 'k', type: 'i32' }, ...schema.slice(1)] : schema;
          // Only the key and the field: the kernel keeps no first record and rebuilds results from the keys.
          const keySchema = keyAndField
            ? full.filter((column) => column.name === 'k' || column.name === fieldOf[name])
            : full;
          const build: Build = (s) =>
            aggregate(s.keyBy('k').window(assigner).allowedLateness(lateness).sideOutputLateData(late));
          const viaKernel = new OperatorHarness(operatorOf(build, true, 'window-kernel')(), kernel);
          const viaJs = new OperatorHarness(operatorOf(build, false, 'window')(), kernel);
          for (const { rows, timestamps, watermark } of batches(name.length + lateness, numericKeys)) {
            viaKernel.processColumnar(rowsToColumnar(rows, keySchema, timestamps)).watermark(watermark);
            viaJs.process(only(keySchema, rows).map((row, i) => [row, timestamps[i]!])).watermark(watermark);
          }
          viaKernel.watermark(Number.MAX_SAFE_INTEGER);
          viaJs.watermark(Number.MAX_SAFE_INTEGER);
          const what = `${name}, ${windowName}, ${numericKeys ? 'i32' : 'string'} keys${keyAndField ? ', key and field only' : ''}`;
          ok(viaJs.records().length > 100, `${what}: results`);
          lateRows += viaKernel.records().filter((e) => 'side' in e).length;
          deepEqual(segments(viaKernel), segments(viaJs), what);
          ok(
            viaKernel.batches.every((batch) => batch.columnar !== undefined),
            `${what}: every result batch is columnar`,
          );
        }
      }
    }
    ok(lateRows > 50, `late rows reach the side output (${lateRows})`);
  });

  it('input switching between columns and objects: results as records where needed, equal to the JS path', async () => {
    const kernel = await harnessKernel();
    const build: Build = (s) => s.keyBy('k').window(TumblingEventTimeWindows.of(500)).sum('v');
    // The first schema a kernel sees is the one it keeps in columns; a batch of another is kept as records.
    for (const [first, other] of [
      [schema, keyAndValue],
      [keyAndValue, schema],
    ] as const) {
      const viaKernel = new OperatorHarness(operatorOf(build, true, 'window-kernel')(), kernel);
      const viaJs = new OperatorHarness(operatorOf(build, false, 'window')(), kernel);
      batches(3, false).forEach(({ rows, timestamps, watermark }, b) => {
        const elements = rows.map((row, i): [Row, number] => [row, timestamps[i]!]);
        if (b % 3 === 0) viaKernel.processColumnar(rowsToColumnar(rows, first, timestamps));
        else if (b % 3 === 1) viaKernel.process(elements);
        else viaKernel.processColumnar(rowsToColumnar(rows, other, timestamps));
        const expected = b % 3 === 0 ? only(first, rows) : b % 3 === 2 ? only(other, rows) : rows;
        viaJs.process(expected.map((row, i) => [row, timestamps[i]!]));
        viaKernel.watermark(watermark);
        viaJs.watermark(watermark);
      });
      viaKernel.watermark(Number.MAX_SAFE_INTEGER);
      viaJs.watermark(Number.MAX_SAFE_INTEGER);
      const what = `first schema ${first.map((c) => c.name).join(',')}`;
      deepEqual(segments(viaKernel), segments(viaJs), what);
      ok(
        viaKernel.batches.some((batch) => batch.columnar !== undefined),
        `${what}: some batches columnar`,
      );
      ok(
        viaKernel.batches.some((batch) => batch.columnar === undefined),
        `${what}: some batches of records`,
      );
    }
  });

  it('first records held in columns survive a snapshot and a restore at parallelism 2', async () => {
    for (const columns of [schema, keyAndValue]) await snapshotAndRestore(columns);
  });

  async function snapshotAndRestore(schema: ColumnarSchema): Promise<void> {
    const kernel = await harnessKernel();
    const create = operatorOf(
      (s) => s.keyBy('k').window(TumblingEventTimeWindows.of(500)).max('v'),
      true,
      'window-kernel',
    );
    const input = batches(11, false);
    const reference = new OperatorHarness(create(), kernel);
    const before = new OperatorHarness(create(), kernel);
    input.forEach(({ rows, timestamps, watermark }, b) => {
      reference.processColumnar(rowsToColumnar(rows, schema, timestamps)).watermark(watermark);
      if (b < 6) before.processColumnar(rowsToColumnar(rows, schema, timestamps)).watermark(watermark);
    });
    reference.watermark(Number.MAX_SAFE_INTEGER);
    const after = await restoreHarnesses([before.snapshot()], 2, create);
    for (const h of after) h.watermark(input[5]!.watermark); // watermarks are not state: the source re-sends them
    for (const { rows, timestamps, watermark } of input.slice(6)) {
      for (const h of after) {
        // Each subtask gets the rows of its key groups (harness.ts's route does the same for object batches).
        const mine = rows.flatMap((row, i) => (ownsKey(h, row['k']) ? [i] : []));
        h.processColumnar(
          rowsToColumnar(
            mine.map((i) => rows[i]!),
            schema,
            mine.map((i) => timestamps[i]!),
          ),
        );
        h.watermark(watermark);
      }
    }
    for (const h of after) h.watermark(Number.MAX_SAFE_INTEGER);
    const all = (hs: OperatorHarness[]) =>
      hs
        .flatMap((h) => h.records())
        .map((e) => JSON.stringify(e))
        .sort();
    deepEqual(all([before, ...after]), all([reference]), schema.map((c) => c.name).join(','));
  }

  it('rows from columns: generated builders and property-by-property give the same objects', () => {
    const odd: ColumnarSchema = [
      { name: '__proto__', type: 'f64' },
      { name: '1', type: 'i32' },
      { name: 'a "quoted" name\u2028', type: 'string' },
    ];
    const rows = batches(5, false)[0]!.rows;
    const oddRows = rows.map(({ k, v, n }) =>
      Object.fromEntries([...odd.map((c) => c.name)].map((name, i) => [name, [v, n, k][i]])),
    );
    for (const [s, input] of [
      [schema, rows],
      [odd, oddRows],
    ] as const) {
      const columnar = rowsToColumnar(input, s);
      const built = buildRows(columnar);
      const plain = buildRowsPropertyByProperty(columnar);
      deepEqual(built, plain);
      deepEqual(Object.keys(built[0]!), Object.keys(plain[0]!));
      ok(
        built.every((row) => Object.getPrototypeOf(row) === Object.prototype),
        'plain objects',
      );
      ok(
        built.every((row, i) =>
          s.every(({ name }) => Object.hasOwn(row, name) && Object.is(row[name], input[i]![name])),
        ),
        'every column is an own property with its value',
      );
    }
  });
});

function ownsKey(h: OperatorHarness, key: unknown): boolean {
  const group = h.kernel.keyGroup(key, h.maxParallelism);
  return operatorIndexForKeyGroup(h.maxParallelism, h.parallelism, group) === h.subtaskIndex;
}
