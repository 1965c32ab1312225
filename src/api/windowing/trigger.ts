/**
 * The public trigger interface (Flink Trigger): decides, per key and window, when a window is evaluated and
 * when its contents are purged. Triggers keep per-(key, window) state through the context and register timers.
 */
import type { Window } from './windows.ts';

/** CONTINUE: nothing; FIRE: emit, keep contents; PURGE: drop contents; FIRE_AND_PURGE: emit then drop. */
export const TriggerResult = {
  CONTINUE: 'CONTINUE',
  FIRE: 'FIRE',
  PURGE: 'PURGE',
  FIRE_AND_PURGE: 'FIRE_AND_PURGE',
} as const;
export type TriggerResult = (typeof TriggerResult)[keyof typeof TriggerResult];

export function isFire(result: TriggerResult): boolean {
  return result === 'FIRE' || result === 'FIRE_AND_PURGE';
}

export function isPurge(result: TriggerResult): boolean {
  return result === 'PURGE' || result === 'FIRE_AND_PURGE';
}

/** Per-(key, window) state of a trigger, e.g. CountTrigger's count. */
export interface TriggerState<T> {
  value(): T | null;
  update(value: T): void;
  clear(): void;
}

export interface TriggerContext {
  getCurrentWatermark(): number;
  getCurrentProcessingTime(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  getState<T>(name: string): TriggerState<T>;
}

export interface OnMergeContext extends TriggerContext {
  /** Combines the named state of the windows being merged into the merged window's state. */
  mergeState<T>(name: string, combine: (a: T, b: T) => T): void;
}

export interface Trigger<T = unknown, W extends Window = Window> {
  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  /** Whether this trigger supports merging windows (sessions); onMerge is then required. */
  canMerge?(): boolean;
  onMerge?(window: W, ctx: OnMergeContext): void;
  /** Removes what the trigger holds for `window`: its timers and state. Called when the window is purged. */
  clear(window: W, ctx: TriggerContext): void;
}
