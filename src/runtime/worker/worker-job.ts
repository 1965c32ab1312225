/**
 * A job running in workers (DESIGN.md §2), seen from the host: spawns the workers, creates a MessageChannel per
 * cross-worker channel and moves each end to its worker, deploys (every worker rebuilds the graph from the job
 * module and checks the fingerprint), runs, and settles. Status names are Flink's JobStatus values.
 *
 * Contract: `result` resolves once every worker reports all its subtasks finished; it rejects with the first
 * failure — an OperatorError from a worker (rebuilt by error-transfer.ts, naming operator and subtask), a
 * WorkerCrashError, or a deploy error such as a fingerprint mismatch — or with a JobCancelledError after
 * `cancel()`. Whatever the outcome, every worker is terminated before `result` settles.
 */
import type { CollectBuffer } from '../sinks/collect-buffer.ts';
import { decodeRecordBatch } from '../../batch/record-encoding.ts';
import type { PhysicalPlan } from '../../graph/physical-plan.ts';
import type { Platform } from '../../platform/platform.ts';
import { WorkerCrashError, type WorkerHandle } from '../../platform/worker-handle.ts';
import { JobCancelledError } from '../errors.ts';
import { jobMetrics, type JobMetrics } from '../metrics/job-metrics.ts';
import type { JobExecutionResult, JobStatus } from '../inline-job.ts';
import { connectControl, withTransfer, type Control } from './control-plane.ts';
import type { JobWorkerApi, PortableEnvironmentOptions } from './job.worker.ts';
import { remoteChannels, subtasksOn } from './placement.ts';

export interface WorkerJobOptions {
  readonly platform: Platform;
  readonly moduleUrl: string;
  readonly fingerprint: string;
  readonly plan: PhysicalPlan;
  readonly workers: number;
  readonly environment: PortableEnvironmentOptions;
  readonly collect: boolean;
  /** The host's collect buffers, in the order the sinks were added: filled with the workers' results, then ended. */
  readonly collectBuffers: readonly CollectBuffer<unknown>[];
}

const JOB_WORKER = new URL('./job.worker.ts', import.meta.url);

export class WorkerJob {
  readonly jobId = randomJobId();
  private currentStatus: JobStatus = 'CREATED';
  private readonly handles: WorkerHandle[] = [];
  private readonly controls: Control<JobWorkerApi>[] = [];
  /** The last metrics gathered; final once the job finished (gathered before the workers are terminated). */
  private lastMetrics: JobMetrics = jobMetrics([]);
  private cancelRequested: (error: Error) => void = () => {};
  private readonly cancelled = new Promise<never>((_, reject) => (this.cancelRequested = reject));
  readonly result: Promise<JobExecutionResult>;

  constructor(
    readonly jobName: string,
    private readonly options: WorkerJobOptions,
  ) {
    this.cancelled.catch(() => {}); // raced in run(); a cancel after the end is ignored
    this.result = this.run();
    this.result.catch(() => {}); // also observed through the handle; see InlineJob
  }

  get status(): JobStatus {
    return this.currentStatus;
  }

  /**
   * Gathers every worker's subtask metrics over the control plane while the job runs. After the end: the final
   * metrics of a finished job; after a failure or cancel, the last ones gathered (the workers are gone).
   */
  async metrics(): Promise<JobMetrics> {
    if (this.currentStatus !== 'RUNNING' || this.controls.length < this.options.workers) return this.lastMetrics;
    const gathered = await Promise.all(this.controls.map((control) => control.metrics()));
    this.lastMetrics = jobMetrics(gathered.flat());
    return this.lastMetrics;
  }

  /** Terminates the workers; `result` rejects with a JobCancelledError unless the job already ended. */
  cancel(): void {
    this.cancelRequested(new JobCancelledError(this.jobName));
  }

  private async run(): Promise<JobExecutionResult> {
    await Promise.resolve(); // let the caller hold the handle before anything runs
    const started = performance.now();
    this.currentStatus = 'RUNNING';
    try {
      const collected = await Promise.race([this.deployAndRun(), this.cancelled]);
      // Every worker finished and is idle, so this answers promptly; a crash now still settles it (control-plane.ts).
      await Promise.race([this.metrics(), this.cancelled]).catch(() => {});
      this.currentStatus = 'FINISHED';
      await this.terminate();
      this.deliver(collected);
      this.endCollectors(undefined);
      return { jobId: this.jobId, jobName: this.jobName, netRuntime: performance.now() - started };
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.currentStatus = error instanceof JobCancelledError ? 'CANCELED' : 'FAILED';
      await this.terminate();
      this.endCollectors(error);
      throw error;
    }
  }

  /** Resolves with every worker's collected batches, or rejects with the first failure of any worker. */
  private async deployAndRun(): Promise<ArrayBuffer[][]> {
    const { platform, workers, plan } = this.options;
    const controls = this.controls;
    const crashed = new Promise<never>((_, reject) => {
      for (let w = 0; w < workers; w++) {
        const handle = platform.spawnWorker(JOB_WORKER);
        this.handles.push(handle);
        handle.onError((error) => reject(this.crashOf(w, error)));
        controls.push(connectControl<JobWorkerApi>(handle));
      }
    });
    const ports: Record<string, MessagePort>[] = controls.map(() => ({}));
    for (const channel of remoteChannels(plan, workers)) {
      const { port1, port2 } = new MessageChannel();
      (ports[channel.fromWorker] as Record<string, MessagePort>)[channel.key] = port1;
      (ports[channel.toWorker] as Record<string, MessagePort>)[channel.key] = port2;
    }
    const deployed = controls.map((control, worker) => {
      const own = ports[worker] as Record<string, MessagePort>;
      const { moduleUrl, fingerprint, environment, collect } = this.options;
      const spec = { moduleUrl, fingerprint, worker, workers, environment, collect, ports: own };
      return control.deploy(withTransfer(spec, Object.values(own)));
    });
    await Promise.race([Promise.all(deployed), crashed]);
    return Promise.race([Promise.all(controls.map((control) => control.run())), crashed]);
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

  private deliver(collected: readonly ArrayBuffer[][]): void {
    for (const buffers of collected) {
      buffers.forEach((buffer, sink) => {
        const target = this.options.collectBuffers[sink];
        if (!target) throw new Error(`internal error: a worker returned results for unknown collect sink ${sink}`);
        for (const value of decodeRecordBatch(buffer).values) target.push(value);
      });
    }
  }

  private endCollectors(error: Error | undefined): void {
    for (const buffer of this.options.collectBuffers) buffer.end(error);
  }

  private async terminate(): Promise<void> {
    await Promise.all(this.handles.map((handle) => handle.terminate()));
  }
}

function randomJobId(): string {
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}
