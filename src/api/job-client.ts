/**
 * A handle on a running job (Flink `JobClient`): its status, its result, and cancellation. Cancelling does not
 * emit the end-of-event-time watermark: pending windows stay unfired (SEMANTICS.md §2.6).
 */
import type { InlineJob, JobExecutionResult, JobStatus } from '../runtime/inline-job.ts';
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

  /** Stops the job; resolves once it has stopped (immediately if it already ended). */
  async cancel(): Promise<void> {
    this.job.cancel();
    await this.job.result.catch(() => {});
  }
}
