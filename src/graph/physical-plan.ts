/**
 * Logical graph → physical plan: resolves each node's parallelism and each edge's partitioner, validates the
 * graph (errors name the parameter and the rule), and chains operators into vertices. A vertex runs as
 * `parallelism` subtasks; inside a subtask its chained operators call each other directly.
 *
 * Chaining rule (after Flink's StreamingJobGraphGenerator#isChainable, simplified): the edge reads the main
 * output, is forward after resolution, both sides have the same parallelism and the downstream node has exactly
 * one input edge.
 */
import { checkParallelism } from '../state/key-groups.ts';
import type { LogicalEdge, LogicalGraph, LogicalNode, NodeId } from './logical-graph.ts';
import { isPointwise, type PartitionerKind } from './partitioning.ts';

export interface PlanVertex {
  readonly id: number;
  /** Nodes of the chain in topological order; the first is the head. */
  readonly nodeIds: NodeId[];
  readonly parallelism: number;
}

export interface PlanEdge {
  readonly edge: LogicalEdge;
  readonly kind: Exclude<PartitionerKind, 'default'>;
  readonly pointwise: boolean;
  readonly chained: boolean;
}

export interface PhysicalPlan {
  readonly graph: LogicalGraph;
  readonly maxParallelism: number;
  readonly vertices: PlanVertex[];
  readonly edges: PlanEdge[];
  parallelismOf(id: NodeId): number;
  vertexOf(id: NodeId): PlanVertex;
}

export interface PlanConfig {
  readonly parallelism: number;
  readonly maxParallelism: number;
}

export function createPhysicalPlan(graph: LogicalGraph, config: PlanConfig): PhysicalPlan {
  if (graph.nodes.length === 0) {
    throw new Error('No operators defined in streaming topology. Cannot execute.');
  }
  checkUniqueUids(graph.nodes);
  const parallelism = graph.nodes.map((node) => resolveParallelism(node, config));
  const parallelismOf = (id: NodeId): number => parallelism[id] as number;

  const edges = graph.edges.map((edge): PlanEdge => {
    const kind = resolvePartitioner(graph, edge, parallelismOf);
    const chained = kind === 'forward' && edge.sideOutput === undefined && graph.inputsOf(edge.to).length === 1;
    return { edge, kind, pointwise: isPointwise(kind), chained };
  });

  // Node ids are topological (an edge always points from an older node to a newer one), so a single pass
  // assigns each chained node to its upstream's vertex.
  const vertexIdOf: number[] = [];
  const vertices: PlanVertex[] = [];
  for (const node of graph.nodes) {
    const chainedInput = edges.find((e) => e.chained && e.edge.to === node.id);
    if (chainedInput) {
      const vertexId = vertexIdOf[chainedInput.edge.from] as number;
      vertexIdOf[node.id] = vertexId;
      (vertices[vertexId] as PlanVertex).nodeIds.push(node.id);
    } else {
      vertexIdOf[node.id] = vertices.length;
      vertices.push({ id: vertices.length, nodeIds: [node.id], parallelism: parallelismOf(node.id) });
    }
  }
  return {
    graph,
    maxParallelism: config.maxParallelism,
    vertices,
    edges,
    parallelismOf,
    vertexOf: (id) => vertices[vertexIdOf[id] as number] as PlanVertex,
  };
}

function resolveParallelism(node: LogicalNode, config: PlanConfig): number {
  const p = node.nonParallel ? 1 : (node.parallelism ?? config.parallelism);
  checkParallelism(p, config.maxParallelism, `parallelism of '${node.name}'`);
  return p;
}

function resolvePartitioner(
  graph: LogicalGraph,
  edge: LogicalEdge,
  parallelismOf: (id: NodeId) => number,
): Exclude<PartitionerKind, 'default'> {
  const up = parallelismOf(edge.from);
  const down = parallelismOf(edge.to);
  const kind = edge.partitioner.kind;
  if (kind === 'default') return up === down ? 'forward' : 'rebalance';
  if (kind === 'forward' && up !== down) {
    throw new Error(
      `Forward partitioning does not allow change of parallelism. Upstream operation: '${graph.node(edge.from).name}' ` +
        `parallelism: ${up}, downstream operation: '${graph.node(edge.to).name}' parallelism: ${down}. ` +
        'You must use another partitioning strategy, such as broadcast, rebalance, shuffle or global.',
    );
  }
  return kind;
}

function checkUniqueUids(nodes: readonly LogicalNode[]): void {
  const seen = new Map<string, string>();
  for (const node of nodes) {
    if (node.uid === undefined) continue;
    const other = seen.get(node.uid);
    if (other !== undefined) {
      throw new Error(`uid '${node.uid}' is used by both '${other}' and '${node.name}': operator uids must be unique`);
    }
    seen.set(node.uid, node.name);
  }
}
