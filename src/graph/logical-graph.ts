/**
 * The logical graph: what the fluent API builds. Nodes and edges are plain data (no closures), so a worker that
 * rebuilds the same job can compare fingerprints; the closures live beside them in `createOperator` / partitioner
 * key selectors and are never serialized.
 */
import type { Committer } from '../api/sink.ts';
import type { Operator } from '../runtime/operator.ts';
import type { SourceReader } from '../runtime/sources/source-reader.ts';
import type { PartitionerSpec } from './partitioning.ts';

export type NodeId = number;

/** What the runtime needs to instantiate one parallel instance of a node. */
export type OperatorFactory = () => Operator;
/**
 * `restored`: the splits a checkpoint assigned to this subtask (SourceReader.snapshotState of the old subtasks,
 * redistributed); undefined when the job starts fresh.
 */
export type SourceFactory = (subtaskIndex: number, parallelism: number, restored?: readonly unknown[]) => SourceReader;

export interface LogicalNode {
  readonly id: NodeId;
  /** Operator kind, e.g. 'map', 'keyed-reduce', 'sink'; part of the fingerprint. */
  readonly kind: string;
  name: string;
  uid: string | undefined;
  /** Explicit parallelism; undefined means the environment default. */
  parallelism: number | undefined;
  /** Sources such as fromElements run with parallelism 1 only (Flink's non-parallel sources). */
  readonly nonParallel: boolean;
  /** Function-free description of the operator's configuration (field names, sizes, tags). */
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
  /** Side-output tag ids this node may emit to. */
  readonly sideOutputs: Set<string>;
  readonly createOperator?: OperatorFactory;
  readonly createSource?: SourceFactory;
  /** Two-phase-commit sinks: the committer, created once per job on the host (api/sink.ts). */
  readonly createCommitter?: () => Committer<unknown>;
}

export interface LogicalEdge {
  readonly from: NodeId;
  readonly to: NodeId;
  /** Reads the named side output of `from` instead of its main output. */
  readonly sideOutput: string | undefined;
  readonly partitioner: PartitionerSpec;
}

export class LogicalGraph {
  readonly nodes: LogicalNode[] = [];
  readonly edges: LogicalEdge[] = [];

  addNode(spec: Omit<LogicalNode, 'id' | 'uid' | 'parallelism' | 'sideOutputs'>): LogicalNode {
    const node: LogicalNode = {
      ...spec,
      id: this.nodes.length,
      uid: undefined,
      parallelism: undefined,
      sideOutputs: new Set(),
    };
    this.nodes.push(node);
    return node;
  }

  addEdge(edge: LogicalEdge): void {
    this.edges.push(edge);
  }

  node(id: NodeId): LogicalNode {
    const node = this.nodes[id];
    if (!node) throw new Error(`no node ${id} in the graph`);
    return node;
  }

  inputsOf(id: NodeId): LogicalEdge[] {
    return this.edges.filter((e) => e.to === id);
  }

  outputsOf(id: NodeId): LogicalEdge[] {
    return this.edges.filter((e) => e.from === id);
  }
}
