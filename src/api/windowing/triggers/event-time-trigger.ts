import type { OnMergeContext, Trigger, TriggerContext, TriggerResult } from '../trigger.ts';
import type { Window } from '../windows.ts';

/**
 * Fires when the watermark passes the window's end (SEMANTICS.md §3.2, Flink EventTimeTrigger): a window [s, e)
 * fires once the watermark is >= e - 1. FIRE without purge; a late-but-accepted element fires immediately.
 */
export class EventTimeTrigger implements Trigger<unknown, Window> {
  private constructor() {}

  static create(): EventTimeTrigger {
    return new EventTimeTrigger();
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return 'FIRE';
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }

  onEventTime(time: number, window: Window): TriggerResult {
    return time === window.maxTimestamp() ? 'FIRE' : 'CONTINUE';
  }

  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }

  canMerge(): boolean {
    return true;
  }

  onMerge(window: Window, ctx: OnMergeContext): void {
    // Only register a timer if the watermark is not yet past the end of the merged window; otherwise the merged
    // window would fire twice (once from this timer, once from the element that caused the merge).
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(window.maxTimestamp());
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  toString(): string {
    return 'EventTimeTrigger()';
  }
}
