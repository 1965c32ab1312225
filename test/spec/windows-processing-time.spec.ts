import {
  ProcessingTimeSessionWindows,
  SlidingProcessingTimeWindows,
  TumblingProcessingTimeWindows,
} from '../../src/index.ts';
import { deepEqual } from './assert.ts';
import { defineSuite } from './harness.ts';
import { records, runWindowed, script, type Event } from './window-support.ts';

const e = (k: string, v: number): Event => ({ k, v });

export default defineSuite('processing-time windows (SEMANTICS §1.2, §2.6, §3.6)', (it) => {
  it('a processing-time window [s, e) fires once the clock reaches e, with result timestamp e - 1', async () => {
    const out = await runWindowed(
      // the manual clock starts at 0; element timestamps are irrelevant to processing-time windows
      script<Event>([e('a', 1), 50_000], { clock: 500 }, [e('a', 2), 1], { clock: 499 }, { clock: 1 }, [e('a', 4), 7]),
      (s) => s.keyBy('k').window(TumblingProcessingTimeWindows.of(1000)).sum('v'),
    );
    // clock 999: nothing; clock 1000: [0,1000) fires with 1 + 2. The third element, at clock 1000, is pending
    // in [1000,2000) when the input ends, and processing-time windows do not fire at end of input.
    deepEqual(records(out), ['{"k":"a","v":3}@999']);
  });

  it('processing-time windows are not fired at end of input', async () => {
    const out = await runWindowed(script<Event>([e('a', 1), 1], 5000), (s) =>
      s.keyBy('k').window(TumblingProcessingTimeWindows.of(1000)).sum('v'),
    );
    deepEqual(records(out), []);
  });

  it('sliding processing-time windows fire each slide', async () => {
    const out = await runWindowed(
      script<Event>([e('a', 1), 0], { clock: 1000 }, [e('a', 2), 0], { clock: 1000 }),
      (s) => s.keyBy('k').window(SlidingProcessingTimeWindows.of(2000, 1000)).sum('v'),
    );
    // element 1 at clock 0: [-1000,1000) and [0,2000); element 2 at clock 1000: [0,2000) and [1000,3000)
    deepEqual(records(out), ['{"k":"a","v":1}@999', '{"k":"a","v":3}@1999']);
  });

  it('processing-time sessions merge and fire at the merged end', async () => {
    const out = await runWindowed(
      script<Event>([e('a', 1), 0], { clock: 50 }, [e('a', 2), 0], { clock: 99 }), // clock 149
      (s) => s.keyBy('k').window(ProcessingTimeSessionWindows.withGap(100)).sum('v'),
    );
    // [0,100) and [50,150) merge into [0,150): not fired at clock 149 (the [0,100) timer is gone), fired at 150
    // (clock advances are increments)
    deepEqual(records(out), []);
    const fired = await runWindowed(
      script<Event>([e('a', 1), 0], { clock: 50 }, [e('a', 2), 0], { clock: 100 }), // clock 150
      (s) => s.keyBy('k').window(ProcessingTimeSessionWindows.withGap(100)).sum('v'),
    );
    deepEqual(records(fired), ['{"k":"a","v":3}@149']);
  });
});
