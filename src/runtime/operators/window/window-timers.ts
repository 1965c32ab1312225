/**
 * The window operator's timer registrations, with a per-key, per-window record of what is registered. The timer
 * service deduplicates too; this record is an accelerator: triggers re-register the same timer for every
 * element, and skipping those calls (which build a timer id and probe the service) was most of the JS path's
 * per-element cost (1.1M → 0.1M service calls for 1M events over 10k keys).
 *
 * Invariant: a time in the record is registered with the service. The record forgets a timer when it fires
 * (`forget`, from the operator's onTimer) or is deleted, so it never claims a timer the service no longer has.
 */
import type { Window } from '../../../api/windowing/windows.ts';
import type { KeyIdentity } from '../../../wasm/key-encoding.ts';
import type { InternalTimerService } from '../../timers/internal-timer-service.ts';

/** Registered timer times by window id and time domain. */
export type RegisteredTimers = Map<string, { event: number[]; processing: number[] }>;

export interface TimerOwner {
  readonly key: unknown;
  readonly keyId: KeyIdentity;
  readonly registeredTimers: RegisteredTimers;
}

export class WindowTimers {
  constructor(private readonly timers: InternalTimerService<Window>) {}

  register(owner: TimerOwner, window: Window, time: number, eventTime: boolean): void {
    let known = owner.registeredTimers.get(window.id);
    if (known === undefined) owner.registeredTimers.set(window.id, (known = { event: [], processing: [] }));
    const list = eventTime ? known.event : known.processing;
    if (list.includes(time)) return;
    list.push(time);
    if (eventTime) this.timers.registerEventTimeTimer(owner.key, owner.keyId, window, time);
    else this.timers.registerProcessingTimeTimer(owner.key, owner.keyId, window, time);
  }

  delete(owner: TimerOwner, window: Window, time: number, eventTime: boolean): void {
    this.forget(owner, window, time, eventTime);
    if (eventTime) this.timers.deleteEventTimeTimer(owner.keyId, window, time);
    else this.timers.deleteProcessingTimeTimer(owner.keyId, window, time);
  }

  /** Drops a timer from the record (it fired or was deleted). */
  forget(owner: TimerOwner, window: Window, time: number, eventTime: boolean): void {
    const known = owner.registeredTimers.get(window.id);
    if (known === undefined) return;
    const list = eventTime ? known.event : known.processing;
    const at = list.indexOf(time);
    if (at >= 0) list.splice(at, 1);
    if (known.event.length === 0 && known.processing.length === 0) owner.registeredTimers.delete(window.id);
  }
}
