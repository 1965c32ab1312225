/**
 * A job running inline on the calling thread: deploys the plan, runs the scheduler, and settles its result.
 * Status names are Flink's JobStatus values.
 */
import type { PhysicalPlan } from '../graph/physical-plan.ts';
import type { Kernel } from '../wasm/kernel.ts';
import { deploy } from './deploy.ts';
import { JobCancelledError } from './errors.ts';
import { jobMetrics, type JobMetrics } from './metrics/job-metrics.ts';
import { subtaskMetrics } from './metrics/subtask-metrics.ts';
import { ProcessingTimeQueue } from './processing-time.ts';
import { Scheduler } from './scheduler.ts';
import type { Subtask } from './subtask.ts';
import type { Clock } from './time.ts';

export type JobStatus = 'CREATED' | 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELED';

export interface JobExecutionResult {
  readonly jobId: string;
  readonly jobName: string;
  /** Wall-clock milliseconds from start to finish (Flink `getNetRuntime()`). */
  readonly netRuntime: number;
}

export interface InlineJobOptions {
  readonly kernel: Kernel;
  readonly clock: Clock;
  readonly batchSize: number;
  readonly channelCapacity: number;
  readonly writeLine: (line: string) => void;
  /** Told once when the job ends, with the error when it failed or was cancelled (collect sinks end here). */
  readonly onTerminate: (error: Error | undefined) => void;
}

export class InlineJob {
  readonly jobId = randomJobId();
  private currentStatus: JobStatus = 'CREATED';
  private readonly scheduler: Scheduler;
  private readonly subtasks: Subtask[];
  readonly result: Promise<JobExecutionResult>;

  constructor(
    readonly jobName: string,
    plan: PhysicalPlan,
    private readonly options: InlineJobOptions,
  ) {
    const timers = new ProcessingTimeQueue(options.clock);
    this.subtasks = deploy(plan, { ...options, timers });
    this.scheduler = new Scheduler(this.subtasks, timers, options.clock, { budget: 4096, sliceMs: 8 });
    this.result = this.run();
    // The result is also observed through JobClient; avoid an unhandled rejection when only status is read.
    this.result.catch(() => {});
  }

  get status(): JobStatus {
    return this.currentStatus;
  }

  /** Every subtask's metrics now (SEMANTICS.md §8); after the end, their final values. */
  metrics(): JobMetrics {
    const processingTime = this.options.clock.now();
    return jobMetrics(this.subtasks.map((subtask) => subtaskMetrics(subtask, processingTime)));
  }

  cancel(): void {
    if (this.currentStatus === 'CREATED' || this.currentStatus === 'RUNNING') this.scheduler.cancel();
  }

  private async run(): Promise<JobExecutionResult> {
    await Promise.resolve(); // let the caller hold the client before anything runs
    const started = performance.now();
    this.currentStatus = 'RUNNING';
    let error: Error | undefined;
    try {
      const outcome = await this.scheduler.run();
      if (outcome === 'cancelled') error = new JobCancelledError(this.jobName);
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    if (error) {
      for (const subtask of this.subtasks) if (!subtask.finished) subtask.abort();
      this.currentStatus = error instanceof JobCancelledError ? 'CANCELED' : 'FAILED';
      this.options.onTerminate(error);
      throw error;
    }
    this.currentStatus = 'FINISHED';
    this.options.onTerminate(undefined);
    return { jobId: this.jobId, jobName: this.jobName, netRuntime: performance.now() - started };
  }
}

function randomJobId(): string {
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}
