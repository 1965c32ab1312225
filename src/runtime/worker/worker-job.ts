/**
 * A job running in workers (DESIGN.md §2), seen from the host: runs attempts (worker-attempt.ts) and settles.
 * Status names are Flink's JobStatus values.
 *
 * Contract: `result` resolves once every worker reports all its subtasks finished; it rejects with the first
 * failure — an OperatorError from a worker (rebuilt by error-transfer.ts, naming operator and subtask), a
 * WorkerCrashError, or a deploy error such as a fingerprint mismatch — or with a JobCancelledError after
 * `cancel()`. Whatever the outcome, every worker is terminated before `result` settles.
 *
 * With checkpointing (SEMANTICS.md §6) the host owns the job's one checkpoint coordinator and its committers
 * (JobRecovery, as InlineJob does): each attempt deploys fresh workers restored from the latest completed
 * checkpoint; a failure terminates every worker and the restart strategy decides whether another attempt starts.
 * Collected records then reach the host through the collect sink's committer (on checkpoint completion, and from
 * the final snapshots at the end), never through the workers' own buffers, which stay empty.
 */
import type { CollectBuffer } from '../sinks/collect-buffer.ts';
import { decodeRecordBatch } from '../../batch/record-encoding.ts';
import { committablesOf, type CompletedCheckpoint } from '../checkpoint/checkpoint-coordinator.ts';
import type { LoadedCheckpoint } from '../checkpoint/checkpoint-restore.ts';
import { JobRecovery, type RecoverySettings, type RestoreReport } from '../checkpoint/job-recovery.ts';
import { JobCancelledError } from '../errors.ts';
import { jobMetrics, type JobMetrics } from '../metrics/job-metrics.ts';
import type { JobExecutionResult, JobStatus, StopOptions } from '../inline-job.ts';
import { JobTimeline, type JobTimestamps } from '../job-timeline.ts';
import { WorkerAttempt, type WorkerAttemptOptions } from './worker-attempt.ts';

/** How often the host takes the workers' collected records while a job without checkpointing runs. */
const STREAM_INTERVAL_MS = 50;

export interface WorkerJobOptions extends WorkerAttemptOptions {
  /** The host's collect buffers, in the order the sinks were added: filled with the workers' results, then ended. */
  readonly collectBuffers: readonly CollectBuffer<unknown>[];
  readonly recovery: RecoverySettings;
}

interface Stopping {
  readonly drain: boolean;
  /** Set once the savepoint of a suspending stop is written: the attempt's cancel then ends the job FINISHED. */
  suspended: boolean;
  done(savepoint: CompletedCheckpoint): void;
  fail(error: Error): void;
}

export class WorkerJob {
  readonly jobId = randomJobId();
  private currentStatus: JobStatus = 'CREATED';
  private readonly timeline = new JobTimeline();
  private current: WorkerAttempt | undefined;
  private recovery: JobRecovery | undefined;
  private stopping: Stopping | undefined;
  /** The next checkpoint announced is the savepoint of a suspending stop: its barrier stops the sources. */
  private suspendNext = false;
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

  /** See JobTimestamps: `tasksRunning` is when every worker had deployed, just before the host starts them. */
  get timestamps(): JobTimestamps {
    return this.timeline.timestamps;
  }

  /** Where the job restored from, the checkpoints it skipped, and how often it restarted. */
  get restoreReport(): RestoreReport | undefined {
    return this.recovery?.report;
  }

  /** The checkpoints and savepoints this job completed and still keeps. */
  get completedCheckpoints(): readonly CompletedCheckpoint[] {
    return this.recovery?.coordinator.completedCheckpoints ?? [];
  }

  /**
   * Gathers every worker's subtask metrics over the control plane while the job runs. After the end: the final
   * metrics of a finished job; after a failure or cancel, the last ones gathered (the workers are gone).
   */
  async metrics(): Promise<JobMetrics> {
    const attempt = this.current;
    if (this.currentStatus !== 'RUNNING' || !attempt?.deployed) return this.lastMetrics;
    const gathered = await Promise.race([Promise.all(attempt.controls.map((c) => c.metrics())), attempt.crashed]);
    this.lastMetrics = jobMetrics(gathered.flat());
    return this.lastMetrics;
  }

  /** Terminates the workers; `result` rejects with a JobCancelledError unless the job already ended. */
  cancel(): void {
    this.cancelRequested(new JobCancelledError(this.jobName));
  }

  /** See InlineJob#triggerSavepoint. */
  async triggerSavepoint(): Promise<CompletedCheckpoint> {
    const { recovery } = await this.running('triggerSavepoint');
    return recovery.coordinator.trigger('savepoint', false);
  }

  /** See InlineJob#stopWithSavepoint. */
  async stopWithSavepoint(options: StopOptions = {}): Promise<CompletedCheckpoint> {
    await this.running('stopWithSavepoint');
    if (this.stopping) throw new Error('stopWithSavepoint: the job is already stopping');
    return new Promise<CompletedCheckpoint>((done, fail) => {
      this.stopping = { drain: options.drain === true, suspended: false, done, fail };
      this.requestStop();
    });
  }

  /**
   * @internal Test hook: worker `workerIndex` of the running attempt dies of an uncaught error, so the job sees a
   * WorkerCrashError exactly as after a real crash (and restarts when its strategy allows).
   */
  injectWorkerCrash(workerIndex: number): void {
    const attempt = this.current;
    if (this.currentStatus !== 'RUNNING' || !attempt?.deployed)
      throw new Error(`injectWorkerCrash: the job is not running (${this.currentStatus})`);
    attempt.injectCrash(workerIndex);
  }

  private async running(api: string): Promise<{ recovery: JobRecovery; attempt: WorkerAttempt }> {
    const starting = (): boolean =>
      this.currentStatus === 'CREATED' ||
      this.currentStatus === 'RESTARTING' ||
      (this.currentStatus === 'RUNNING' && !this.current?.deployed);
    while (starting()) await new Promise((resolve) => setTimeout(resolve, 1));
    const { recovery, current } = this;
    if (this.currentStatus !== 'RUNNING' || !recovery || !current)
      throw new Error(`${api}: the job is not running (${this.currentStatus})`);
    return { recovery, attempt: current };
  }

  private async run(): Promise<JobExecutionResult> {
    await Promise.resolve(); // let the caller hold the handle before anything runs
    const started = performance.now();
    this.currentStatus = 'RUNNING';
    this.timeline.mark('running');
    try {
      const { plan, recovery: settings, platform } = this.options;
      const recovery = await JobRecovery.create(plan, settings, platform, this.jobName);
      this.recovery = recovery;
      const initial = await Promise.race([recovery.initialState(), this.cancelled]);
      let restore = initial;
      let collected: ArrayBuffer[][];
      for (let attempt = 0; ; attempt++) {
        try {
          collected = await Promise.race([this.attempt(recovery, restore, attempt), this.cancelled]);
          break;
        } catch (err) {
          const failure = toError(err);
          await this.abortAttempt(recovery, failure);
          if (
            failure instanceof JobCancelledError ||
            this.stopping ||
            (failure as { deployFailure?: boolean }).deployFailure
          )
            throw failure;
          this.currentStatus = 'RESTARTING';
          await Promise.race([recovery.beforeRestart(failure), this.cancelled]);
          restore = await Promise.race([recovery.restartState(initial), this.cancelled]);
          this.currentStatus = 'RUNNING';
        }
      }
      this.currentStatus = 'FINISHED';
      this.timeline.mark('ended');
      await this.current?.finish();
      this.deliver(collected);
      this.endCollectors(undefined);
      return { jobId: this.jobId, jobName: this.jobName, netRuntime: performance.now() - started };
    } catch (err) {
      const error = toError(err);
      this.stopping?.fail(error);
      this.currentStatus = error instanceof JobCancelledError ? 'CANCELED' : 'FAILED';
      this.timeline.mark('ended');
      if (this.recovery) this.recovery.coordinator.detach(error.message);
      await this.current?.terminate();
      this.endCollectors(error);
      throw error;
    }
  }

  /** Deploys fresh workers, runs them to the end, commits the final committables; throws the attempt's failure. */
  private async attempt(
    recovery: JobRecovery,
    restore: LoadedCheckpoint | undefined,
    attempt: number,
  ): Promise<ArrayBuffer[][]> {
    let current: WorkerAttempt;
    try {
      current = new WorkerAttempt(this.options);
    } catch (err) {
      throw Object.assign(toError(err), { deployFailure: true }); // e.g. a closed WorkerPool: no retry helps
    }
    this.current = current;
    const checkpointing = recovery.settings.checkpointing;
    try {
      // Always wired, as inline: savepoints, and two-phase-commit sinks committing at the end.
      await current.deploy({
        enabled: checkpointing !== undefined,
        mode: checkpointing?.mode ?? 'exactly-once',
        restore,
      });
    } catch (err) {
      // A job that cannot even be deployed (a fingerprint mismatch, a failing build) is not restarted.
      throw attempt === 0 ? Object.assign(toError(err), { deployFailure: true }) : err;
    }
    const coordinator = recovery.coordinator;
    coordinator.attach(
      {
        announce: (id) => {
          const suspend = this.suspendNext; // set by the stop's savepoint just before its announce
          this.suspendNext = false;
          current.triggerCheckpoint(id, (snapshot) => coordinator.acknowledge(snapshot), suspend);
        },
        notifyComplete: (id) => current.notifyCheckpointComplete(id),
      },
      current.subtaskCount,
      checkpointing !== undefined,
    );
    if (this.stopping) this.requestStop();
    let collected: ArrayBuffer[][];
    try {
      this.timeline.mark('tasksRunning');
      collected = await (checkpointing === undefined ? this.runStreaming(current) : current.run());
    } catch (err) {
      // Stopped after the savepoint (suspend): pending windows stay in it, as after a cancel (InlineJob).
      if (this.stopping?.suspended) {
        coordinator.detach('the job stopped with a savepoint'); // stops the periodic trigger
        return [];
      }
      throw err;
    }
    if (this.stopping?.drain) {
      // Every subtask has finished: the savepoint holds their final state and commits it.
      this.stopping.done(await coordinator.trigger('savepoint', true));
    }
    const finals = await current.finalSnapshots();
    await coordinator.settled(); // a checkpoint being written completes (and commits) before the job does
    await coordinator.commitPending(committablesOf(finals));
    coordinator.detach('the job finished');
    // Every worker finished and is idle, so this answers promptly.
    await this.metrics().catch(() => {});
    return collected;
  }

  /**
   * Runs the attempt, handing collected records to the caller as the workers gather them rather than only at the
   * end (without checkpointing; with it they arrive as checkpoints commit them). As inline, a restart without
   * checkpoints may then deliver records again. Resolves with what the workers still held at the end, after every
   * record taken before it was delivered, so each worker's records keep their order.
   */
  private async runStreaming(attempt: WorkerAttempt): Promise<ArrayBuffer[][]> {
    const finished = attempt.run();
    if (this.options.collectBuffers.length === 0) return finished;
    let done = false;
    const settled = finished.then(
      () => void (done = true),
      () => void (done = true),
    );
    const streaming = (async () => {
      for (;;) {
        await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, STREAM_INTERVAL_MS))]);
        if (done) return;
        this.deliver(await attempt.takeCollected());
      }
    })();
    try {
      return await finished;
    } finally {
      await streaming.catch(() => {}); // a crash fails `finished` too
    }
  }

  /** Stop-with-savepoint: drain ends the sources' input; otherwise a savepoint, after which the job stops. */
  private requestStop(): void {
    const { stopping, recovery, current } = this;
    if (!stopping || !recovery || !current?.deployed) return;
    if (stopping.drain) {
      current.stopSources('drain').catch(() => {}); // a crash fails the attempt, and so the stop
      return;
    }
    void this.suspendingSavepoint(recovery).then(
      (savepoint) => {
        stopping.suspended = true;
        stopping.done(savepoint);
        current.cancel();
      },
      (err: unknown) => {
        this.stopping = undefined;
        stopping.fail(toError(err));
      },
    );
  }

  /**
   * Triggers the stop's savepoint (after a periodic checkpoint still in progress: the coordinator queues it); its
   * announce, and only its, tells the sources to suspend after injecting the barrier.
   */
  private suspendingSavepoint(recovery: JobRecovery): Promise<CompletedCheckpoint> {
    return recovery.coordinator.trigger('savepoint', true, () => (this.suspendNext = true));
  }

  private async abortAttempt(recovery: JobRecovery, failure: Error): Promise<void> {
    recovery.coordinator.detach(failure.message);
    await this.current?.terminate();
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
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function randomJobId(): string {
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}
