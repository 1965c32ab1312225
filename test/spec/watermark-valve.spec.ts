import { StatusWatermarkValve } from '../../src/runtime/watermark-valve.ts';
import { deepEqual } from './assert.ts';
import { defineSuite } from './harness.ts';

/** A valve over `n` channels whose outputs are logged as 'wm:<t>' / 'idle' / 'active'. */
function valve(n: number): { v: StatusWatermarkValve; out: string[] } {
  const out: string[] = [];
  const v = new StatusWatermarkValve(n, {
    emitWatermark: (t) => out.push(`wm:${t}`),
    emitWatermarkStatus: (idle) => out.push(idle ? 'idle' : 'active'),
  });
  return { v, out };
}

export default defineSuite('watermark valve (SEMANTICS §2.5)', (it) => {
  it('emits the minimum over channels, only when it advances', () => {
    const { v, out } = valve(2);
    v.inputWatermark(10, 0);
    deepEqual(out, [], 'channel 1 still at MIN');
    v.inputWatermark(5, 1);
    v.inputWatermark(7, 1);
    v.inputWatermark(6, 1); // regress on a channel: ignored
    v.inputWatermark(12, 1);
    deepEqual(out, ['wm:5', 'wm:7', 'wm:10']);
  });

  it('an idle channel is excluded; all idle flushes the maximum then reports idle', () => {
    const { v, out } = valve(3);
    v.inputWatermark(4, 0);
    v.inputWatermark(8, 1);
    v.inputWatermarkStatus(true, 2);
    deepEqual(out, ['wm:4']);
    v.inputWatermarkStatus(true, 0);
    deepEqual(out, ['wm:4', 'wm:8'], 'min over the remaining active channel');
    v.inputWatermarkStatus(true, 1);
    deepEqual(out, ['wm:4', 'wm:8', 'idle']);
    v.inputWatermark(20, 1); // ignored while the valve is idle
    deepEqual(out, ['wm:4', 'wm:8', 'idle']);
  });

  it('all idle flushes the maximum even when it is ahead of the last output', () => {
    const { v, out } = valve(2);
    v.inputWatermark(3, 0);
    v.inputWatermark(9, 1);
    v.inputWatermarkStatus(true, 1);
    v.inputWatermarkStatus(true, 0);
    deepEqual(out, ['wm:3', 'wm:9', 'idle']);
  });

  it('a returning laggard does not pull the watermark back; it re-aligns once caught up', () => {
    const { v, out } = valve(2);
    v.inputWatermark(2, 0);
    v.inputWatermark(2, 1);
    v.inputWatermarkStatus(true, 0);
    v.inputWatermark(10, 1);
    deepEqual(out, ['wm:2', 'wm:10']);
    v.inputWatermarkStatus(false, 0); // back, but at 2 < 10: not aligned
    v.inputWatermark(15, 1);
    deepEqual(out, ['wm:2', 'wm:10', 'wm:15'], 'the unaligned channel does not hold the output back');
    v.inputWatermark(12, 0); // catching up but still behind the last output (15): stays unaligned
    v.inputWatermark(20, 1);
    deepEqual(out, ['wm:2', 'wm:10', 'wm:15', 'wm:20']);
    v.inputWatermark(21, 0); // >= last output: aligned again
    v.inputWatermark(30, 1);
    deepEqual(out, ['wm:2', 'wm:10', 'wm:15', 'wm:20', 'wm:21']);
  });

  it('an idle valve becomes active again when a channel resumes', () => {
    const { v, out } = valve(1);
    v.inputWatermark(1, 0);
    v.inputWatermarkStatus(true, 0);
    v.inputWatermarkStatus(false, 0);
    v.inputWatermark(5, 0);
    deepEqual(out, ['wm:1', 'idle', 'active', 'wm:5']);
  });
});
