/**
 * The entry point (Flink `StreamExecutionEnvironment`): sources, configuration and execution.
 *
 * @example
 * const env = StreamEnvironment.create({ parallelism: 2 });
 * const counts = await env
 *   .fromElements('a', 'b', 'a')
 *   .map((word) => ({ word, n: 1 }))
 *   .keyBy('word')
 *   .sum('n')
 *   .executeAndCollect();
 */
import { createPhysicalPlan, type PhysicalPlan } from '../graph/physical-plan.ts';
import type { LogicalNode, SourceFactory } from '../graph/logical-graph.ts';
import { currentPlatform } from '../platform/index.ts';
import type { Platform } from '../platform/platform.ts';
import { InlineJob, type JobExecutionResult } from '../runtime/inline-job.ts';
import { AsyncIterableSourceReader, IterableSourceReader } from '../runtime/sources/collection-source.ts';
import { TestStreamReader } from '../runtime/sources/test-stream-source.ts';
import { TextFileReader, textFileSplits } from '../runtime/sources/text-file-source.ts';
import {
  ColumnarGeneratorReader,
  generatorSplits,
  ObjectGeneratorReader,
  type ColumnarGeneratorSpec,
} from '../runtime/sources/generator-source.ts';
import { checkSchema } from '../batch/columnar-batch.ts';
import { ManualClock, systemClock, type Clock } from '../runtime/time.ts';
import { checkMaxParallelism, checkParallelism, defaultMaxParallelism } from '../state/key-groups.ts';
import { loadKernel, type Kernel } from '../wasm/kernel.ts';
import type { RecoverySettings } from '../runtime/checkpoint/job-recovery.ts';
import {
  checkStorage,
  defaultRestartStrategy,
  resolveCheckpointing,
  type CheckpointingOptions,
  type CheckpointStorage,
  type ResolvedCheckpointing,
  type RestartStrategy,
} from './checkpointing.ts';
import { DataStream } from './data-stream.ts';
import { JobClient } from './job-client.ts';
import './keyed-stream.ts';
import { Pipeline } from './pipeline.ts';
import { TestStream } from './test-stream.ts';

export interface EnvironmentOptions {
  /** Default parallelism of operators (default 1). */
  readonly parallelism?: number;
  /** Number of key groups, the upper bound for parallelism (default 128 for parallelism ≤ 85; SEMANTICS §5.2). */
  readonly maxParallelism?: number;
  /** Largest number of records in one batch between operators (default 1024). */
  readonly batchSize?: number;
  /** Batches that may queue on one channel before its producer is backpressured (default 8). */
  readonly channelCapacity?: number;
  /**
   * How often, in ms of processing time, watermark generators are probed (`onPeriodicEmit`); default 200, Flink's
   * `pipeline.auto-watermark-interval`. 0 disables periodic watermarks (punctuated generators still emit).
   */
  readonly autoWatermarkInterval?: number;
  /** Processing-time clock (default: wall clock; a job reading a TestStream always uses a manual clock). */
  readonly clock?: Clock;
  /** Host services; detected when omitted. */
  readonly platform?: Platform;
  /**
   * Run built-in window aggregations on field keys in the WebAssembly kernel (default true). False forces the JS
   * path everywhere: results are the same, only speed differs.
   */
  readonly wasmKernels?: boolean;
  /** Where print() writes lines (default: the platform's standard output). */
  readonly stdout?: (line: string) => void;
  /**
   * Where checkpoints and savepoints live when `enableCheckpointing` names no storage, and where `savepointPath`
   * is read from (see CheckpointStorage). Default: memory, for one job.
   */
  readonly checkpointStorage?: CheckpointStorage;
  /**
   * Start the job from this checkpoint or savepoint of the checkpoint storage (a path such as 'chk-7' or
   * 'savepoint-3', as CompletedCheckpoint.path gives it), or 'latest': the newest complete checkpoint there,
   * passing over corrupt ones (none: start fresh). Flink's `execution.savepoint.path`.
   */
  readonly savepointPath?: string;
  /** Start even if the savepoint holds state of operators the job no longer has (Flink's --allowNonRestoredState). */
  readonly allowNonRestoredState?: boolean;
}

/** @internal A sealed, planned job not yet running: what workers mode deploys (see sealJob). */
export interface SealedJob {
  readonly pipeline: Pipeline;
  readonly plan: PhysicalPlan;
  readonly batchSize: number;
  readonly channelCapacity: number;
  readonly recovery: RecoverySettings;
}

/** @internal What running subtasks need from the host runtime (see runtimeServices). */
export interface RuntimeServices {
  readonly platform: Platform;
  readonly kernel: Kernel;
  readonly clock: Clock;
  readonly writeLine: (line: string) => void;
}

interface ResolvedOptions {
  parallelism: number;
  maxParallelism: number;
  maxParallelismExplicit: boolean;
  batchSize: number;
  channelCapacity: number;
  autoWatermarkInterval: number;
}

export class StreamEnvironment {
  private pipeline = new Pipeline();
  private readonly config: ResolvedOptions;
  private platform: Platform | undefined;
  private checkpointing: ResolvedCheckpointing | undefined;
  private restartStrategy: RestartStrategy | undefined;

  private constructor(private readonly options: EnvironmentOptions) {
    const parallelism = options.parallelism ?? 1;
    checkParallelism(parallelism, options.maxParallelism ?? 32768, 'parallelism');
    if (options.maxParallelism !== undefined) checkMaxParallelism(options.maxParallelism);
    this.config = {
      parallelism,
      maxParallelism: options.maxParallelism ?? defaultMaxParallelism(parallelism),
      maxParallelismExplicit: options.maxParallelism !== undefined,
      batchSize: positiveInteger(options.batchSize ?? 1024, 'batchSize'),
      channelCapacity: positiveInteger(options.channelCapacity ?? 8, 'channelCapacity'),
      autoWatermarkInterval: watermarkInterval(options.autoWatermarkInterval ?? 200),
    };
    this.platform = options.platform;
    checkStorage(options.checkpointStorage, 'checkpointStorage');
    if (
      options.savepointPath !== undefined &&
      (typeof options.savepointPath !== 'string' || options.savepointPath === '')
    ) {
      throw new TypeError('savepointPath must be a non-empty string');
    }
  }

  /**
   * Takes a checkpoint every `intervalMs` of wall-clock time (SEMANTICS.md §6): barriers from the sources, aligned
   * at multi-input subtasks in exactly-once mode; state, timers and source positions per key group; the manifest
   * last. Jobs restart from the latest completed checkpoint after a failure (see setRestartStrategy).
   */
  enableCheckpointing(intervalMs: number, options: CheckpointingOptions = {}): this {
    this.checkpointing = resolveCheckpointing(intervalMs, options);
    return this;
  }

  /** What happens after a failure (default: no restart; with checkpointing, 3 attempts 1 s apart). */
  setRestartStrategy(strategy: RestartStrategy): this {
    if (strategy?.kind !== 'none' && strategy?.kind !== 'fixed-delay') {
      throw new TypeError('setRestartStrategy expects a strategy from RestartStrategies');
    }
    this.restartStrategy = strategy;
    return this;
  }

  /** @internal The recovery settings of the job built now. */
  recoverySettings(): RecoverySettings {
    const checkpointing = this.checkpointing;
    return {
      checkpointing,
      restart: this.restartStrategy ?? defaultRestartStrategy(checkpointing !== undefined),
      savepointPath: this.options.savepointPath,
      allowNonRestoredState: this.options.allowNonRestoredState ?? false,
      storage: this.options.checkpointStorage,
    };
  }

  static create(options: EnvironmentOptions = {}): StreamEnvironment {
    return new StreamEnvironment(options);
  }

  getParallelism(): number {
    return this.config.parallelism;
  }

  getMaxParallelism(): number {
    return this.config.maxParallelism;
  }

  /** The watermark probe interval in ms (0: no periodic watermarks), fixed into operators as they are added. */
  getAutoWatermarkInterval(): number {
    return this.config.autoWatermarkInterval;
  }

  /** Sets the default parallelism for operators created from now on and not given one explicitly. */
  setParallelism(parallelism: number): this {
    checkParallelism(
      parallelism,
      this.config.maxParallelismExplicit ? this.config.maxParallelism : 32768,
      'parallelism',
    );
    this.config.parallelism = parallelism;
    if (!this.config.maxParallelismExplicit) this.config.maxParallelism = defaultMaxParallelism(parallelism);
    return this;
  }

  /** A bounded stream of the given values, read by one subtask, without timestamps. */
  fromElements<T>(...values: T[]): DataStream<T> {
    return this.addSource('Collection Source', (_i, _p, restored) => IterableSourceReader.restore(values, restored));
  }

  /** A stream read from a sync or async iterable (one subtask). The iterable is read once. */
  fromCollection<T>(collection: Iterable<T> | AsyncIterable<T>): DataStream<T> {
    if (collection !== null && typeof collection === 'object' && Symbol.asyncIterator in collection) {
      return this.addSource('Collection Source', () => new AsyncIterableSourceReader(collection));
    }
    if (collection === null || collection === undefined || !(Symbol.iterator in Object(collection))) {
      throw new TypeError('fromCollection expects an iterable or an async iterable');
    }
    const iterable = collection as Iterable<T>;
    return this.addSource('Collection Source', (_i, _p, restored) => IterableSourceReader.restore(iterable, restored));
  }

  /**
   * A bounded, parallel stream of `count` records `generate(0) … generate(count - 1)`, without timestamps
   * (Flink's DataGeneratorSource). Subtasks split the index range.
   */
  fromGenerator<T>(count: number, generate: (index: number) => T): DataStream<T> {
    checkCount(count, 'fromGenerator');
    if (typeof generate !== 'function') throw new TypeError('fromGenerator expects a function of the record index');
    return this.addSource(
      'Generator',
      (subtask, parallelism, restored) =>
        ObjectGeneratorReader.fromSplits(generatorSplits(count, subtask, parallelism, restored), generate),
      { parallel: true, params: { count } },
    );
  }

  /**
   * A bounded, parallel stream of rows generated straight into typed-array columns: records are `{ [column]:
   * number }` objects only if an operator asks for them. Keyed built-in window aggregations on a field of such a
   * stream run in the WebAssembly kernel end to end.
   *
   * @example
   * env.fromColumnarGenerator({
   *   count: 1_000_000,
   *   schema: [{ name: 'user', type: 'i32' }, { name: 'amount', type: 'f64' }],
   *   fill({ user, amount }, timestamps, first, rows) {
   *     for (let i = 0; i < rows; i++) {
   *       user![i] = (first + i) % 1000;
   *       amount![i] = 1;
   *       timestamps[i] = first + i; // one event per millisecond
   *     }
   *   },
   * });
   */
  fromColumnarGenerator(spec: ColumnarGeneratorSpec): DataStream<Record<string, number>> {
    checkCount(spec?.count, 'fromColumnarGenerator');
    checkSchema(spec.schema);
    for (const column of spec.schema) {
      if (column.type === 'string') {
        throw new TypeError(
          `fromColumnarGenerator: column '${column.name}' must be f64 or i32; string columns are not generated`,
        );
      }
    }
    if (typeof spec.fill !== 'function')
      throw new TypeError('fromColumnarGenerator expects a fill(columns, timestamps, first, rows) function');
    const batchSize = positiveInteger(spec.batchSize ?? 65536, 'fromColumnarGenerator: batchSize');
    return this.addSource(
      'Columnar Generator',
      (subtask, parallelism, restored) =>
        ColumnarGeneratorReader.fromSplits(
          generatorSplits(spec.count, subtask, parallelism, restored),
          spec,
          batchSize,
        ),
      {
        parallel: true,
        params: { count: spec.count, schema: spec.schema.map((c) => `${c.name}:${c.type}`).join(','), batchSize },
      },
    );
  }

  /**
   * The lines of text files, one record per line without its terminator (Flink's `readTextFile`). Parallel: file i
   * is read by subtask i % parallelism. Replayable: a checkpoint keeps each file's line position. Paths are file
   * paths or URLs in Node and Deno, URLs in a browser.
   */
  readTextFile(...paths: (string | URL)[]): DataStream<string> {
    if (paths.length === 0) throw new TypeError('readTextFile expects at least one path');
    const names = paths.map((path) => {
      if (path instanceof URL) return path.href;
      if (typeof path !== 'string' || path === '') throw new TypeError(`readTextFile: invalid path ${String(path)}`);
      return path;
    });
    return this.addSource(
      'Text File',
      (index, parallelism, restored) => new TextFileReader(textFileSplits(names, index, parallelism, restored)),
      { parallel: true, params: { files: names.length } },
    );
  }

  /** A scripted, deterministic stream; see TestStream. */
  fromTestStream<T>(script: TestStream<T>): DataStream<T> {
    if (!(script instanceof TestStream)) throw new TypeError('fromTestStream expects a TestStream');
    this.pipeline.usesTestStream = true;
    if (script.events.some((event) => event.kind === 'processing-time')) this.pipeline.advancesProcessingTime = true;
    return this.addSource('TestStream', (_i, _p, restored) => TestStreamReader.restore(script.events, restored));
  }

  /** Runs the job built so far; resolves when bounded input is exhausted. */
  async execute(jobName?: string): Promise<JobExecutionResult> {
    const client = await this.executeAsync(jobName);
    return client.result;
  }

  /** Starts the job built so far and returns a handle on it at once. */
  async executeAsync(jobName = 'Rivulet Job'): Promise<JobClient> {
    const pipeline = this.pipeline;
    pipeline.checkOpen('execute');
    pipeline.seal();
    this.pipeline = new Pipeline();
    const endCollectors = (error: Error | undefined) => {
      for (const buffer of pipeline.collectBuffers) buffer.end(error);
    };
    try {
      const plan = createPhysicalPlan(pipeline.graph, this.config);
      this.platform ??= await currentPlatform();
      const kernel = await loadKernel(this.platform);
      const clock = pipeline.usesTestStream ? new ManualClock(0) : (this.options.clock ?? systemClock);
      const job = new InlineJob(jobName, plan, {
        kernel,
        clock,
        platform: this.platform,
        recovery: this.recoverySettings(),
        batchSize: this.config.batchSize,
        channelCapacity: this.config.channelCapacity,
        writeLine: this.stdout,
        onTerminate: endCollectors,
      });
      return new JobClient(job);
    } catch (err) {
      endCollectors(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
  }

  /**
   * @internal Workers mode: seals the pipeline built so far and plans it, without running it. The host and every
   * worker call this on the same build of a job module (api/define-job.ts); inline execution does not.
   */
  sealJob(): SealedJob {
    const pipeline = this.pipeline;
    pipeline.checkOpen('execute');
    pipeline.seal();
    this.pipeline = new Pipeline();
    const plan = createPhysicalPlan(pipeline.graph, this.config);
    return {
      pipeline,
      plan,
      batchSize: this.config.batchSize,
      channelCapacity: this.config.channelCapacity,
      recovery: this.recoverySettings(),
    };
  }

  /** @internal Workers mode: the platform, kernel and clock for the subtasks of `job` (as executeAsync picks them). */
  async runtimeServices(job: SealedJob): Promise<RuntimeServices> {
    const platform = (this.platform ??= await currentPlatform());
    const kernel = await loadKernel(platform);
    const clock = job.pipeline.usesTestStream ? new ManualClock(0) : (this.options.clock ?? systemClock);
    return { platform, kernel, clock, writeLine: this.stdout };
  }

  /** @internal Whether the planner may route built-in window aggregations through the WebAssembly kernel. */
  get wasmKernels(): boolean {
    return this.options.wasmKernels ?? true;
  }

  /** @internal Where print() writes. */
  get stdout(): (line: string) => void {
    if (this.options.stdout) return this.options.stdout;
    const platform = this.platform;
    if (!platform) throw new Error('internal error: print sink opened before the platform was resolved');
    return (line) => platform.writeLine(line);
  }

  /** @internal Validates an operator's explicit parallelism at the call that sets it. */
  checkOperatorParallelism(parallelism: number, node: LogicalNode): void {
    if (node.nonParallel && parallelism !== 1) {
      throw new RangeError(`'${node.name}' is a non-parallel operator: its parallelism must be 1, got ${parallelism}`);
    }
    const bound = this.config.maxParallelismExplicit ? this.config.maxParallelism : 32768;
    checkParallelism(parallelism, bound, `parallelism of '${node.name}'`);
  }

  private addSource<T>(
    name: string,
    createReader: SourceFactory,
    options: { parallel?: boolean; params?: LogicalNode['params'] } = {},
  ): DataStream<T> {
    this.pipeline.checkOpen('source');
    const node = this.pipeline.graph.addNode({
      kind: 'source',
      name: `Source: ${name}`,
      nonParallel: !options.parallel,
      params: options.params ?? {},
      createSource: createReader,
    });
    return new DataStream<T>(this, this.pipeline, [{ from: node.id, partitioner: { kind: 'default' } }], node);
  }
}

function checkCount(count: unknown, api: string): void {
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${api}: count must be a non-negative integer, got ${String(count)}`);
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function watermarkInterval(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `autoWatermarkInterval must be a non-negative integer of milliseconds (0 disables periodic watermarks), got ${value}`,
    );
  }
  return value;
}
