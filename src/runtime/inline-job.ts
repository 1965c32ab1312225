/**
 * A job running inline on the calling thread: deploys the plan, runs the scheduler, and settles its result.
 * Status names are Flink's JobStatus values.
 *
 * With checkpointing (SEMANTICS.md §6) each attempt — the first run and every restart — deploys fresh subtasks,
 * restored from the latest completed checkpoint, and attaches them to the job's one checkpoint coordinator. A
 * failure aborts the attempt; the restart strategy decides whether another one starts.
 */
import { wireBuffers } from '../batch/buffer-pool.ts';
import type { PhysicalPlan } from '../graph/physical-plan.ts';
import type { Platform } from '../platform/platform.ts';
import type { Kernel } from '../wasm/kernel.ts';
import { committablesOf, type CompletedCheckpoint } from './checkpoint/checkpoint-coordinator.ts';
import type { LoadedCheckpoint } from './checkpoint/checkpoint-restore.ts';
import { JobRecovery, type RecoverySettings, type RestoreReport } from './checkpoint/job-recovery.ts';
import type { SubtaskSnapshot } from './checkpoint/subtask-snapshot.ts';
import { deploy } from './deploy.ts';
import { JobCancelledError } from './errors.ts';
import { JobTimeline, type JobTimestamps } from './job-timeline.ts';
import { jobMetrics, type JobMetrics } from './metrics/job-metrics.ts';
import { subtaskMetrics } from './metrics/subtask-metrics.ts';
import { ProcessingTimeQueue } from './processing-time.ts';
import { Scheduler } from './scheduler.ts';
import { SourceSubtask, type Subtask } from './subtask.ts';
import type { Clock } from './time.ts';

export type JobStatus = 'CREATED' | 'RUNNING' | 'RESTARTING' | 'FINISHED' | 'FAILED' | 'CANCELED';

export interface JobExecutionResult {
  readonly jobId: string;
  readonly jobName: string;
  /** Wall-clock milliseconds from start to finish (Flink `getNetRuntime()`). */
  readonly netRuntime: number;
}

export interface InlineJobOptions {
  readonly kernel: Kernel;
  readonly clock: Clock;
  readonly platform: Platform;
  readonly batchSize: number;
  readonly channelCapacity: number;
  readonly writeLine: (line: string) => void;
  readonly recovery: RecoverySettings;
  /** Told once when the job ends, with the error when it failed or was cancelled (collect sinks end here). */
  readonly onTerminate: (error: Error | undefined) => void;
}

/** Options of stopWithSavepoint (Flink `stop`, `--drain`). */
export interface StopOptions {
  /** Emit the MAX watermark and end the input before the savepoint, firing every window (default false). */
  readonly drain?: boolean;
}

export class InlineJob {
  readonly jobId = randomJobId();
  private currentStatus: JobStatus = 'CREATED';
  private readonly timeline = new JobTimeline();
  private scheduler: Scheduler | undefined;
  private subtasks: Subtask[] = [];
  private recovery: JobRecovery | undefined;
  private cancelled = false;
  private stopping: { drain: boolean; done(savepoint: CompletedCheckpoint): void; fail(e: Error): void } | undefined;
  readonly result: Promise<JobExecutionResult>;

  constructor(
    readonly jobName: string,
    private readonly plan: PhysicalPlan,
    private readonly options: InlineJobOptions,
  ) {
    this.result = this.run();
    // The result is also observed through JobClient; avoid an unhandled rejection when only status is read.
    this.result.catch(() => {});
  }

  get status(): JobStatus {
    return this.currentStatus;
  }

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

  /** Why checkpoints failed (expired, or storage errors), oldest first; a failed checkpoint does not fail the job. */
  get failedCheckpoints(): readonly Error[] {
    return this.recovery?.coordinator.failures ?? [];
  }

  /** Every subtask's metrics now (SEMANTICS.md §8); after the end, their final values. */
  metrics(): JobMetrics {
    const processingTime = this.options.clock.now();
    return jobMetrics(this.subtasks.map((subtask) => subtaskMetrics(subtask, processingTime)));
  }

  cancel(): void {
    if (this.currentStatus === 'FINISHED' || this.currentStatus === 'FAILED') return;
    this.cancelled = true;
    this.scheduler?.cancel();
  }

  /** Takes a savepoint while the job runs; resolves with it once its manifest is written. Commits nothing. */
  async triggerSavepoint(): Promise<CompletedCheckpoint> {
    const coordinator = await this.runningCoordinator('triggerSavepoint');
    this.checkReplayable('triggerSavepoint');
    return coordinator.trigger('savepoint', false);
  }

  /** Takes a savepoint and stops the job (FINISHED); see StopOptions. Resolves with the savepoint. */
  async stopWithSavepoint(options: StopOptions = {}): Promise<CompletedCheckpoint> {
    await this.runningCoordinator('stopWithSavepoint');
    if (this.stopping) throw new Error('stopWithSavepoint: the job is already stopping');
    this.checkReplayable('stopWithSavepoint');
    return new Promise<CompletedCheckpoint>((done, fail) => {
      this.stopping = { drain: options.drain === true, done, fail };
      this.requestStop();
    });
  }

  /** A savepoint needs every source's position: refuse one the job could not restore from. */
  private checkReplayable(api: string): void {
    for (const subtask of this.subtasks) {
      if (subtask instanceof SourceSubtask && !subtask.replayable) {
        throw new Error(`${api}: '${subtask.info.vertexName}' is not replayable, so the job cannot take a savepoint`);
      }
    }
  }

  private async runningCoordinator(api: string): Promise<JobRecovery['coordinator']> {
    // Until the first (or next) attempt is deployed.
    const starting = (): boolean =>
      this.currentStatus === 'CREATED' ||
      this.currentStatus === 'RESTARTING' ||
      (this.currentStatus === 'RUNNING' && !this.scheduler);
    while (starting()) await new Promise((resolve) => setTimeout(resolve, 1));
    const recovery = this.recovery;
    if (this.currentStatus !== 'RUNNING' || !recovery)
      throw new Error(`${api}: the job is not running (${this.currentStatus})`);
    return recovery.coordinator;
  }

  private async run(): Promise<JobExecutionResult> {
    await Promise.resolve(); // let the caller hold the client before anything runs
    const started = performance.now();
    this.currentStatus = 'RUNNING';
    this.timeline.mark('running');
    let error: Error | undefined;
    try {
      const recovery = await JobRecovery.create(this.plan, this.options.recovery, this.options.platform, this.jobName);
      this.recovery = recovery;
      const initial = await recovery.initialState();
      let restore = initial;
      for (let attempt = 0; ; attempt++) {
        try {
          await this.attempt(recovery, restore, attempt);
          break;
        } catch (err) {
          const failure = toError(err);
          this.abortAttempt(recovery, failure);
          if (this.cancelled || this.stopping || (failure as { deployFailure?: boolean }).deployFailure) throw failure;
          this.currentStatus = 'RESTARTING';
          await recovery.beforeRestart(failure);
          if (this.cancelled) throw new JobCancelledError(this.jobName);
          restore = await recovery.restartState(initial);
          this.currentStatus = 'RUNNING';
        }
      }
    } catch (err) {
      error = toError(err);
    }
    try {
      await this.recovery?.close();
    } catch (err) {
      error ??= toError(err);
    }
    wireBuffers.clear(); // the page (or script) that ran the job keeps no wire buffers for a next one
    if (error) {
      this.stopping?.fail(error);
      this.currentStatus = error instanceof JobCancelledError ? 'CANCELED' : 'FAILED';
      this.timeline.mark('ended');
      this.options.onTerminate(error);
      throw error;
    }
    this.currentStatus = 'FINISHED';
    this.timeline.mark('ended');
    this.options.onTerminate(undefined);
    return { jobId: this.jobId, jobName: this.jobName, netRuntime: performance.now() - started };
  }

  /** Deploys, runs to the end, commits the final committables; throws the attempt's failure. */
  private async attempt(recovery: JobRecovery, restore: LoadedCheckpoint | undefined, attempt: number): Promise<void> {
    const { clock } = this.options;
    const timers = new ProcessingTimeQueue(clock);
    const coordinator = recovery.coordinator;
    const checkpointing = recovery.settings.checkpointing;
    try {
      this.subtasks = deploy(this.plan, {
        ...this.options,
        timers,
        // Always wired, even without checkpointing: savepoints, and two-phase-commit sinks committing at the end.
        checkpointing: {
          enabled: checkpointing !== undefined,
          mode: checkpointing?.mode ?? 'exactly-once',
          acknowledge: (snapshot: SubtaskSnapshot) => coordinator.acknowledge(snapshot),
        },
        restore: recovery.lookup(restore),
      });
    } catch (err) {
      // A job that cannot even be deployed (a non-replayable source, a failing open) is not restarted.
      throw attempt === 0 ? Object.assign(toError(err), { deployFailure: true }) : err;
    }
    const subtasks = this.subtasks;
    const scheduler = new Scheduler(subtasks, timers, clock, { budget: 4096, sliceMs: 8 });
    this.scheduler = scheduler;
    if (this.cancelled) scheduler.cancel();
    coordinator.attach(
      {
        announce: (id) => {
          for (const subtask of subtasks) subtask.announceCheckpoint(id);
          scheduler.notify();
        },
        notifyComplete: (id) => {
          for (const subtask of subtasks) subtask.notifyCheckpointComplete(id);
        },
      },
      subtasks.length,
      checkpointing !== undefined,
    );
    if (this.stopping) this.requestStop();
    this.timeline.mark('tasksRunning');
    const outcome = await scheduler.run();
    if (outcome === 'cancelled' && !this.stopping?.drain) {
      if (!this.stopping) throw new JobCancelledError(this.jobName);
      // Stopped after the savepoint (suspend): pending windows stay in it, as after a cancel.
      this.abortAttempt(recovery, new Error('the job stopped with a savepoint'));
      return;
    }
    if (this.stopping?.drain) {
      // Every subtask has finished: the savepoint holds their final state and commits it.
      this.stopping.done(await coordinator.trigger('savepoint', true));
    }
    const finals = subtasks.map((s) => s.finalSnapshot).filter((s) => s !== undefined);
    await coordinator.settled(); // a checkpoint being written completes before the job does
    await coordinator.commitPending(committablesOf(finals));
    coordinator.detach('the job finished');
  }

  /** Stop-with-savepoint: drain ends the sources' input; otherwise a savepoint, after which the job stops. */
  private requestStop(): void {
    const stopping = this.stopping;
    const recovery = this.recovery;
    const scheduler = this.scheduler;
    if (!stopping || !recovery || !scheduler) return;
    const sources = this.subtasks.filter((s): s is SourceSubtask => s instanceof SourceSubtask);
    if (stopping.drain) {
      for (const subtask of this.subtasks) subtask.keepFinalState = true;
      for (const source of sources) source.stopRequest = 'drain';
      scheduler.notify();
      return;
    }
    const suspend = (): void => {
      for (const source of sources) source.stopRequest = 'suspend';
    };
    recovery.coordinator.trigger('savepoint', true, suspend).then(
      (savepoint) => {
        stopping.done(savepoint);
        scheduler.cancel();
      },
      (err: unknown) => {
        for (const source of sources) source.stopRequest = undefined;
        this.stopping = undefined;
        stopping.fail(toError(err));
      },
    );
  }

  private abortAttempt(recovery: JobRecovery, failure: Error): void {
    recovery.coordinator.detach(failure.message);
    for (const subtask of this.subtasks) if (!subtask.finished) subtask.abort();
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
