/**
 * A worker as seen from the thread that spawned it (`Platform.spawnWorker`), and the failure bookkeeping the
 * runtime-specific implementations (node-worker.ts, web-worker.ts) share.
 */
import { MessageFanout, type MessageEndpointLike, type Unsubscribe } from './message-endpoint.ts';

/**
 * Failure contract, the same in every runtime: the first uncaught error in the worker (at load or later), a module
 * that fails to load, a message that cannot be deserialized, or an exit the parent did not ask for (Node) is
 * reported once, as a WorkerCrashError, to every onError listener — including listeners added after the fact —
 * and the worker is terminated. A worker stopped with `terminate()` never reports an error.
 */
export interface WorkerHandle extends MessageEndpointLike {
  /** The module the worker runs. */
  readonly url: URL;
  onError(listener: (error: WorkerCrashError) => void): Unsubscribe;
  /** Stops the worker and resolves once it is gone; idempotent. Messages posted afterwards are dropped. */
  terminate(): Promise<void>;
}

/** A worker died or could not start. `cause` is the worker's own error when the runtime hands it over (Node). */
export class WorkerCrashError extends Error {
  override name = 'WorkerCrashError';
  constructor(
    readonly workerUrl: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Worker ${workerUrl} failed: ${detail}`, options);
  }
}

/** Incoming messages plus the report-once failure latch of one worker. */
export class WorkerEvents {
  readonly messages = new MessageFanout();
  private readonly errorListeners = new Set<(error: WorkerCrashError) => void>();
  private failure: WorkerCrashError | undefined;
  private stopped = false;

  /** Records the failure and tells the listeners; false (and nothing happens) if already failed or terminated. */
  fail(error: WorkerCrashError): boolean {
    if (this.stopped) return false;
    this.stopped = true;
    this.failure = error;
    for (const listener of [...this.errorListeners]) listener(error);
    this.errorListeners.clear();
    return true;
  }

  /** The parent asked for termination: later failures (the exit it causes) are not errors. */
  stop(): void {
    this.stopped = true;
    this.errorListeners.clear();
  }

  onError(listener: (error: WorkerCrashError) => void): Unsubscribe {
    const failure = this.failure;
    if (failure !== undefined) {
      let subscribed = true;
      queueMicrotask(() => {
        if (subscribed) listener(failure);
      });
      return () => {
        subscribed = false;
      };
    }
    if (this.stopped) return () => {};
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }
}
