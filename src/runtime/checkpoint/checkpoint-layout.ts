/**
 * How a checkpoint or savepoint lies in a state backend (state/backends/): one directory per snapshot, a blob per
 * key group of each operator, one per subtask for operator state and for sink committables, and the manifest,
 * written last — the commit point. A directory without a manifest that verifies is not a checkpoint.
 *
 * ```
 * chk-12/_metadata                      manifest (JSON), written after every blob below
 * chk-12/<operator key>/kg-<key group>  keyed state of one key group (state-codec.ts)
 * chk-12/<operator key>/op-<subtask>    operator state list of one subtask (source splits)
 * chk-12/<operator key>/commit-<subtask> committables of a two-phase-commit sink subtask
 * savepoint-3/…                         a savepoint: the same layout, never deleted by the job
 * ```
 * Operator keys are `encodeURIComponent`-ed path segments: the operator's uid, or `<kind>-<node id>` without one
 * (stable across runs of the same job code; set uids to keep state across changes of the job, as in Flink).
 */
import type { LogicalNode } from '../../graph/logical-graph.ts';

export const MANIFEST_VERSION = 1;
export const MANIFEST_NAME = '_metadata';

export type SnapshotKind = 'checkpoint' | 'savepoint';

export interface ManifestOperator {
  readonly key: string;
  readonly name: string;
  readonly parallelism: number;
  /** Key groups with a blob. */
  readonly keyGroups: readonly number[];
  /** Subtasks with an operator-state blob. */
  readonly operatorState: readonly number[];
  /** Subtasks with a committables blob. */
  readonly committables: readonly number[];
}

export interface CheckpointManifest {
  readonly version: number;
  readonly checkpointId: number;
  readonly kind: SnapshotKind;
  readonly jobName: string;
  /** Wall-clock ms when the manifest was written. */
  readonly timestamp: number;
  readonly maxParallelism: number;
  /** Every operator of the job, stateful or not, so a restore knows a source that had read everything. */
  readonly operators: readonly ManifestOperator[];
}

/** The key an operator's state is stored under. */
export function operatorStateKey(node: Pick<LogicalNode, 'uid' | 'kind' | 'id'>): string {
  return node.uid ?? `${node.kind}-${node.id}`;
}

/** The directory of checkpoint or savepoint `id`. */
export function snapshotDirectory(kind: SnapshotKind, id: number): string {
  return `${kind === 'checkpoint' ? 'chk' : 'savepoint'}-${id}`;
}

/** `chk-12` → checkpoint 12; undefined for anything else. */
export function parseSnapshotDirectory(dir: string): { kind: SnapshotKind; id: number } | undefined {
  const match = /^(chk|savepoint)-(\d+)$/.exec(dir);
  if (!match) return undefined;
  return { kind: match[1] === 'chk' ? 'checkpoint' : 'savepoint', id: Number(match[2]) };
}

export const manifestPath = (dir: string): string => `${dir}/${MANIFEST_NAME}`;
const operatorDir = (dir: string, key: string): string => `${dir}/${encodeURIComponent(key)}`;
export const keyGroupPath = (dir: string, key: string, keyGroup: number): string =>
  `${operatorDir(dir, key)}/kg-${keyGroup}`;
export const operatorStatePath = (dir: string, key: string, subtask: number): string =>
  `${operatorDir(dir, key)}/op-${subtask}`;
export const committablesPath = (dir: string, key: string, subtask: number): string =>
  `${operatorDir(dir, key)}/commit-${subtask}`;

export function encodeManifest(manifest: CheckpointManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(manifest));
}

/** Parses and checks a manifest; throws naming `path` when it is not one this version can read. */
export function decodeManifest(bytes: Uint8Array, path: string): CheckpointManifest {
  let parsed: Partial<CheckpointManifest>;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Partial<CheckpointManifest>;
  } catch (err) {
    throw new Error(`checkpoint manifest '${path}' is not valid JSON`, { cause: err });
  }
  if (parsed.version !== MANIFEST_VERSION) {
    throw new Error(
      `checkpoint manifest '${path}' has version ${String(parsed.version)}; this Rivulet reads ${MANIFEST_VERSION}`,
    );
  }
  if (
    !Number.isSafeInteger(parsed.checkpointId) ||
    !Array.isArray(parsed.operators) ||
    !Number.isSafeInteger(parsed.maxParallelism)
  ) {
    throw new Error(`checkpoint manifest '${path}' is incomplete`);
  }
  return parsed as CheckpointManifest;
}
