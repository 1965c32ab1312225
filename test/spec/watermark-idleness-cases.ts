/**
 * Idleness cases of the watermark-strategies suite (SEMANTICS.md §2.3, §2.5, §9.8): when an input is marked idle and
 * active again, and how an idle input stops holding back a union downstream. Clock times as in that suite: with the
 * default 200 ms interval, periodic emits happen at 201, 402, 603, … (one per `{ clock: 201 }`).
 */
import { StreamEnvironment, WatermarkStrategy } from '../../src/index.ts';
import { deepEqual, equal } from './assert.ts';
import type { SpecFn } from './harness.ts';
import { ClockedProbe, probes, runClocked, script } from './watermark-support.ts';

const monotonous = () => WatermarkStrategy.forMonotonousTimestamps<string>();

export function idlenessCases(it: (name: string, fn: SpecFn) => void): void {
  it('idleness: not before the timeout, strictly after it, counted from the first quiet probe; marked once', async () => {
    // Timeout 402: the countdown starts at the quiet probe of t=402; at 804 exactly 402 ms elapsed (not idle).
    const input = script<string>(['a', 1000], ...probes(6), ['b', 2000], ...probes(1));
    const log = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(monotonous().withIdleness(402)));
    deepEqual(log, [
      '0 a@1000',
      '201 wm:999',
      '1005 idle',
      '1206 b@2000',
      '1407 active',
      '1407 wm:1999',
      '1407 wm:MAX',
      '1407 end',
    ]);
  });

  it('an event while the countdown runs resets it: the next quiet probe starts a new one', async () => {
    // Timeout 300: countdown from 402; b arrives before 603 (reset); new countdown from 804; idle at 1206, not 804.
    const input = script<string>(['a', 1000], ...probes(2), ['b', 1100], ...probes(4));
    const log = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(monotonous().withIdleness(300)));
    deepEqual(log, [
      '0 a@1000',
      '201 wm:999',
      '402 b@1100',
      '603 wm:1099',
      '1206 idle',
      '1206 active',
      '1206 wm:MAX',
      '1206 end',
    ]);
  });

  it('a status goes out only when it changes, whatever a custom generator calls', async () => {
    let calls = 0;
    const flapping = WatermarkStrategy.forGenerator<string>(() => ({
      onEvent: (_e, _t, output) => output.markActive(),
      onPeriodicEmit(output) {
        calls++;
        output.markActive();
        if (calls >= 2) output.markIdle();
        output.markIdle();
        if (calls === 3) output.markActive();
      },
    }));
    const log = await runClocked(script<string>(['a', 1], ...probes(3)), (s) =>
      s.assignTimestampsAndWatermarks(flapping),
    );
    // 201: idle; 402: active, idle; 603: active, idle, active; the end-of-input probe's markIdle follows MAX: dropped.
    deepEqual(log, [
      '0 a@1',
      '201 idle',
      '402 active',
      '402 idle',
      '603 active',
      '603 idle',
      '603 active',
      '603 wm:MAX',
      '603 end',
    ]);
  });

  it('an input that never sees an event goes idle too, and MAX at end of input reactivates it first', async () => {
    const log = await runClocked(script<string>(...probes(3)), (s) =>
      s.assignTimestampsAndWatermarks(monotonous().withIdleness(300)),
    );
    deepEqual(log, ['603 idle', '603 active', '603 wm:MAX', '603 end']);
  });

  it('after idleness, ACTIVE goes out with the next advancing watermark, not with an event that does not advance it', async () => {
    const input = script<string>(['a', 1000], ...probes(3), ['late', 500], ...probes(1), ['b', 3000], ...probes(1));
    const log = await runClocked(input, (s) => s.assignTimestampsAndWatermarks(monotonous().withIdleness(100)));
    deepEqual(log, [
      '0 a@1000',
      '201 wm:999',
      '603 idle',
      '603 late@500',
      '804 b@3000',
      '1005 active',
      '1005 wm:2999',
      '1005 wm:MAX',
      '1005 end',
    ]);
  });

  for (const idleB of [true, false]) {
    it(`union of two inputs: ${idleB ? 'an idle input is excluded, so the other one advances the watermark' : 'without withIdleness the quiet input holds the watermark back'}`, async () => {
      const env = StreamEnvironment.create();
      const source = env.fromTestStream(
        script<string>(
          ['a1', 1000],
          ['b1', 1000],
          { clock: 201 },
          ['a2', 2000],
          ['a3', 3000],
          { clock: 201 },
          { clock: 201 },
          { clock: 201 },
          ['a5', 5000],
          { clock: 201 },
          ['b6', 6000],
          { clock: 201 },
          ['a6', 6000],
          { clock: 201 },
        ),
      );
      const a = source
        .filter((v) => v.startsWith('a'))
        .assignTimestampsAndWatermarks(monotonous().withIdleness(10_000));
      const b = source
        .filter((v) => v.startsWith('b'))
        .assignTimestampsAndWatermarks(idleB ? monotonous().withIdleness(300) : monotonous());
      const log: string[] = [];
      a.union(b).transform('probe', 'Probe', () => new ClockedProbe(log));
      await env.execute();
      const watermarks = log.filter((line) => / wm:|idle|active/.test(line));
      // b is idle from its probe at 804 (402 ms after its first quiet probe at 402) until b6 arrives. Each probe
      // moves one input only (both at 201), so the result does not depend on how the two channels interleave.
      deepEqual(
        watermarks,
        idleB
          ? ['201 wm:999', '804 wm:2999', '1005 wm:4999', '1407 wm:5999', '1407 wm:MAX']
          : ['201 wm:999', '1206 wm:4999', '1407 wm:5999', '1407 wm:MAX'],
      );
      equal(log.filter((line) => / [ab]\d@/.test(line)).length, 7);
    });
  }
}
