/**
 * A handle on a running job (Flink `JobClient`): its status, its result, and cancellation. Cancelling does not
 * emit the end-of-event-time watermark: pending windows stay unfired (SEMANTICS.md §2.6).
 */
import type { CompletedCheckpoint } from '../runtime/checkpoint/checkpoint-coordinator.ts';
import type { RestoreReport } from '../runtime/checkpoint/job-recovery.ts';
import type { InlineJob, JobExecutionResult, JobStatus, StopOptions } from '../runtime/inline-job.ts';
import type { JobTimestamps } from '../runtime/job-timeline.ts';
import type { JobMetrics } from '../runtime/metrics/job-metrics.ts';

export class JobClient {
  /** @internal */
  constructor(private readonly job: InlineJob) {}

  get jobId(): string {
    return this.job.jobId;
  }

  get jobName(): string {
    return this.job.jobName;
  }

  /** CREATED, RUNNING, FINISHED, FAILED or CANCELED. */
  get status(): JobStatus {
    return this.job.status;
  }

  /**
   * When the job was created, became RUNNING, had every subtask deployed and opened, and ended (JobTimestamps):
   * `ended - tasksRunning` is the processing time, deployment excluded.
   */
  get timestamps(): JobTimestamps {
    return this.job.timestamps;
  }

  /** Resolves when the job finishes; rejects with the failure (an OperatorError) or a JobCancelledError. */
  get result(): Promise<JobExecutionResult> {
    return this.job.result;
  }

  getJobStatus(): Promise<JobStatus> {
    return Promise.resolve(this.job.status);
  }

  getJobExecutionResult(): Promise<JobExecutionResult> {
    return this.job.result;
  }

  /**
   * Per-subtask and per-vertex metrics (SEMANTICS.md §8: records in/out and rates, busy/idle/back-pressured ms per
   * second, back-pressure status, input watermark and lag, queued input): live while the job runs, final after.
   */
  metrics(): Promise<JobMetrics> {
    return Promise.resolve(this.job.metrics());
  }

  /** Takes a savepoint of the running job (SEMANTICS.md §6); resolves once it is written. Commits no side effects. */
  triggerSavepoint(): Promise<CompletedCheckpoint> {
    return this.job.triggerSavepoint();
  }

  /**
   * Takes a savepoint and stops the job, which then ends FINISHED; with `drain` the input ends first (MAX watermark:
   * every window fires). Two-phase-commit sinks commit what the savepoint holds.
   */
  stopWithSavepoint(options?: StopOptions): Promise<CompletedCheckpoint> {
    return this.job.stopWithSavepoint(options);
  }

  /** Where the job restored from, the checkpoints it skipped as corrupt, and its restarts. */
  get restoreReport(): RestoreReport | undefined {
    return this.job.restoreReport;
  }

  /** Checkpoints and savepoints completed and still kept, oldest first. */
  get completedCheckpoints(): readonly CompletedCheckpoint[] {
    return this.job.completedCheckpoints;
  }

  /** Why checkpoints failed (expired, or a storage error), oldest first; they do not fail the job. */
  get failedCheckpoints(): readonly Error[] {
    return this.job.failedCheckpoints;
  }

  /** Stops the job; resolves once it has stopped (immediately if it already ended). */
  async cancel(): Promise<void> {
    this.job.cancel();
    await this.job.result.catch(() => {});
  }
}
