/**
 * The window-aggregation kernel (build/rivulet.wasm, src/wasm/window-kernel.ts) and its TS reference
 * (src/wasm/window-agg-reference.ts): every rule of SEMANTICS.md §1.2, §1.3, §3 pinned on both, the two held to
 * each other on random streams, the reference held to the JS WindowOperator through the public API, snapshots
 * restored mid-stream, and memory that stays flat over many windows.
 */
import { currentPlatform } from '../../src/platform/index.ts';
import { loadKernel } from '../../src/wasm/kernel.ts';
import { getWindowStartWithOffset } from '../../src/api/windowing/windows.ts';
import { ReferenceWindowAggregator } from '../../src/wasm/window-agg-reference.ts';
import type { WatermarkResult, WindowAggregator, WindowAggregatorConfig } from '../../src/wasm/window-aggregator.ts';
import { deepEqual, equal, ok, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import {
  feed,
  lines,
  randomStream,
  runStep,
  SlotMap,
  starts,
  viaOperator,
  viaReference,
  type Row,
} from './window-kernel-support.ts';

type Make = (config: WindowAggregatorConfig) => WindowAggregator;

/** A watermark's firings as text and how many windows it freed. */
const watermarkOutcome = (result: WatermarkResult) => ({ fired: lines(result.fired), freed: result.freed.length });

async function wasmMaker(): Promise<Make> {
  const kernel = await loadKernel(await currentPlatform());
  return (config) => kernel.createWindowAggregator(config);
}

const referenceMaker: Make = (config) => new ReferenceWindowAggregator(config);

/** Runs `check` against the wasm kernel and the reference, naming the implementation in a failure. */
async function onBoth(check: (make: Make) => void | Promise<void>): Promise<void> {
  for (const [name, make] of [
    ['wasm', await wasmMaker()],
    ['reference', referenceMaker],
  ] as const) {
    try {
      await check(make);
    } catch (err) {
      if (err instanceof Error) err.message = `[${name}] ${err.message}`;
      throw err;
    }
  }
}

const DIFFERENTIAL_CONFIGS: readonly WindowAggregatorConfig[] = [
  { kind: 'tumbling', size: 1000 },
  { kind: 'tumbling', size: 700, offset: -300, allowedLateness: 1500 },
  { kind: 'sliding', size: 3000, slide: 1000 },
  { kind: 'sliding', size: 1000, slide: 300, offset: 100, allowedLateness: 500 },
  { kind: 'sliding', size: 500, slide: 2000, offset: -1999, allowedLateness: 700 },
];

export default defineSuite('window aggregation kernel (wasm and reference)', (it) => {
  it('a window [s, e) fires when the watermark reaches e - 1, not before, with count, sum, min and max', () =>
    onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 2000 });
      feed(agg, [
        [0, 1, 0],
        [0, 2.5, 1999],
        [1, -5, 1500],
        [0, 7, 2000],
      ]);
      deepEqual(lines(agg.advanceWatermark(1998).fired), []);
      deepEqual(lines(agg.advanceWatermark(1999).fired).sort(), [
        'k0 [0,2000) n2 3.5 1 2.5',
        'k1 [0,2000) n1 -5 -5 -5',
      ]);
      deepEqual(lines(agg.advanceWatermark(3998).fired), []);
      deepEqual(lines(agg.advanceWatermark(3999).fired), ['k0 [2000,4000) n1 7 7 7']);
      equal(agg.liveWindows, 0);
    }));

  it('tumbling window starts: getWindowStartWithOffset with offsets and negative timestamps (§1.1, §1.2)', () =>
    onBoth((make) => {
      const cases: [size: number, offset: number, ts: number, start: number][] = [
        [7, 0, 1, 0],
        [7, 0, 6, 0],
        [7, 0, 7, 7],
        [7, 0, 8, 7],
        [7, 3, 1, -4],
        [7, 3, 2, -4],
        [7, 3, 3, 3],
        [7, 3, 9, 3],
        [7, 3, 10, 10],
        [7, -2, 1, -2],
        [7, -2, -2, -2],
        [7, -2, 3, -2],
        [7, -2, 4, -2],
        [7, -2, 7, 5],
        [7, -2, 12, 12],
        [7, 3, -5, -11],
        [7, 0, -7, -7],
        [7, 0, -8, -14],
        [5000, 100, 5099, 100],
        [5000, 100, 5100, 5100],
        [5000, -100, 0, -100],
        [5000, -100, 4899, -100],
        [5000, -100, 4900, 4900],
        [86_400_000, -28_800_000, 1470902048450, 1470844800000],
        [1000, 0, -9007199254740991, -9007199254741000],
      ];
      for (const [size, offset, ts, start] of cases) {
        const created = feed(make({ kind: 'tumbling', size, offset }), [[0, 1, ts]]).created;
        deepEqual(starts(created), [start], `size ${size} offset ${offset} timestamp ${ts}`);
      }
    }));

  it('window starts are bit-identical to getWindowStartWithOffset across the whole safe-integer range', () =>
    onBoth((make) => {
      const extremes = [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 52 + 1, -(2 ** 52) - 3, -1, 0];
      for (const size of [1, 7, 1000, 86_400_000, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER]) {
        for (const offset of [0, size - 1, 1 - size, Math.trunc(size / 2)]) {
          const agg = make({ kind: 'tumbling', size, offset });
          const rows = extremes.map((ts, i): Row => [i, 1, ts]);
          const expected = extremes.map((ts) => getWindowStartWithOffset(ts, offset, size));
          deepEqual(starts(feed(agg, rows).created), expected, `size ${size} offset ${offset}`);
        }
      }
    }));

  it('sliding windows: every window of the element, newest first, with offsets (§1.3)', () =>
    onBoth((make) => {
      const cases: [offset: number, ts: number, starts: number[]][] = [
        [0, 0, [0, -1000, -2000, -3000, -4000]],
        [0, 4999, [4000, 3000, 2000, 1000, 0]],
        [0, 5000, [5000, 4000, 3000, 2000, 1000]],
        [100, 100, [100, -900, -1900, -2900, -3900]],
        [-100, 0, [-100, -1100, -2100, -3100, -4100]],
        [0, -1, [-1000, -2000, -3000, -4000, -5000]],
      ];
      for (const [offset, ts, expected] of cases) {
        const agg = make({ kind: 'sliding', size: 5000, slide: 1000, offset });
        deepEqual(starts(feed(agg, [[3, 1, ts]]).created), expected, `offset ${offset} timestamp ${ts}`);
      }
      // size not a multiple of slide: 2 or 3 windows depending on position
      const agg = make({ kind: 'sliding', size: 2500, slide: 1000 });
      deepEqual(starts(feed(agg, [[0, 1, 0]]).created), [0, -1000, -2000]);
      deepEqual(starts(feed(agg, [[1, 1, 600]]).created), [0, -1000]);
    }));

  it('gapped sliding windows: an element in no window is discarded silently, or listed late when late', () =>
    onBoth((make) => {
      const agg = make({ kind: 'sliding', size: 1000, slide: 3000, allowedLateness: 1000 });
      const first = feed(agg, [
        [0, 1, 1500], // in the gap [1000, 3000): no window, not late
        [0, 2, 3500], // [3000, 4000)
      ]);
      deepEqual(starts(first.created), [3000]);
      deepEqual(Array.from(first.late), []);
      agg.advanceWatermark(5000);
      const second = feed(agg, [
        [0, 4, 4500], // in the gap, 4500 + 1000 > 5000: not late, discarded silently
        [0, 8, 3999], // [3000, 4000) fired at 3999, cleanup 4999 <= 5000: window late, and 3999 + 1000 <= 5000
        [0, 16, 2000], // in the gap and 2000 + 1000 <= 5000: late
      ]);
      deepEqual(Array.from(second.late), [1, 2]);
      equal(second.fired.length, 0);
      equal(second.created.length, 0);
    }));

  it('an element behind the watermark joins its window while the window is not late, and fires with it', () =>
    onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 1000 });
      feed(agg, [[0, 1, 10]]);
      agg.advanceWatermark(998);
      const behind = feed(agg, [[0, 2, 5]]); // 5 <= 998, but [0, 1000) is not late (999 > 998)
      equal(behind.fired.length, 0);
      equal(behind.late.length, 0);
      deepEqual(lines(agg.advanceWatermark(999).fired), ['k0 [0,1000) n2 3 1 2']);
      deepEqual(Array.from(feed(agg, [[0, 4, 999]]).late), [0], 'lateness 0: late once the window fired');
    }));

  it('allowed lateness: late elements re-fire the whole window, one cumulative firing per row, in row order', () =>
    onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 1000, allowedLateness: 500 });
      feed(agg, [[0, 1, 10]]);
      deepEqual(lines(agg.advanceWatermark(999).fired), ['k0 [0,1000) n1 1 1 1']);
      const late = feed(agg, [
        [0, 2, 20],
        [0, 3, 30],
        [1, 4, 40], // a new window, created behind the watermark: fires at once
        [0, 5, 1200], // [1000, 2000): timer registered, no firing
      ]);
      deepEqual(lines(late.fired), ['k0 [0,1000) n2 3 1 2', 'k0 [0,1000) n3 6 1 3', 'k1 [0,1000) n1 4 4 4']);
      deepEqual(starts(late.created), [0, 1000]);
      equal(late.late.length, 0);
      equal(agg.liveWindows, 3);
      const almost = agg.advanceWatermark(1498);
      deepEqual([almost.fired.length, almost.freed.length], [0, 0], 'no firing, no cleanup before 999 + 500');
      const cleanup = agg.advanceWatermark(1499);
      equal(cleanup.fired.length, 0, 'windows do not fire twice');
      equal(cleanup.freed.length, 2);
      equal(agg.liveWindows, 1);
      const after = feed(agg, [[0, 6, 50]]);
      deepEqual(Array.from(after.late), [0], 'late once the window was cleaned up');
      equal(after.created.length, 0);
      deepEqual(lines(agg.advanceWatermark(Infinity).fired), ['k0 [1000,2000) n1 5 5 5']);
      equal(agg.liveWindows, 0);
    }));

  it('sliding windows: a late element joins its younger windows; late only when late for all (§3.3)', () =>
    onBoth((make) => {
      const agg = make({ kind: 'sliding', size: 2000, slide: 1000 });
      feed(agg, [[0, 1, 1500]]); // [1000, 3000) and [0, 2000)
      deepEqual(lines(agg.advanceWatermark(2500).fired), ['k0 [0,2000) n1 1 1 1']);
      const mixed = feed(agg, [
        [0, 2, 1600], // [1000, 3000) accepted; [0, 2000) late: skipped for that window only
        [0, 4, 900], // [0, 2000) and [-1000, 1000): both late
      ]);
      deepEqual(Array.from(mixed.late), [1]);
      equal(mixed.fired.length, 0);
      deepEqual(lines(agg.advanceWatermark(2999).fired), ['k0 [1000,3000) n2 3 1 2']);
    }));

  it('cleanup frees slots for reuse; +Infinity fires what is left in maxTimestamp order and frees everything', () =>
    onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 100, allowedLateness: 1000 });
      feed(agg, [
        [0, 1, 550],
        [1, 1, 50],
        [2, 1, 950],
        [0, 1, 250],
        [1, 1, 5000],
      ]);
      const first = agg.advanceWatermark(299);
      deepEqual(lines(first.fired), ['k1 [0,100) n1 1 1 1', 'k0 [200,300) n1 1 1 1']);
      const flushed = agg.advanceWatermark(Infinity);
      deepEqual(lines(flushed.fired), ['k0 [500,600) n1 1 1 1', 'k2 [900,1000) n1 1 1 1', 'k1 [5000,5100) n1 1 1 1']);
      equal(flushed.freed.length, 5);
      equal(agg.liveWindows, 0);
      equal(agg.watermark, Infinity);
    }));

  it('watermarks that do not advance are ignored', () =>
    onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 10 });
      feed(agg, [[0, 1, 95]]);
      equal(agg.advanceWatermark(100).fired.length, 1);
      equal(agg.advanceWatermark(50).fired.length, 0);
      equal(agg.advanceWatermark(100).fired.length, 0);
      equal(agg.watermark, 100);
      deepEqual(Array.from(feed(agg, [[0, 1, 89]]).late), [0], 'judged against watermark 100');
    }));

  it('created lists each window with the row that created it; firings name live slots', () =>
    onBoth((make) => {
      const agg = make({ kind: 'sliding', size: 20, slide: 10 });
      const slots = new SlotMap();
      const rows: Row[] = [
        [5, 1, 12],
        [5, 1, 13],
        [6, 1, 19],
        [5, 1, 25],
      ];
      deepEqual(
        slots.created(feed(agg, rows).created, (row) => (rows[row] as Row)[0]),
        ['row 0 k5@10', 'row 0 k5@0', 'row 2 k6@10', 'row 2 k6@0', 'row 3 k5@20'],
      );
      const fired = agg.advanceWatermark(29);
      slots.fired(fired.fired);
      deepEqual(slots.freed(fired.freed).sort(), ['k5@0', 'k5@10', 'k6@0', 'k6@10'], 'maxTimestamp <= 29');
      const again = feed(agg, [[6, 2, 35]]);
      equal(again.created.length, 2);
      ok(
        Array.from(again.created.slot).every((slot) => Array.from(fired.freed).includes(slot)),
        'slots reused',
      );
    }));

  it("the wasm kernel's created windows read lazily: the same once read, refused after a later call", async () => {
    const agg = (await wasmMaker())({ kind: 'tumbling', size: 10 });
    const result = agg.process(Int32Array.of(1, 2), Float64Array.of(1, 2), Float64Array.of(1, 15), 2);
    const first = result.created;
    equal(first.length, 2);
    equal(result.created, first, 'read once');
    const unread = agg.process(Int32Array.of(3), Float64Array.of(1), Float64Array.of(3), 1);
    agg.advanceWatermark(100);
    throws(() => unread.created, /read after a later call/);
    deepEqual(Array.from(first.start), [0, 10]);
  });

  it('processes the first n rows of longer arrays', () =>
    onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 10 });
      const result = agg.process(Int32Array.of(1, 2, 3), Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3), 2);
      equal(result.created.length, 2);
      equal(agg.liveWindows, 2);
      equal(agg.process(Int32Array.of(1), Float64Array.of(1), Float64Array.of(1), 0).created.length, 0);
      throws(() => agg.process(Int32Array.of(1), Float64Array.of(1), Float64Array.of(1), 2), /2 rows/);
    }));

  it("rejects invalid configurations with the assigners' messages", () =>
    onBoth((make) => {
      throws(() => make({ kind: 'tumbling', size: 0 }), /size must be > 0/);
      throws(() => make({ kind: 'tumbling', size: 10, offset: 10 }), /abs\(offset\) < size/);
      throws(() => make({ kind: 'tumbling', size: 1.5 }), /integer number of milliseconds/);
      throws(() => make({ kind: 'sliding', size: 10, slide: 0 }), /slide must be > 0/);
      throws(() => make({ kind: 'sliding', size: 10, slide: 5, offset: -5 }), /abs\(offset\) < slide/);
      throws(() => make({ kind: 'sliding', size: 100_000_000, slide: 1 }), /at most 10000000 windows/);
      throws(() => make({ kind: 'tumbling', size: 10, allowedLateness: -1 }), /allowedLateness must be >= 0/);
      throws(() => make({ kind: 'session' } as never), /kind must be 'tumbling' or 'sliding'/);
    }));

  it('rejects a batch with an invalid row before changing anything', () =>
    onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 10 });
      const bad: [Row, RegExp][] = [
        [[0, 1, 1.5], /row 1: timestamp must be an integer number of milliseconds, got 1.5/],
        [[0, 1, NaN], /row 1: timestamp .* got NaN/],
        [[0, 1, -Infinity], /row 1: .*assignTimestampsAndWatermarks/],
        [[0, 1, 2 ** 53], /row 1: timestamp/],
        [[-1, 1, 5], /row 1: key index must be >= 0, got -1/],
      ];
      for (const [row, pattern] of bad) {
        throws(() => feed(agg, [[0, 1, 3], row]), pattern);
        equal(agg.liveWindows, 0, 'nothing added');
      }
      equal(feed(agg, [[0, 1, 3]]).created.length, 1, 'still usable');
    }));

  it('the kernel and the reference agree on random streams (thousands of keys, late rows, negative times)', async () => {
    const makeWasm = await wasmMaker();
    for (const [c, config] of DIFFERENTIAL_CONFIGS.entries()) {
      const steps = randomStream(1000 + c, { keys: 2000, batches: 30, rows: 1200, spread: 3000, pace: 3 });
      const [wasm, reference] = [makeWasm(config), referenceMaker(config)];
      const [wasmSlots, referenceSlots] = [new SlotMap(), new SlotMap()];
      let firings = 0;
      let late = 0;
      for (const [s, step] of steps.entries()) {
        const expected = runStep(reference, referenceSlots, step);
        deepEqual(runStep(wasm, wasmSlots, step), expected, `config ${c} step ${s}`);
        firings += expected.firedByRows.length + expected.firedByWatermark.length;
        late += expected.late.length;
      }
      ok(firings > 1000 && late > 0, `config ${c} exercised firings (${firings}) and late rows (${late})`);
      equal(wasm.liveWindows, 0);
      wasm.dispose();
    }
  });

  it('the reference agrees with the JS WindowOperator on random streams (public API)', async () => {
    for (const [c, config] of DIFFERENTIAL_CONFIGS.entries()) {
      const steps = randomStream(2000 + c, { keys: 12, batches: 16, rows: 40, spread: 2000, pace: 60 });
      deepEqual(await viaOperator(config, steps), viaReference(config, steps), `config ${c}`);
    }
  });

  it('snapshot bytes: documented layout, sorted by key and start, equal for the kernel and the reference', async () => {
    const rows: Row[] = [
      [7, 1.5, 1200],
      [2, -3, 100],
      [7, 4, 100],
      [3, 8, 1500],
    ];
    const snapshots: Uint8Array[] = [];
    await onBoth((make) => {
      const agg = make({ kind: 'tumbling', size: 1000, offset: 0, allowedLateness: 2000 });
      feed(agg, rows);
      throws(() => agg.snapshot(1), /key index \d+ has windows but no key group/);
      for (const key of [2, 7]) agg.setKeyGroup(key, 1);
      agg.setKeyGroup(3, 2);
      agg.advanceWatermark(999); // [0, 1000) windows fire: their timer is no longer pending
      snapshots.push(agg.snapshot(1));
      equal(agg.snapshot(5).length, 40, 'an empty key group has a header only');
    });
    const [wasm, reference] = snapshots as [Uint8Array, Uint8Array];
    deepEqual(Array.from(wasm), Array.from(reference));
    const view = new DataView(wasm.buffer, wasm.byteOffset, wasm.byteLength);
    deepEqual(
      [view.getUint32(0, true), view.getInt32(4, true), view.getUint32(8, true), view.getUint32(12, true)],
      [0x31415752, 1, 3, 0],
    );
    deepEqual(
      [16, 24, 32].map((at) => view.getFloat64(at, true)),
      [1000, 1000, 0],
    );
    const records = [0, 1, 2].map((i) => {
      const at = 40 + 48 * i;
      const numbers = [8, 16, 24, 32, 40].map((o) => view.getFloat64(at + o, true));
      return [view.getInt32(at, true), view.getUint32(at + 4, true), ...numbers];
    });
    deepEqual(records, [
      [2, 0, 0, 1, -3, -3, -3],
      [7, 0, 0, 1, 4, 4, 4],
      [7, 1, 1000, 1, 1.5, 1.5, 1.5],
    ]);
  });

  it('snapshot of every key group mid-stream, restored into fresh instances: all continue identically', async () => {
    const makeWasm = await wasmMaker();
    for (const [c, config] of DIFFERENTIAL_CONFIGS.entries()) {
      const steps = randomStream(3000 + c, { keys: 500, batches: 24, rows: 800, spread: 3000, pace: 3 });
      const cut = 12;
      const groupOf = (key: number) => (key * 7919) % 16;
      const original = makeWasm(config);
      const slots = new SlotMap();
      for (let key = 0; key < 500; key++) original.setKeyGroup(key, groupOf(key));
      for (const step of steps.slice(0, cut)) runStep(original, slots, step);
      const blobs = Array.from({ length: 16 }, (_, group) => original.snapshot(group));
      const restored = [makeWasm(config), referenceMaker(config)];
      const restoredSlots = restored.map(() => new SlotMap());
      for (const [i, agg] of restored.entries()) {
        for (const blob of blobs) {
          const created = agg.restore(blob);
          const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
          restoredSlots[i]?.created(created, (record) => view.getInt32(40 + 48 * record, true));
        }
        equal(agg.liveWindows, original.liveWindows, `restored windows (${i})`);
        // Watermarks are not restored; the first one after restore only catches up.
        const catchUp = agg.advanceWatermark(original.watermark);
        deepEqual([catchUp.fired.length, catchUp.freed.length], [0, 0], 'catching up fires and frees nothing');
      }
      for (const [s, step] of steps.slice(cut).entries()) {
        const expected = runStep(original, slots, step);
        for (const [i, agg] of restored.entries()) {
          deepEqual(runStep(agg, restoredSlots[i] as SlotMap, step), expected, `config ${c} step ${cut + s} (${i})`);
        }
      }
    }
  });

  it('after a restore (watermark -Infinity) a row for a fired window registers its timer again (§2.6, §3.2)', () =>
    onBoth((make) => {
      const config: WindowAggregatorConfig = { kind: 'tumbling', size: 1000, allowedLateness: 5000 };
      const before = make(config);
      feed(before, [
        [0, 1, 100],
        [1, 2, 200],
      ]);
      equal(before.advanceWatermark(1500).fired.length, 2);
      before.setKeyGroup(0, 0);
      before.setKeyGroup(1, 0);
      const after = make(config);
      after.restore(before.snapshot(0));
      const row = feed(after, [[0, 3, 300]]);
      equal(row.fired.length, 0, 'behind no watermark: the trigger registers a timer instead of firing');
      const caughtUp = watermarkOutcome(after.advanceWatermark(1500));
      deepEqual(caughtUp.fired, ['k0 [0,1000) n2 4 1 3'], 'only the window with a new timer fires again');
      equal(caughtUp.freed, 0);
      equal(after.advanceWatermark(5999).freed.length, 2, 'cleanup at maxTimestamp + allowedLateness');
    }));

  it('restore renames keys through keyMap and rejects foreign or mismatched snapshots', () =>
    onBoth((make) => {
      const config: WindowAggregatorConfig = { kind: 'sliding', size: 2000, slide: 1000, allowedLateness: 100 };
      const source = make(config);
      feed(source, [
        [0, 1, 500],
        [1, 2, 700],
      ]);
      source.setKeyGroup(0, 3);
      source.setKeyGroup(1, 3);
      const blob = source.snapshot(3);
      const target = make(config);
      const created = target.restore(blob, Int32Array.of(10, 20));
      deepEqual(Array.from(created.row), [0, 1, 2, 3]);
      deepEqual(lines(target.advanceWatermark(999).fired).sort(), [
        'k10 [-1000,1000) n1 1 1 1',
        'k20 [-1000,1000) n1 2 2 2',
      ]);
      equal(target.snapshot(3).length, 40 + 4 * 48, 'restored keys carry the key group');
      throws(() => target.restore(blob), /before the first watermark/);
      const fresh = make(config);
      throws(() => fresh.restore(new Uint8Array(40)), /not a window aggregator snapshot/);
      throws(() => fresh.restore(blob.subarray(0, 60)), /must be 232 bytes/);
      throws(() => make({ kind: 'sliding', size: 2000, slide: 500 }).restore(blob), /does not match/);
      throws(() => make({ kind: 'tumbling', size: 2000 }).restore(blob), /does not match/);
      throws(() => fresh.restore(blob, Int32Array.of(5)), /record 2 has key index 1, which keyMap does not map/);
      equal(fresh.liveWindows, 0);
    }));

  it('memory stays flat over 1,000 windows of 1,000 keys, and the last watermark frees every window', async () => {
    const agg = (await wasmMaker())({ kind: 'tumbling', size: 1000, allowedLateness: 2000 });
    const keys = Int32Array.from({ length: 2000 }, (_, i) => i % 1000);
    const values = Float64Array.from({ length: 2000 }, (_, i) => i);
    const timestamps = new Float64Array(2000);
    let afterHundred = 0;
    for (let w = 0; w < 1000; w++) {
      for (let i = 0; i < 2000; i++) timestamps[i] = w * 1000 + ((i * 37) % 1000);
      agg.process(keys, values, timestamps);
      const fired = agg.advanceWatermark(w * 1000 + 999).fired;
      equal(fired.length, 1000, `window ${w} fires for every key`);
      if (w === 99) afterHundred = agg.memoryBytes;
    }
    equal(agg.memoryBytes, afterHundred, 'wasm memory after 1,000 windows equals that after 100');
    equal(agg.liveWindows, 2000, 'live: the last two windows, kept for allowed lateness');
    agg.advanceWatermark(Infinity);
    equal(agg.liveWindows, 0);
    agg.dispose();
    throws(() => agg.liveWindows, /disposed/);
  });

  it('every aggregator owns its instance and memory', async () => {
    const make = await wasmMaker();
    const [a, b] = [make({ kind: 'tumbling', size: 10 }), make({ kind: 'tumbling', size: 10 })];
    feed(a, [[0, 1, 1]]);
    equal(b.liveWindows, 0);
    feed(b, [[0, 5, 2]]);
    deepEqual(lines(a.advanceWatermark(9).fired), ['k0 [0,10) n1 1 1 1']);
    deepEqual(lines(b.advanceWatermark(9).fired), ['k0 [0,10) n1 5 5 5']);
    const kernel = await loadKernel(await currentPlatform());
    equal(kernel.keyGroup('x', 128), kernel.keyGroup('x', 128), 'the shared key-hashing instance still works');
  });
});
