/**
 * The worker of workers mode (DESIGN.md §2): imports the job module, rebuilds the same graph, checks its
 * fingerprint against the host's, deploys only this worker's subtasks (placement.ts) and runs them on its own
 * Scheduler. Same-worker channels stay in-process; cross-worker channels are RemoteOutput/InputChannels over the
 * MessagePorts the host created and moved here. Controlled over comlink by worker-job.ts; records never travel on
 * the control plane except the collected results, as encoded, transferred batches: taken by the host while the job
 * runs (takeCollected) and the rest at the end (run).
 */
import { isJobDefinition } from '../../api/define-job.ts';
import { StreamEnvironment, type EnvironmentOptions } from '../../api/stream-environment.ts';
import { RecordBatch } from '../../batch/record-batch.ts';
import { encodeRecordBatch } from '../../batch/record-encoding.ts';
import { graphFingerprint } from '../../graph/fingerprint.ts';
import type { Pipeline } from '../../api/pipeline.ts';
import { parentPort } from '../../platform/worker-scope.ts';
import { Channel } from '../channel.ts';
import { deploy, type ChannelEnds } from '../deploy.ts';
import { JobCancelledError } from '../errors.ts';
import type { SubtaskMetrics } from '../metrics/job-metrics.ts';
import { subtaskMetrics } from '../metrics/subtask-metrics.ts';
import { restoredStateFor } from '../checkpoint/checkpoint-restore.ts';
import type { SubtaskSnapshot } from '../checkpoint/subtask-snapshot.ts';
import { ProcessingTimeQueue } from '../processing-time.ts';
import { Scheduler } from '../scheduler.ts';
import { SourceSubtask, type Subtask } from '../subtask.ts';
import { NO_TIMESTAMP, type Clock } from '../time.ts';
import { exposeControl, withTransfer } from './control-plane.ts';
import { channelKey, workerOf } from './placement.ts';
import { RemoteInputChannel, RemoteOutputChannel } from './remote-channel.ts';
import { transferableBuffers, WorkerCheckpoints, type WorkerCheckpointSpec } from './worker-checkpoints.ts';

/** Environment options that cross to workers (functions and host objects stay on the host). */
export type PortableEnvironmentOptions = Pick<
  EnvironmentOptions,
  'parallelism' | 'maxParallelism' | 'batchSize' | 'channelCapacity' | 'autoWatermarkInterval' | 'wasmKernels'
>;

export interface WorkerDeploySpec {
  readonly moduleUrl: string;
  readonly fingerprint: string;
  readonly worker: number;
  readonly workers: number;
  readonly environment: PortableEnvironmentOptions;
  /** Whether the job collects the stream its build function returns (defineJob's executeAndCollect). */
  readonly collect: boolean;
  /** This worker's end of every remote channel it takes part in, by channelKey. */
  readonly ports: Readonly<Record<string, MessagePort>>;
  /** Set when the host's JobRecovery wires subtasks (checkpointing, or sinks that commit at the end). */
  readonly checkpointing?: WorkerCheckpointSpec;
}

interface Deployed {
  readonly pipeline: Pipeline;
  readonly subtasks: Subtask[];
  readonly scheduler: Scheduler;
  readonly clock: Clock;
  readonly checkpoints: WorkerCheckpoints;
  /** This worker's ends of the job's remote channels, closed when the worker forgets the job. */
  readonly ports: readonly MessagePort[];
}

let deployed: Deployed | undefined;

const api = {
  /** Rebuilds and deploys; resolves with the number of subtasks deployed here; rejects on a fingerprint mismatch or a build error. */
  async deploy(spec: WorkerDeploySpec): Promise<number> {
    if (deployed) throw new Error('internal error: this worker already runs a job');
    const job = (await import(/* @vite-ignore */ spec.moduleUrl)) as { default?: unknown };
    if (!isJobDefinition(job.default)) {
      throw new TypeError(`${spec.moduleUrl} has no defineJob(...) default export`);
    }
    const env = StreamEnvironment.create(spec.environment);
    job.default.build(env, spec.collect);
    const sealed = env.sealJob();
    const fingerprint = graphFingerprint(sealed.pipeline.graph);
    if (fingerprint !== spec.fingerprint) {
      throw new Error(
        `Job module ${spec.moduleUrl} built a different graph in worker ${spec.worker} (fingerprint ${fingerprint}) ` +
          `than on the host (${spec.fingerprint}): its build function must depend only on the environment it is ` +
          'given, not on globals, time or randomness',
      );
    }
    const services = await env.runtimeServices(sealed);
    const timers = new ProcessingTimeQueue(services.clock);
    // Remote arrivals wake the scheduler; they are delivered in later tasks, after it exists (no await before it).
    const wake = (): void => scheduler.notify();
    const local = (index: number): boolean => workerOf(index, spec.workers) === spec.worker;
    const port = (key: string): MessagePort => {
      const found = spec.ports[key];
      if (!found) throw new Error(`internal error: worker ${spec.worker} has no port for channel ${key}`);
      return found;
    };
    const checkpoints = new WorkerCheckpoints(() => subtasks.length);
    const restore = spec.checkpointing?.restore;
    const subtasks = deploy(sealed.plan, {
      ...services,
      timers,
      checkpointing: spec.checkpointing && checkpoints.wiring(spec.checkpointing),
      restore: restore && ((key, index, parallelism) => restoredStateFor(restore, key, index, parallelism)),
      batchSize: sealed.batchSize,
      channelCapacity: sealed.channelCapacity,
      owns: (_vertex, index) => local(index),
      createChannel: (edgeIndex, i, j, capacity): ChannelEnds => {
        const key = channelKey(edgeIndex, i, j);
        if (local(i) && local(j)) {
          const channel = new Channel(capacity);
          return { sender: channel, receiver: channel };
        }
        if (local(i)) return { sender: new RemoteOutputChannel(port(key), capacity, wake), receiver: unused };
        if (local(j)) return { sender: unused, receiver: new RemoteInputChannel(port(key), capacity, wake) };
        return { sender: unused, receiver: unused };
      },
    });
    const scheduler = new Scheduler(subtasks, timers, services.clock, { budget: 4096, sliceMs: 8, remoteInputs: true });
    const ports = Object.values(spec.ports);
    deployed = { pipeline: sealed.pipeline, subtasks, scheduler, clock: services.clock, checkpoints, ports };
    return subtasks.length;
  },

  /**
   * Announces checkpoint `id` to this worker's subtasks; resolves with all their snapshots once each acknowledged
   * (see worker-checkpoints.ts). Served between scheduler slices while the job runs, after the end too. With
   * `suspend` (stop-with-savepoint) the sources stop reading right after this barrier: set in the same call, so no
   * other checkpoint's barrier can come first and suspend them before the savepoint's.
   */
  async triggerCheckpoint(id: number, suspend = false): Promise<SubtaskSnapshot[]> {
    const job = running('triggerCheckpoint');
    const snapshots = await job.checkpoints.collect(id, () => {
      for (const subtask of job.subtasks) {
        if (suspend && subtask instanceof SourceSubtask) subtask.stopRequest = 'suspend';
        subtask.announceCheckpoint(id);
      }
      job.scheduler.notify();
    });
    return withTransfer(snapshots, transferableBuffers(snapshots));
  },

  /** Checkpoint `id` completed and the host committed its committables. */
  notifyCheckpointComplete(id: number): void {
    const job = running('notifyCheckpointComplete');
    for (const subtask of job.subtasks) subtask.notifyCheckpointComplete(id);
    job.scheduler.notify();
  },

  /** The state every local subtask finished with: the committables the host commits at the end (after run()). */
  finalSnapshots(): SubtaskSnapshot[] {
    const job = running('finalSnapshots');
    return job.subtasks.map((subtask) => subtask.finalSnapshot).filter((s) => s !== undefined);
  },

  /** Stop-with-savepoint with drain (InlineJob.requestStop): the sources end their input now; undefined resumes. */
  stopSources(request: 'drain' | undefined): void {
    const job = running('stopSources');
    for (const subtask of job.subtasks) if (subtask instanceof SourceSubtask) subtask.stopRequest = request;
    job.scheduler.notify();
  },

  /** @internal Test hook: an uncaught error kills this worker, exactly as a crashing user function would. */
  crash(): void {
    setTimeout(() => {
      throw new Error('injected worker crash (test hook)');
    }, 0);
  },

  /**
   * Runs this worker's subtasks to the end; resolves with each collect sink's records as one encoded batch (in the
   * order the sinks were added), rejects with the first failure (an OperatorError names the operator and subtask).
   */
  async run(): Promise<ArrayBuffer[]> {
    const job = deployed;
    if (!job) throw new Error('internal error: run() before deploy()');
    try {
      if ((await job.scheduler.run()) === 'cancelled') throw new JobCancelledError('job');
    } catch (err) {
      for (const subtask of job.subtasks) if (!subtask.finished) subtask.abort();
      throw err;
    }
    const collected = drainCollected(job.pipeline);
    return withTransfer(collected, collected);
  },

  /**
   * What each collect sink gathered since the last call, one encoded batch per sink in the order they were added,
   * or nothing when none gathered anything; served between scheduler slices, so results stream while the job runs.
   */
  takeCollected(): ArrayBuffer[] {
    const pipeline = deployed?.pipeline;
    if (!pipeline || pipeline.collectBuffers.every((buffer) => buffer.isEmpty)) return [];
    const collected = drainCollected(pipeline);
    return withTransfer(collected, collected);
  },

  /** This worker's subtasks' metrics (SEMANTICS.md §8); served between scheduler slices while the job runs. */
  metrics(): SubtaskMetrics[] {
    const job = deployed;
    if (!job) return [];
    const processingTime = job.clock.now();
    return job.subtasks.map((subtask) => subtaskMetrics(subtask, processingTime));
  },

  cancel(): void {
    deployed?.scheduler.cancel();
  },

  /**
   * Forgets a job whose subtasks all finished, closing its channels' ports, so that this worker can deploy the
   * next one (worker-pool.ts). Throws while a job still runs: such a worker is terminated instead.
   */
  reset(): void {
    const job = deployed;
    if (!job) return;
    if (job.subtasks.some((subtask) => !subtask.finished)) throw new Error('the worker still runs a job');
    for (const port of job.ports) port.close();
    deployed = undefined;
  },
};

function drainCollected(pipeline: Pipeline): ArrayBuffer[] {
  return pipeline.collectBuffers.map((buffer) => {
    const values = buffer.drain();
    return encodeRecordBatch(new RecordBatch(values, new Array<number>(values.length).fill(NO_TIMESTAMP)));
  });
}

function running(api: string): Deployed {
  if (!deployed) throw new Error(`internal error: ${api}() before deploy()`);
  return deployed;
}

/** Stands in for a channel end whose subtask runs in another worker; deploy never hands it to a subtask here. */
const unused = new Channel(1);

export type JobWorkerApi = typeof api;

exposeControl(api, parentPort());
