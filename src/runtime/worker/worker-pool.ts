/**
 * Where a workers job gets its workers. By default every attempt spawns fresh ones and terminates them at its end.
 * A WorkerPool (public API) keeps the workers of a job that finished and hands them to the next job, as a Flink
 * session cluster keeps its TaskManagers: no start-up (loading the engine, and under Node tsx, takes 0.5–1 s per
 * worker), and code the JIT already compiled.
 *
 * A worker goes back to the pool only after a job that finished: it then forgets that job (job.worker.ts `reset`)
 * and closes its channels' ports. After a failure, a cancel or a crash its workers are terminated, never reused.
 * A job module is evaluated once per worker, as it is once on the host: module-level state lives as long as the
 * worker (a job's state lives in operators and is not shared).
 */
import { currentPlatform } from '../../platform/index.ts';
import type { Platform } from '../../platform/platform.ts';
import type { WorkerHandle } from '../../platform/worker-handle.ts';
import { connectControl, type Control } from './control-plane.ts';
import type { JobWorkerApi } from './job.worker.ts';

const JOB_WORKER = new URL('./job.worker.ts', import.meta.url);

/** A worker of workers mode and the control plane to it (one per worker: it listens to the worker's messages). */
export interface JobWorker {
  readonly handle: WorkerHandle;
  readonly control: Control<JobWorkerApi>;
}

/** Hands workers to a job's attempts and takes them back. */
export interface WorkerSource {
  acquire(platform: Platform, count: number): JobWorker[];
  /** Takes back the workers of an attempt: kept for the next job when `reusable` (it finished), else terminated. */
  release(workers: readonly JobWorker[], reusable: boolean): Promise<void>;
}

function spawn(platform: Platform): JobWorker {
  const handle = platform.spawnWorker(JOB_WORKER);
  return { handle, control: connectControl<JobWorkerApi>(handle) };
}

async function terminate(workers: readonly JobWorker[]): Promise<void> {
  await Promise.all(workers.map((worker) => worker.handle.terminate()));
}

/** The default: fresh workers for every attempt, terminated at its end. */
export const freshWorkers: WorkerSource = {
  acquire: (platform, count) => Array.from({ length: count }, () => spawn(platform)),
  release: (workers) => terminate(workers),
};

export interface WorkerPoolOptions {
  /** Host services (detected when omitted); a job run on the pool spawns its workers with its own platform. */
  readonly platform?: Platform;
}

/**
 * Workers kept warm between jobs: pass it as `pool` to `executeAsync` / `executeAndCollectAsync` of a defineJob
 * job in workers mode. Jobs may share it one after another or at the same time (each takes the idle workers it
 * needs and spawns the rest). Idle workers keep a Node or Deno process alive: `close()` the pool when done.
 */
export class WorkerPool implements WorkerSource {
  private readonly idleWorkers: JobWorker[] = [];
  /** Drops an idle worker from the pool should it die while it waits. */
  private readonly idleWatches = new Map<JobWorker, () => void>();
  private spawnedCount = 0;
  private closed = false;

  private constructor(private readonly platform: Platform | undefined) {}

  static create(options: WorkerPoolOptions = {}): WorkerPool {
    return new WorkerPool(options.platform);
  }

  /** Workers this pool has started so far. */
  get spawned(): number {
    return this.spawnedCount;
  }

  /** Workers waiting for a job. */
  get idle(): number {
    return this.idleWorkers.length;
  }

  /**
   * Starts `count` workers now, so that the first job finds them loaded: they are warm once they have run a job.
   * Resolves once each has loaded the engine.
   */
  async prestart(count: number): Promise<void> {
    const workers = this.acquire(this.platform ?? (await currentPlatform()), count);
    await this.release(workers, true);
  }

  /** @internal */
  acquire(platform: Platform, count: number): JobWorker[] {
    if (this.closed) throw new Error('this WorkerPool is closed');
    const taken = this.idleWorkers.splice(0, count);
    for (const worker of taken) this.unwatch(worker);
    while (taken.length < count) {
      taken.push(spawn(platform));
      this.spawnedCount++;
    }
    return taken;
  }

  /** @internal */
  async release(workers: readonly JobWorker[], reusable: boolean): Promise<void> {
    if (!reusable || this.closed) return terminate(workers);
    await Promise.all(
      workers.map(async (worker) => {
        // A dead worker never answers: its failure, reported now or already, ends the wait.
        let stopWatching = (): void => {};
        const died = new Promise<never>((_, reject) => (stopWatching = worker.handle.onError(reject)));
        try {
          await Promise.race([worker.control.reset(), died]);
        } catch {
          await worker.handle.terminate(); // it crashed, or still held a job
          return;
        } finally {
          stopWatching();
        }
        if (this.closed) {
          await worker.handle.terminate();
          return;
        }
        this.idleWorkers.push(worker);
        const unsubscribe = worker.handle.onError(() => {
          this.unwatch(worker);
          const at = this.idleWorkers.indexOf(worker);
          if (at >= 0) this.idleWorkers.splice(at, 1);
        });
        this.idleWatches.set(worker, unsubscribe);
      }),
    );
  }

  private unwatch(worker: JobWorker): void {
    this.idleWatches.get(worker)?.();
    this.idleWatches.delete(worker);
  }

  /** Terminates the idle workers; workers running a job are terminated when it ends. Jobs can no longer start. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idleWorkers.splice(0);
    for (const worker of idle) this.unwatch(worker);
    await terminate(idle);
  }
}
