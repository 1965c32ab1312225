/**
 * One attempt of a workers job, seen from the host (worker-job.ts runs one per start and restart): spawns the
 * workers, creates a MessageChannel per cross-worker channel and moves each end to its worker, deploys (every worker
 * rebuilds the graph and checks the fingerprint), runs, and fans the checkpoint coordinator's calls out to the
 * workers. A failed attempt is never repaired: all its workers are terminated and the next attempt starts fresh,
 * from the latest completed checkpoint (SEMANTICS.md §6 "restart all tasks").
 */
import type { Platform } from '../../platform/platform.ts';
import type { Unsubscribe } from '../../platform/message-endpoint.ts';
import { WorkerCrashError } from '../../platform/worker-handle.ts';
import type { PhysicalPlan } from '../../graph/physical-plan.ts';
import type { SubtaskSnapshot } from '../checkpoint/subtask-snapshot.ts';
import { withTransfer, type Control } from './control-plane.ts';
import type { JobWorkerApi, PortableEnvironmentOptions } from './job.worker.ts';
import { remoteChannels, subtasksOn } from './placement.ts';
import type { WorkerCheckpointSpec } from './worker-checkpoints.ts';
import { freshWorkers, type JobWorker, type WorkerSource } from './worker-pool.ts';

export interface WorkerAttemptOptions {
  readonly platform: Platform;
  readonly moduleUrl: string;
  readonly fingerprint: string;
  readonly plan: PhysicalPlan;
  readonly workers: number;
  readonly environment: PortableEnvironmentOptions;
  readonly collect: boolean;
  /** Where the workers come from and go back to (default: fresh ones, terminated at the end). */
  readonly pool?: WorkerSource;
}

export class WorkerAttempt {
  readonly controls: Control<JobWorkerApi>[] = [];
  /** Rejects with the first worker crash, reworded to name the subtasks that died with it. */
  readonly crashed: Promise<never>;
  /** Subtasks deployed over all workers: the acks a checkpoint needs. */
  subtaskCount = 0;
  deployed = false;
  private readonly workers: JobWorker[];
  private readonly unsubscribes: Unsubscribe[] = [];
  private released = false;

  constructor(private readonly options: WorkerAttemptOptions) {
    this.workers = (options.pool ?? freshWorkers).acquire(options.platform, options.workers);
    this.crashed = new Promise<never>((_, reject) => {
      this.workers.forEach(({ handle, control }, w) => {
        this.unsubscribes.push(handle.onError((error) => reject(this.crashOf(w, error))));
        this.controls.push(control);
      });
    });
    this.crashed.catch(() => {}); // raced wherever the attempt waits on its workers
  }

  /** Deploys on every worker; rejects with the first deploy error or crash. */
  async deploy(checkpointing: WorkerCheckpointSpec | undefined): Promise<void> {
    const { plan, workers } = this.options;
    const ports: Record<string, MessagePort>[] = this.controls.map(() => ({}));
    for (const channel of remoteChannels(plan, workers)) {
      const { port1, port2 } = new MessageChannel();
      (ports[channel.fromWorker] as Record<string, MessagePort>)[channel.key] = port1;
      (ports[channel.toWorker] as Record<string, MessagePort>)[channel.key] = port2;
    }
    const deployed = this.controls.map((control, worker) => {
      const own = ports[worker] as Record<string, MessagePort>;
      const { moduleUrl, fingerprint, environment, collect } = this.options;
      const spec = { moduleUrl, fingerprint, worker, workers, environment, collect, ports: own, checkpointing };
      return control.deploy(withTransfer(spec, Object.values(own)));
    });
    const counts = await Promise.race([Promise.all(deployed), this.crashed]);
    this.subtaskCount = counts.reduce((sum, n) => sum + n, 0);
    this.deployed = true;
  }

  /** Resolves with every worker's collected batches once all finished; rejects with the first failure. */
  run(): Promise<ArrayBuffer[][]> {
    return Promise.race([Promise.all(this.controls.map((control) => control.run())), this.crashed]);
  }

  /** Every worker's collected batches since the last call (job.worker.ts takeCollected); empty when none. */
  takeCollected(): Promise<ArrayBuffer[][]> {
    return Promise.race([Promise.all(this.controls.map((control) => control.takeCollected())), this.crashed]);
  }

  /**
   * Announces checkpoint `id` to every worker and hands each snapshot to `acknowledge` as a worker's reply comes.
   * A worker that dies meanwhile fails the attempt through `crashed`; its missing acks let the checkpoint expire.
   * `suspend`: the sources stop after this barrier (stop-with-savepoint).
   */
  triggerCheckpoint(id: number, acknowledge: (snapshot: SubtaskSnapshot) => void, suspend = false): void {
    for (const control of this.controls) {
      control.triggerCheckpoint(id, suspend).then(
        (snapshots) => snapshots.forEach(acknowledge),
        () => {},
      );
    }
  }

  notifyCheckpointComplete(id: number): void {
    for (const control of this.controls) control.notifyCheckpointComplete(id).catch(() => {});
  }

  /** Every subtask's final state (after run() resolved): the committables still to commit at the end. */
  async finalSnapshots(): Promise<SubtaskSnapshot[]> {
    const all = await Promise.race([Promise.all(this.controls.map((c) => c.finalSnapshots())), this.crashed]);
    return all.flat();
  }

  async stopSources(request: 'drain' | undefined): Promise<void> {
    await Promise.race([Promise.all(this.controls.map((c) => c.stopSources(request))), this.crashed]);
  }

  /** Cancels every worker's scheduler (their run() rejects with a JobCancelledError). */
  cancel(): void {
    for (const control of this.controls) control.cancel().catch(() => {});
  }

  /** @internal Test hook: worker `w` throws an uncaught error, so the attempt fails with a real WorkerCrashError. */
  injectCrash(w: number): void {
    const control = this.controls[w];
    if (!control) throw new RangeError(`injectWorkerCrash: no worker ${w} (the job has ${this.controls.length})`);
    control.crash().catch(() => {});
  }

  /** Ends the attempt after a failure or a cancel: its workers are terminated. Idempotent. */
  terminate(): Promise<void> {
    return this.release(false);
  }

  /** Ends an attempt that finished: a pool keeps its workers for the next job, otherwise they are terminated. */
  finish(): Promise<void> {
    return this.release(true);
  }

  private async release(reusable: boolean): Promise<void> {
    if (this.released) return;
    this.released = true;
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    await (this.options.pool ?? freshWorkers).release(this.workers, reusable);
  }

  /** The crash of worker `w`, reworded to say which subtasks died with it (the original is the cause). */
  private crashOf(w: number, error: WorkerCrashError): WorkerCrashError {
    const { plan, workers } = this.options;
    const detail = error.message.replace(`Worker ${error.workerUrl} failed: `, '');
    const running = subtasksOn(plan, w, workers).join(', ');
    return new WorkerCrashError(error.workerUrl, `worker ${w + 1}/${workers} running ${running}: ${detail}`, {
      cause: error,
    });
  }
}
