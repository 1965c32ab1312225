import type { Trigger, TriggerResult } from '../trigger.ts';
import type { Window } from '../windows.ts';

/** The default trigger of GlobalWindows: never fires (Flink GlobalWindows.NeverTrigger). */
export class NeverTrigger implements Trigger<unknown, Window> {
  onElement(): TriggerResult {
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
  onMerge(): void {}
  clear(): void {}
  toString(): string {
    return 'NeverTrigger()';
  }
}

/** Fires once, at the end of event time (GlobalWindows.createWithEndOfStreamTrigger). */
export class EndOfStreamTrigger implements Trigger<unknown, Window> {
  onElement(_e: unknown, _t: number, window: Window, ctx: Parameters<Trigger['onElement']>[3]): TriggerResult {
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return 'CONTINUE';
  }
  onEventTime(time: number, window: Window): TriggerResult {
    return time === window.maxTimestamp() ? 'FIRE' : 'CONTINUE';
  }
  onProcessingTime(): TriggerResult {
    return 'CONTINUE';
  }
  clear(window: Window, ctx: Parameters<Trigger['clear']>[1]): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
  toString(): string {
    return 'EndOfStreamTrigger()';
  }
}
