/**
 * Restoring from a checkpoint or savepoint (SEMANTICS.md §6, §5.2): load and verify every blob a manifest names,
 * check the job can take the state, and hand each new subtask its part — a pure function of the manifest, the
 * operator and the subtask's index and parallelism:
 * - keyed state: the key groups of the subtask's range (keyGroupRange), whatever the old parallelism;
 * - operator state: at the same parallelism subtask i gets what subtask i stored; otherwise the lists of all old
 *   subtasks, concatenated in subtask order, are dealt round-robin (Flink's split-distribute).
 */
import { CorruptBlobError, type StateBackend } from '../../state/backends/state-backend.ts';
import { keyGroupRange } from '../../state/key-groups.ts';
import type { TaggedCommittables } from '../sinks/sink-operator.ts';
import {
  committablesPath,
  decodeManifest,
  keyGroupPath,
  manifestPath,
  operatorStatePath,
  parseSnapshotDirectory,
  type CheckpointManifest,
  type ManifestOperator,
} from './checkpoint-layout.ts';
import { EMPTY_RESTORED_STATE, type RestoredOperatorState } from './operator-state.ts';
import { decodeState } from './state-codec.ts';

export interface LoadedCheckpoint {
  readonly path: string;
  readonly manifest: CheckpointManifest;
  /** Every blob the manifest names, verified. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

/** A checkpoint recovery passed over, and why (a CorruptBlobError names the blob). */
export interface SkippedCheckpoint {
  readonly path: string;
  readonly error: Error;
}

export class CheckpointNotFoundError extends Error {
  override name = 'CheckpointNotFoundError';
}

/** Reads the manifest at `path` (e.g. `chk-7`) and every blob it names; throws on a missing or corrupt one. */
export async function loadCheckpoint(backend: StateBackend, path: string): Promise<LoadedCheckpoint> {
  const manifestBytes = await backend.get(manifestPath(path));
  if (!manifestBytes)
    throw new CheckpointNotFoundError(`no checkpoint or savepoint '${path}' in ${backend.kind} storage`);
  const manifest = decodeManifest(manifestBytes, manifestPath(path));
  const blobs = new Map<string, Uint8Array>();
  const read = async (blobPath: string): Promise<void> => {
    const bytes = await backend.get(blobPath);
    if (!bytes) throw new CorruptBlobError(blobPath, 'missing, though the manifest names it');
    blobs.set(blobPath, bytes);
  };
  for (const op of manifest.operators) {
    for (const keyGroup of op.keyGroups) await read(keyGroupPath(path, op.key, keyGroup));
    for (const subtask of op.operatorState) await read(operatorStatePath(path, op.key, subtask));
    for (const subtask of op.committables) await read(committablesPath(path, op.key, subtask));
  }
  return { path, manifest, blobs };
}

/**
 * The newest checkpoint in `backend` that loads completely, passing over (and reporting) corrupt or incomplete
 * ones; undefined when there is none. Savepoints are not used for recovery (as in Flink since 1.15).
 */
export async function loadLatestCheckpoint(
  backend: StateBackend,
): Promise<{ loaded: LoadedCheckpoint | undefined; skipped: SkippedCheckpoint[] }> {
  const ids: number[] = [];
  for (const path of await backend.list('chk-')) {
    const [dir, name] = path.split('/');
    const parsed = dir !== undefined ? parseSnapshotDirectory(dir) : undefined;
    if (parsed && name === '_metadata' && path.split('/').length === 2) ids.push(parsed.id);
  }
  ids.sort((a, b) => b - a);
  const skipped: SkippedCheckpoint[] = [];
  for (const id of ids) {
    const path = `chk-${id}`;
    try {
      return { loaded: await loadCheckpoint(backend, path), skipped };
    } catch (err) {
      skipped.push({ path, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return { loaded: undefined, skipped };
}

/**
 * Refuses state the job cannot take: another maxParallelism (key groups would not match), or state of an operator
 * the job no longer has (unless `allowNonRestoredState`, Flink's --allowNonRestoredState).
 */
export function checkRestorable(
  loaded: LoadedCheckpoint,
  job: { readonly maxParallelism: number; readonly operatorKeys: ReadonlySet<string> },
  allowNonRestoredState: boolean,
): void {
  const { manifest, path } = loaded;
  if (manifest.maxParallelism !== job.maxParallelism) {
    throw new Error(
      `Cannot restore '${path}': it was taken with maxParallelism ${manifest.maxParallelism}, the job has ` +
        `${job.maxParallelism}; key groups are fixed by maxParallelism, so it must stay the same (SEMANTICS.md §5.2)`,
    );
  }
  if (allowNonRestoredState) return;
  for (const op of manifest.operators) {
    if (job.operatorKeys.has(op.key) || !holdsState(op)) continue;
    throw new Error(
      `Cannot restore '${path}': it holds state of operator '${op.name}' (uid or key '${op.key}'), which the job ` +
        'does not have. Give the operator the same uid, or set allowNonRestoredState to drop that state',
    );
  }
}

function holdsState(op: ManifestOperator): boolean {
  return op.keyGroups.length > 0 || op.operatorState.length > 0;
}

/**
 * The state subtask `index` of `parallelism` of operator `key` restores from; undefined when the checkpoint does
 * not know the operator (it starts empty; a source starts from the beginning).
 */
export function restoredStateFor(
  loaded: LoadedCheckpoint,
  key: string,
  index: number,
  parallelism: number,
): RestoredOperatorState | undefined {
  const op = loaded.manifest.operators.find((o) => o.key === key);
  if (!op) return undefined;
  if (!holdsState(op)) return EMPTY_RESTORED_STATE;
  const range = keyGroupRange(loaded.manifest.maxParallelism, parallelism, index);
  const keyGroups = new Map<number, unknown>();
  for (const keyGroup of op.keyGroups) {
    if (keyGroup < range.start || keyGroup > range.end) continue;
    const path = keyGroupPath(loaded.path, key, keyGroup);
    keyGroups.set(keyGroup, decodeState(blob(loaded, path), `'${path}'`));
  }
  const lists = op.operatorState.map((subtask) => {
    const path = operatorStatePath(loaded.path, key, subtask);
    return { subtask, list: decodeState(blob(loaded, path), `'${path}'`) as unknown[] };
  });
  let operatorState: unknown[];
  if (op.parallelism === parallelism) {
    operatorState = lists.find((l) => l.subtask === index)?.list ?? [];
  } else {
    const all = lists.flatMap((l) => l.list);
    operatorState = all.filter((_, i) => i % parallelism === index);
  }
  return { keyGroups, operatorState };
}

/** Every committable group a checkpoint holds (committed again on restore; committers are idempotent). */
export function restoredCommittables(
  loaded: LoadedCheckpoint,
): { key: string; subtask: number; entries: TaggedCommittables[] }[] {
  const groups: { key: string; subtask: number; entries: TaggedCommittables[] }[] = [];
  for (const op of loaded.manifest.operators) {
    for (const subtask of op.committables) {
      const path = committablesPath(loaded.path, op.key, subtask);
      groups.push({
        key: op.key,
        subtask,
        entries: decodeState(blob(loaded, path), `'${path}'`) as TaggedCommittables[],
      });
    }
  }
  return groups;
}

function blob(loaded: LoadedCheckpoint, path: string): Uint8Array {
  const bytes = loaded.blobs.get(path);
  if (!bytes) throw new Error(`internal error: blob '${path}' was not loaded`);
  return bytes;
}
