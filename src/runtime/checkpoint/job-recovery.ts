/**
 * What inline and workers jobs share to take checkpoints and recover (SEMANTICS.md §6): the recovery settings,
 * the coordinator with the job's operators and committers, the state to start from, and the restart loop.
 */
import type { CheckpointStorage, ResolvedCheckpointing, RestartStrategy } from '../../api/checkpointing.ts';
import type { Committer } from '../../api/sink.ts';
import type { PhysicalPlan } from '../../graph/physical-plan.ts';
import type { Platform } from '../../platform/platform.ts';
import { framedStateBackend } from '../../state/backends/framed-state-backend.ts';
import { memoryBlobStore } from '../../state/backends/memory-blob-store.ts';
import type { StateBackend } from '../../state/backends/state-backend.ts';
import type { RestoreLookup } from '../deploy.ts';
import { JobCancelledError } from '../errors.ts';
import { CheckpointCoordinator, type OperatorInfo } from './checkpoint-coordinator.ts';
import { operatorStateKey, parseSnapshotDirectory } from './checkpoint-layout.ts';
import {
  checkRestorable,
  loadCheckpoint,
  loadLatestCheckpoint,
  restoredCommittables,
  restoredStateFor,
  type LoadedCheckpoint,
  type SkippedCheckpoint,
} from './checkpoint-restore.ts';

export interface RecoverySettings {
  readonly checkpointing: ResolvedCheckpointing | undefined;
  readonly restart: RestartStrategy;
  /** Start from this checkpoint or savepoint directory of the storage, or 'latest' (the newest complete checkpoint). */
  readonly savepointPath: string | undefined;
  readonly allowNonRestoredState: boolean;
  /** Storage for savepoints and restores when checkpointing is off. */
  readonly storage: CheckpointStorage | undefined;
}

export const NO_RECOVERY: RecoverySettings = {
  checkpointing: undefined,
  restart: { kind: 'none' },
  savepointPath: undefined,
  allowNonRestoredState: false,
  storage: undefined,
};

/** What a job learned while restoring: where it started from and which checkpoints it passed over. */
export interface RestoreReport {
  /** The checkpoint or savepoint the last attempt started from, if any. */
  restoredFrom: string | undefined;
  /** Checkpoints recovery skipped because they were corrupt or incomplete (a CorruptBlobError names the blob). */
  readonly skipped: SkippedCheckpoint[];
  /** Restarts so far. */
  restarts: number;
}

export class JobRecovery {
  readonly coordinator: CheckpointCoordinator;
  readonly report: RestoreReport = { restoredFrom: undefined, skipped: [], restarts: 0 };
  private readonly operatorKeys: ReadonlySet<string>;

  private constructor(
    readonly settings: RecoverySettings,
    readonly backend: StateBackend,
    private readonly ownsBackend: boolean,
    private readonly plan: PhysicalPlan,
    operators: readonly OperatorInfo[],
    private readonly committers: ReadonlyMap<string, Committer<unknown>>,
    jobName: string,
  ) {
    this.operatorKeys = new Set(operators.map((o) => o.key));
    const config = settings.checkpointing ?? { intervalMs: 0, mode: 'exactly-once', timeoutMs: 600_000, retained: 1 };
    this.coordinator = new CheckpointCoordinator(
      config,
      backend,
      { jobName, maxParallelism: plan.maxParallelism, operators },
      committers,
    );
  }

  static async create(
    plan: PhysicalPlan,
    settings: RecoverySettings,
    platform: Platform,
    jobName: string,
  ): Promise<JobRecovery> {
    const storage = settings.checkpointing?.storage ?? settings.storage;
    const backend = await openStorage(storage, platform);
    const ownsBackend = typeof storage !== 'object';
    const operators: OperatorInfo[] = [];
    const committers = new Map<string, Committer<unknown>>();
    for (const vertex of plan.vertices) {
      for (const id of vertex.nodeIds) {
        const node = plan.graph.node(id);
        const key = operatorStateKey(node);
        if (operators.some((o) => o.key === key))
          throw new Error(`Two operators have the uid '${key}': uids must be unique`);
        operators.push({ key, name: node.name, parallelism: vertex.parallelism });
        if (node.createCommitter) committers.set(key, node.createCommitter());
      }
    }
    const recovery = new JobRecovery(settings, backend, ownsBackend, plan, operators, committers, jobName);
    // Ids continue after any snapshot already in the storage (an earlier run's), so 'latest' means this run's.
    for (const path of await backend.list('')) {
      const dir = parseSnapshotDirectory(path.split('/')[0] ?? '');
      if (dir) recovery.coordinator.continueAfter(dir.id);
    }
    return recovery;
  }

  /**
   * The job ended: closes the committers, and the storage if the job opened it (a location or the default memory
   * store; a StateBackend the caller passed stays open — it is theirs).
   */
  async close(): Promise<void> {
    await this.coordinator.settled();
    this.coordinator.detach('the job ended');
    const errors: unknown[] = [];
    for (const committer of this.committers.values()) {
      try {
        await committer.close?.();
      } catch (err) {
        errors.push(err);
      }
    }
    if (this.ownsBackend) await this.backend.close();
    if (errors.length > 0) throw new Error('closing a sink committer failed', { cause: errors[0] });
  }

  /** The state the first attempt starts from (savepointPath), checked against the job; undefined to start fresh. */
  async initialState(): Promise<LoadedCheckpoint | undefined> {
    const path = this.settings.savepointPath;
    if (path === undefined) return undefined;
    if (path !== 'latest') return this.accept(await loadCheckpoint(this.backend, path));
    const { loaded, skipped } = await loadLatestCheckpoint(this.backend);
    this.report.skipped.push(...skipped);
    return loaded && this.accept(loaded);
  }

  /** The state a restart starts from: the newest completed checkpoint that loads, else the initial state, else none. */
  async restartState(initial: LoadedCheckpoint | undefined): Promise<LoadedCheckpoint | undefined> {
    const candidates = [...this.coordinator.completedCheckpoints].filter((c) => c.kind === 'checkpoint').reverse();
    for (const candidate of candidates) {
      try {
        return await this.accept(await loadCheckpoint(this.backend, candidate.path));
      } catch (err) {
        this.report.skipped.push({ path: candidate.path, error: err instanceof Error ? err : new Error(String(err)) });
      }
    }
    return initial && this.accept(initial);
  }

  /** The lookup deploy uses to hand each subtask its state. */
  lookup(loaded: LoadedCheckpoint | undefined): RestoreLookup | undefined {
    if (!loaded) return undefined;
    return (key, index, parallelism) => restoredStateFor(loaded, key, index, parallelism);
  }

  /** Waits before the next attempt, or rethrows `error` when the strategy allows no more. */
  async beforeRestart(error: Error): Promise<void> {
    const strategy = this.settings.restart;
    if (error instanceof JobCancelledError || strategy.kind === 'none' || this.report.restarts >= strategy.attempts) {
      throw error;
    }
    this.report.restarts++;
    if (strategy.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, strategy.delayMs));
  }

  private async accept(loaded: LoadedCheckpoint): Promise<LoadedCheckpoint> {
    checkRestorable(
      loaded,
      { maxParallelism: this.plan.maxParallelism, operatorKeys: this.operatorKeys },
      this.settings.allowNonRestoredState,
    );
    // Committables of the restored checkpoint may not have been committed before the failure (committers are idempotent).
    await this.coordinator.commitPending(restoredCommittables(loaded), true);
    this.coordinator.continueAfter(loaded.manifest.checkpointId);
    this.report.restoredFrom = loaded.path;
    return loaded;
  }
}

async function openStorage(storage: CheckpointStorage | undefined, platform: Platform): Promise<StateBackend> {
  if (storage === undefined) return framedStateBackend(memoryBlobStore());
  if (typeof storage === 'string') return framedStateBackend(await platform.durableState.openStore(storage));
  return storage;
}
