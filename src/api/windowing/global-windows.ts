/**
 * GlobalWindows (SEMANTICS.md §1.5): every element of a key in the one GlobalWindow, whose max timestamp is the
 * end of event time. The default trigger never fires; no element is ever late; no cleanup timer is registered.
 */
import type { Trigger } from './trigger.ts';
import { EndOfStreamTrigger, NeverTrigger } from './triggers/never-trigger.ts';
import type { WindowAssigner } from './window-assigner.ts';
import { GlobalWindow } from './windows.ts';

export class GlobalWindows implements WindowAssigner<unknown, GlobalWindow> {
  private constructor(private readonly endOfStream: boolean) {}

  static create(): GlobalWindows {
    return new GlobalWindows(false);
  }

  /** Fires once with everything when event time ends (a bounded input finishes). */
  static createWithEndOfStreamTrigger(): GlobalWindows {
    return new GlobalWindows(true);
  }

  assignWindows(): GlobalWindow[] {
    return [GlobalWindow.INSTANCE];
  }

  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return this.endOfStream ? new EndOfStreamTrigger() : new NeverTrigger();
  }

  isEventTime(): boolean {
    return false;
  }

  describe(): string {
    return this.endOfStream ? 'GlobalWindows(endOfStream)' : 'GlobalWindows()';
  }
}
