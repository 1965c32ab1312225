import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from '../trigger.ts';
import type { Window } from '../windows.ts';

const COUNT = 'count';

/**
 * Fires once `maxCount` elements have arrived in the window since the last firing (SEMANTICS.md §1.5, Flink
 * CountTrigger): the count is per (key, window), reset when it fires. FIRE without purge; ignores time.
 */
export class CountTrigger implements Trigger<unknown, Window> {
  private constructor(readonly maxCount: number) {}

  static of(maxCount: number): CountTrigger {
    if (!Number.isSafeInteger(maxCount) || maxCount <= 0) {
      throw new RangeError(`CountTrigger.of: maxCount must be a positive integer, got ${maxCount}`);
    }
    return new CountTrigger(maxCount);
  }

  onElement(_element: unknown, _timestamp: number, _window: Window, ctx: TriggerContext): TriggerResult {
    const count = ctx.getState<number>(COUNT);
    const next = (count.value() ?? 0) + 1;
    if (next >= this.maxCount) {
      count.clear();
      return 'FIRE';
    }
    count.update(next);
    return 'CONTINUE';
  }

  onEventTime(): TriggerResult {
    return 'CONTINUE';
  }

  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(_window: Window, ctx: OnMergeContext): void {
    ctx.mergeState<number>(COUNT, (a, b) => a + b);
  }

  clear(_window: Window, ctx: TriggerContext): void {
    ctx.getState<number>(COUNT).clear();
  }

  toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
