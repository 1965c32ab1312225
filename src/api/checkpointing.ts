/**
 * Checkpointing and restart settings (Flink's CheckpointConfig and RestartStrategies), validated where they are
 * given. Checkpointing is off by default; when on, the default mode is exactly-once (SEMANTICS.md §6).
 *
 * @example
 * env.enableCheckpointing(1000, { mode: 'exactly-once', timeoutMs: 60_000, retained: 2, storage: './checkpoints' });
 * env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 500));
 */
import type { StateBackend } from '../state/backends/state-backend.ts';
import type { CheckpointConfig } from '../runtime/checkpoint/checkpoint-coordinator.ts';
import type { CheckpointingMode } from '../runtime/checkpoint/subtask-snapshot.ts';

/**
 * Where checkpoints and savepoints live: a StateBackend (state/backends/), or a location of the host's durable
 * storage — a directory in Node and Deno, an IndexedDB database name in a browser. Default: memory, for the job.
 */
export type CheckpointStorage = StateBackend | string;

export interface CheckpointingOptions {
  /** 'exactly-once' (default): multi-input subtasks align barriers. 'at-least-once': no alignment. */
  readonly mode?: CheckpointingMode;
  /** A checkpoint not complete after this many ms is abandoned (default 600000, Flink's 10 minutes). */
  readonly timeoutMs?: number;
  /** Completed checkpoints kept in storage (default 1); keep 2 or more to fall back past a corrupt one. */
  readonly retained?: number;
  readonly storage?: CheckpointStorage;
}

export interface ResolvedCheckpointing extends CheckpointConfig {
  readonly storage: CheckpointStorage | undefined;
}

/** The shortest checkpoint interval Flink accepts (CheckpointConfig.MINIMAL_CHECKPOINT_TIME). */
export const MINIMAL_CHECKPOINT_INTERVAL = 10;

export function resolveCheckpointing(intervalMs: number, options: CheckpointingOptions = {}): ResolvedCheckpointing {
  if (!Number.isSafeInteger(intervalMs) || intervalMs < MINIMAL_CHECKPOINT_INTERVAL) {
    throw new RangeError(
      `enableCheckpointing: the interval must be an integer of at least ${MINIMAL_CHECKPOINT_INTERVAL} ms, got ${intervalMs}`,
    );
  }
  const { mode = 'exactly-once', timeoutMs = 600_000, retained = 1, storage } = options;
  if (mode !== 'exactly-once' && mode !== 'at-least-once') {
    throw new RangeError(`enableCheckpointing: mode must be 'exactly-once' or 'at-least-once', got '${String(mode)}'`);
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new RangeError(`enableCheckpointing: timeoutMs must be a positive integer, got ${timeoutMs}`);
  }
  if (!Number.isSafeInteger(retained) || retained < 1) {
    throw new RangeError(`enableCheckpointing: retained must be a positive integer, got ${retained}`);
  }
  checkStorage(storage, 'enableCheckpointing: storage');
  return { intervalMs, mode, timeoutMs, retained, storage };
}

export function checkStorage(storage: unknown, what: string): void {
  if (storage === undefined || (typeof storage === 'string' && storage.length > 0)) return;
  const backend = storage as Partial<StateBackend> | null;
  if (backend && typeof backend === 'object' && typeof backend.put === 'function' && typeof backend.get === 'function')
    return;
  throw new TypeError(`${what} must be a StateBackend or a non-empty location string`);
}

export type RestartStrategy =
  { readonly kind: 'none' } | { readonly kind: 'fixed-delay'; readonly attempts: number; readonly delayMs: number };

export const RestartStrategies = {
  /** A failure fails the job (the default without checkpointing). */
  noRestart(): RestartStrategy {
    return { kind: 'none' };
  },
  /**
   * Restarts up to `attempts` times, `delayMs` after each failure, from the latest completed checkpoint (from the
   * start without one). Flink's fixed-delay strategy.
   */
  fixedDelayRestart(attempts: number, delayMs: number): RestartStrategy {
    if (!Number.isSafeInteger(attempts) || attempts < 0) {
      throw new RangeError(`fixedDelayRestart: attempts must be a non-negative integer, got ${attempts}`);
    }
    if (!Number.isSafeInteger(delayMs) || delayMs < 0) {
      throw new RangeError(`fixedDelayRestart: delayMs must be a non-negative integer, got ${delayMs}`);
    }
    return { kind: 'fixed-delay', attempts, delayMs };
  },
};

/**
 * Restart strategy when none is set: none without checkpointing; with checkpointing a bounded fixed delay (3
 * attempts, 1 s). Flink restarts without bound by default; a notebook or test should not spin forever on a bug.
 */
export function defaultRestartStrategy(checkpointing: boolean): RestartStrategy {
  return checkpointing ? RestartStrategies.fixedDelayRestart(3, 1000) : RestartStrategies.noRestart();
}
