/**
 * A job as a module (DESIGN.md §2 "user code travels as a module URL"): the module's default export is
 * `defineJob(import.meta.url, (env) => …)`. The same definition runs inline on the calling thread or in workers by
 * changing one option; in workers mode each worker imports the module again and rebuilds the graph, so the build
 * function must depend only on the environment it is given (a fingerprint check enforces it). Closures are never
 * serialized.
 *
 * Workers mode: collected records reach the host while the job runs — with checkpointing, as each checkpoint
 * completes (the collect sink commits on the host); executeAndCollect resolves at the end either way. print()
 * writes to each worker's own stdout. Fresh workers start for every job unless a WorkerPool keeps them between
 * jobs. A TestStream that advances processing time runs inline or on one worker: its manual clock is the clock of
 * the thread its source runs on, and other workers' clocks would never move, so more workers are refused.
 *
 * @example
 * // windowed-sum.job.ts
 * export default defineJob(import.meta.url, (env) =>
 *   env.fromGenerator(1000, (i) => ({ key: i % 7, n: 1 })).keyBy('key').sum('n'),
 * );
 * // elsewhere
 * import windowedSum from './windowed-sum.job.ts';
 * const inline = await windowedSum.executeAndCollect({ parallelism: 4 });
 * const spread = await windowedSum.executeAndCollect({ parallelism: 4, runtime: 'workers' }); // same multiset
 */
import { graphFingerprint } from '../graph/fingerprint.ts';
import { currentPlatform } from '../platform/index.ts';
import type { CompletedCheckpoint } from '../runtime/checkpoint/checkpoint-coordinator.ts';
import type { RestoreReport } from '../runtime/checkpoint/job-recovery.ts';
import type { JobExecutionResult, JobStatus, StopOptions } from '../runtime/inline-job.ts';
import type { JobTimestamps } from '../runtime/job-timeline.ts';
import type { JobMetrics } from '../runtime/metrics/job-metrics.ts';
import type { PortableEnvironmentOptions } from '../runtime/worker/job.worker.ts';
import { defaultWorkerCount } from '../runtime/worker/placement.ts';
import { WorkerJob } from '../runtime/worker/worker-job.ts';
import type { WorkerPool } from '../runtime/worker/worker-pool.ts';
import { DataStream } from './data-stream.ts';
import { StreamEnvironment, type EnvironmentOptions } from './stream-environment.ts';

/** Builds the job's graph on `env`; returns the stream `executeAndCollect` collects (or nothing). */
export type JobBuilder<T> = (env: StreamEnvironment) => DataStream<T> | void;

export interface JobRunOptions extends EnvironmentOptions {
  /** 'inline' (default): subtasks run on the calling thread. 'workers': spread over Web Workers / worker threads. */
  readonly runtime?: 'inline' | 'workers';
  /**
   * Workers mode: how many workers (default: the widest operator's parallelism, at most 16). Subtask i of every
   * operator runs on worker `i % workers`. `clock`, `platform` and `stdout` stay on the host: workers use their own.
   */
  readonly workers?: number;
  /**
   * Workers mode: take the workers from this pool and give them back when the job finishes, warm for the next job
   * (a session of workers, as a Flink session cluster). Default: fresh workers, terminated at the end.
   */
  readonly pool?: WorkerPool;
  readonly jobName?: string;
}

/** A running job in either mode: JobClient (inline) or a worker job. */
export interface JobHandle {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: JobStatus;
  /** See JobClient#timestamps; in workers mode, deployment includes starting the workers. */
  readonly timestamps: JobTimestamps;
  readonly result: Promise<JobExecutionResult>;
  cancel(): Promise<void>;
  /** See JobClient#metrics; in workers mode gathered from every worker over the control plane. */
  metrics(): Promise<JobMetrics>;
  /** See JobClient#triggerSavepoint. */
  triggerSavepoint(): Promise<CompletedCheckpoint>;
  /** See JobClient#stopWithSavepoint. */
  stopWithSavepoint(options?: StopOptions): Promise<CompletedCheckpoint>;
  /** See JobClient#restoreReport. */
  readonly restoreReport: RestoreReport | undefined;
  /** See JobClient#completedCheckpoints. */
  readonly completedCheckpoints: readonly CompletedCheckpoint[];
  /**
   * @internal Workers mode only, a test hook: worker `workerIndex` dies of an uncaught error, so the job fails (or
   * restarts) exactly as after a real crash.
   */
  injectWorkerCrash?(workerIndex: number): void;
}

/** A started job and the records it collects (executeAndCollectAsync). */
export interface CollectingJob<T> {
  readonly handle: JobHandle;
  /** The records collected so far, appended as they arrive (with checkpointing: as checkpoints commit them). */
  readonly collected: readonly T[];
  /** Resolves with `collected` once the job finished; rejects with its failure (`collected` keeps what arrived). */
  readonly finished: Promise<T[]>;
}

const MAX_DEFAULT_WORKERS = 16;
const BRAND = Symbol.for('rivulet.JobDefinition');

export class JobDefinition<T = unknown> {
  readonly [BRAND] = true;

  /** Typed loosely so that a JobDefinition<T> is a JobDefinition<unknown>; build() narrows it again. */
  private readonly builder: (env: StreamEnvironment) => unknown;

  /** @internal Use defineJob. */
  constructor(
    readonly moduleUrl: string,
    builder: JobBuilder<T>,
  ) {
    this.builder = builder;
  }

  /** Runs the job; resolves when bounded input is exhausted. */
  async execute(options: JobRunOptions = {}): Promise<JobExecutionResult> {
    return (await this.start(options, false)).handle.result;
  }

  /** Starts the job and returns a handle on it at once. */
  async executeAsync(options: JobRunOptions = {}): Promise<JobHandle> {
    return (await this.start(options, false)).handle;
  }

  /** Runs the job and resolves with the records of the stream the build function returned. */
  async executeAndCollect(options: JobRunOptions = {}): Promise<T[]> {
    const { handle, collected } = await this.start(options, true);
    await handle.result;
    const records: T[] = [];
    for await (const value of collected as AsyncIterable<T>) records.push(value);
    return records;
  }

  /**
   * Starts the job and returns its handle at once, with the records of the stream the build function returned as they
   * arrive (with checkpointing: what the exactly-once collect sink committed, SEMANTICS.md §6).
   */
  async executeAndCollectAsync(options: JobRunOptions = {}): Promise<CollectingJob<T>> {
    const { handle, collected } = await this.start(options, true);
    const values: T[] = [];
    const finished = (async () => {
      for await (const value of collected as AsyncIterable<T>) values.push(value);
      await handle.result;
      return values;
    })();
    finished.catch(() => {}); // observed by the caller, or not at all after a cancel
    return { handle, collected: values, finished };
  }

  /**
   * @internal Builds the graph on `env` (host and workers alike); with `collect`, adds a collecting sink to the
   * returned stream and hands back its records.
   */
  build(env: StreamEnvironment, collect: boolean): AsyncIterable<T> | undefined {
    const stream = this.builder(env);
    if (!collect) return undefined;
    if (!(stream instanceof DataStream)) {
      throw new TypeError("executeAndCollect: the job's build function must return the DataStream to collect");
    }
    return (stream as DataStream<T>).collectAsync();
  }

  private async start(
    options: JobRunOptions,
    collect: boolean,
  ): Promise<{ handle: JobHandle; collected: AsyncIterable<T> | undefined }> {
    const { runtime = 'inline', workers, pool, jobName = 'Rivulet Job', ...environment } = options;
    const env = StreamEnvironment.create(environment);
    const collected = this.build(env, collect);
    if (runtime === 'inline') return { handle: await env.executeAsync(jobName), collected };
    if (runtime !== 'workers') throw new RangeError(`runtime must be 'inline' or 'workers', got '${String(runtime)}'`);
    const sealed = env.sealJob();
    const count = workers ?? defaultWorkerCount(sealed.plan, MAX_DEFAULT_WORKERS);
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer, got ${count}`);
    if (count > 1 && sealed.pipeline.advancesProcessingTime) {
      throw new RangeError(
        `a TestStream that advances processing time runs inline or on one worker (workers: 1), not on ${count}: ` +
          "each worker keeps its own clock, and only the TestStream's would move",
      );
    }
    const job = new WorkerJob(jobName, {
      platform: environment.platform ?? (await currentPlatform()),
      moduleUrl: this.moduleUrl,
      fingerprint: graphFingerprint(sealed.pipeline.graph),
      plan: sealed.plan,
      workers: count,
      environment: portable(environment),
      collect,
      pool,
      collectBuffers: sealed.pipeline.collectBuffers,
      recovery: sealed.recovery,
    });
    const handle: JobHandle = {
      jobId: job.jobId,
      jobName,
      get status() {
        return job.status;
      },
      get timestamps() {
        return job.timestamps;
      },
      result: job.result,
      metrics: () => job.metrics(),
      triggerSavepoint: () => job.triggerSavepoint(),
      stopWithSavepoint: (stop) => job.stopWithSavepoint(stop),
      get restoreReport() {
        return job.restoreReport;
      },
      get completedCheckpoints() {
        return job.completedCheckpoints;
      },
      injectWorkerCrash: (workerIndex) => job.injectWorkerCrash(workerIndex),
      cancel: async () => {
        job.cancel();
        await job.result.catch(() => {});
      },
    };
    return { handle, collected };
  }
}

/** `export default defineJob(import.meta.url, (env) => …)`: see the module comment. */
export function defineJob<T = unknown>(moduleUrl: string | URL, build: JobBuilder<T>): JobDefinition<T> {
  if (typeof build !== 'function') throw new TypeError('defineJob expects a build function (env) => …');
  return new JobDefinition(String(moduleUrl), build);
}

/** True for a JobDefinition, also one made by another copy of this module (a worker's own module graph). */
export function isJobDefinition(value: unknown): value is JobDefinition {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

function portable(options: EnvironmentOptions): PortableEnvironmentOptions {
  const { parallelism, maxParallelism, batchSize, channelCapacity, autoWatermarkInterval, wasmKernels } = options;
  const picked = { parallelism, maxParallelism, batchSize, channelCapacity, autoWatermarkInterval, wasmKernels };
  return Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined));
}
