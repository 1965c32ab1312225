import {
  EventTimeSessionWindows,
  GlobalWindow,
  GlobalWindows,
  SlidingEventTimeWindows,
  SlidingProcessingTimeWindows,
  TimeWindow,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
} from '../../src/index.ts';
import { getWindowStartWithOffset, mergeTimeWindows } from '../../src/api/windowing/windows.ts';
import { deepEqual, equal, ok, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

const noClock = { getCurrentProcessingTime: () => 0 };
const spans = (windows: readonly { start?: number; end?: number }[]) => windows.map((w) => [w.start, w.end]);

export default defineSuite('window assigners (SEMANTICS §1)', (it) => {
  it('getWindowStartWithOffset matches TimeWindowTest, negatives included', () => {
    const cases: [number, number, number, number][] = [
      // [timestamp, offset, size, start]
      [1, 0, 7, 0],
      [6, 0, 7, 0],
      [7, 0, 7, 7],
      [8, 0, 7, 7],
      [1, 3, 7, -4],
      [2, 3, 7, -4],
      [3, 3, 7, 3],
      [9, 3, 7, 3],
      [10, 3, 7, 10],
      [1, -2, 7, -2],
      [-2, -2, 7, -2],
      [3, -2, 7, -2],
      [4, -2, 7, -2],
      [7, -2, 7, 5],
      [12, -2, 7, 12],
      [1470902048450, -8 * 3600_000, 86400_000, 1470844800000],
      [-5, 3, 7, -11],
      [-1, 0, 7, -7],
    ];
    for (const [ts, offset, size, start] of cases) {
      equal(getWindowStartWithOffset(ts, offset, size), start, `ts ${ts} offset ${offset} size ${size}`);
    }
  });

  it('tumbling windows match TumblingEventTimeWindowsTest', () => {
    const at = (a: TumblingEventTimeWindows, ts: number) => spans(a.assignWindows(null, ts))[0];
    const plain = TumblingEventTimeWindows.of(5000);
    deepEqual(at(plain, 0), [0, 5000]);
    deepEqual(at(plain, 4999), [0, 5000]);
    deepEqual(at(plain, 5000), [5000, 10000]);
    const plus = TumblingEventTimeWindows.of(5000, 100);
    deepEqual(at(plus, 100), [100, 5100]);
    deepEqual(at(plus, 5099), [100, 5100]);
    deepEqual(at(plus, 5100), [5100, 10100]);
    const minus = TumblingEventTimeWindows.of(5000, -100);
    deepEqual(at(minus, 0), [-100, 4900]);
    deepEqual(at(minus, 4899), [-100, 4900]);
    deepEqual(at(minus, 4900), [4900, 9900]);
    const second = TumblingEventTimeWindows.of(5000, 1000);
    deepEqual(at(second, 1000), [1000, 6000]);
    deepEqual(at(second, 5999), [1000, 6000]);
    deepEqual(at(second, 6000), [6000, 11000]);
    equal(plain.isEventTime(), true);
  });

  it('processing-time twins use the clock, not the element timestamp', () => {
    const clock = { getCurrentProcessingTime: () => 12_345 };
    deepEqual(spans(TumblingProcessingTimeWindows.of(1000).assignWindows(null, 1, clock)), [[12_000, 13_000]]);
    deepEqual(spans(SlidingProcessingTimeWindows.of(2000, 1000).assignWindows(null, 1, clock)), [
      [12_000, 14_000],
      [11_000, 13_000],
    ]);
    equal(TumblingProcessingTimeWindows.of(1000).isEventTime(), false);
  });

  it('sliding windows match SlidingEventTimeWindowsTest, newest first', () => {
    const sliding = SlidingEventTimeWindows.of(5000, 1000);
    deepEqual(spans(sliding.assignWindows(null, 0, noClock)), [
      [0, 5000],
      [-1000, 4000],
      [-2000, 3000],
      [-3000, 2000],
      [-4000, 1000],
    ]);
    deepEqual(spans(sliding.assignWindows(null, 4999, noClock)), [
      [4000, 9000],
      [3000, 8000],
      [2000, 7000],
      [1000, 6000],
      [0, 5000],
    ]);
    deepEqual(spans(sliding.assignWindows(null, 5000, noClock)), [
      [5000, 10000],
      [4000, 9000],
      [3000, 8000],
      [2000, 7000],
      [1000, 6000],
    ]);
    const plus = SlidingEventTimeWindows.of(5000, 1000, 100);
    deepEqual(spans(plus.assignWindows(null, 100, noClock)).at(-1), [-3900, 1100]);
    deepEqual(spans(plus.assignWindows(null, 100, noClock))[0], [100, 5100]);
    const minus = SlidingEventTimeWindows.of(5000, 1000, -100);
    deepEqual(spans(minus.assignWindows(null, 0, noClock)).at(-1), [-4100, 900]);
    deepEqual(spans(minus.assignWindows(null, 0, noClock))[0], [-100, 4900]);
  });

  it('sliding windows with size not a multiple of slide, and gapped (slide > size) ones', () => {
    const uneven = SlidingEventTimeWindows.of(2500, 1000);
    equal(uneven.assignWindows(null, 0, noClock).length, 3, 'ceil(2.5)');
    equal(uneven.assignWindows(null, 500, noClock).length, 2, 'floor(2.5)');
    const gapped = SlidingEventTimeWindows.of(1000, 3000);
    deepEqual(spans(gapped.assignWindows(null, 500, noClock)), [[0, 1000]]);
    deepEqual(spans(gapped.assignWindows(null, 1500, noClock)), [], 'in the gap: no window');
  });

  it('time windows are [start, end), touch-intersecting, with maxTimestamp = end - 1', () => {
    const w = new TimeWindow(0, 5);
    equal(w.maxTimestamp(), 4);
    ok(w.intersects(new TimeWindow(5, 10)), 'touching windows intersect');
    ok(!w.intersects(new TimeWindow(6, 10)));
    deepEqual(spans([w.cover(new TimeWindow(3, 9))]), [[0, 9]]);
    equal(GlobalWindow.INSTANCE.maxTimestamp(), Infinity);
    deepEqual(GlobalWindows.create().assignWindows(), [GlobalWindow.INSTANCE]);
  });

  it('session merging matches EventTimeSessionWindowsTest: consecutive and covering windows', () => {
    const merges: [number[][], number[]][] = [];
    const record = (toBeMerged: TimeWindow[], result: TimeWindow) =>
      merges.push([spans(toBeMerged) as number[][], [result.start, result.end]]);
    mergeTimeWindows(
      [new TimeWindow(0, 1), new TimeWindow(1, 2), new TimeWindow(2, 3), new TimeWindow(4, 5), new TimeWindow(5, 6)],
      record,
    );
    deepEqual(merges, [
      [
        [
          [0, 1],
          [1, 2],
          [2, 3],
        ],
        [0, 3],
      ],
      [
        [
          [4, 5],
          [5, 6],
        ],
        [4, 6],
      ],
    ]);
    merges.length = 0;
    mergeTimeWindows([new TimeWindow(1, 4), new TimeWindow(0, 10), new TimeWindow(12, 13)], record);
    deepEqual(merges, [
      [
        [
          [0, 10],
          [1, 4],
        ],
        [0, 10],
      ],
    ]);
    deepEqual(spans(EventTimeSessionWindows.withGap(10).assignWindows(null, 7)), [[7, 17]]);
  });

  it('bad parameters throw at build time naming the rule', () => {
    throws(() => TumblingEventTimeWindows.of(0), /size must be > 0/);
    throws(() => TumblingEventTimeWindows.of(-5), /size must be > 0/);
    throws(() => TumblingEventTimeWindows.of(5, 5), /abs\(offset\) < size/);
    throws(() => TumblingEventTimeWindows.of(5, -5), /abs\(offset\) < size/);
    throws(() => TumblingProcessingTimeWindows.of(5, 7), /abs\(offset\) < size/);
    throws(() => SlidingEventTimeWindows.of(0, 1), /size must be > 0/);
    throws(() => SlidingEventTimeWindows.of(10, 0), /slide must be > 0/);
    throws(() => SlidingEventTimeWindows.of(10, 2, 2), /abs\(offset\) < slide/);
    throws(() => SlidingEventTimeWindows.of(100_000_000, 1), /at most 10000000 windows per element/);
    throws(() => EventTimeSessionWindows.withGap(0), /gap must be > 0/);
    throws(() => EventTimeSessionWindows.withGap(-1), /gap must be > 0/);
    throws(() => TumblingEventTimeWindows.of(1.5), /integer number of milliseconds/);
    throws(() => EventTimeSessionWindows.withDynamicGap<number>(() => 0).assignWindows(1, 5), /0 < gap/);
  });

  it('event-time assigners refuse records without timestamps, pointing at assignTimestampsAndWatermarks', () => {
    for (const assigner of [
      TumblingEventTimeWindows.of(10),
      SlidingEventTimeWindows.of(10, 5),
      EventTimeSessionWindows.withGap(10),
    ]) {
      throws(
        () => assigner.assignWindows(null, -Infinity, noClock),
        /Did you forget to call 'DataStream.assignTimestampsAndWatermarks\(...\)'/,
      );
    }
  });
});
