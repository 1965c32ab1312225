/**
 * A stable text digest of the function-free graph. A worker that imports the job module and rebuilds the graph
 * must arrive at the same fingerprint as the coordinator, or it is running a different job.
 */
import type { LogicalGraph } from './logical-graph.ts';

export function graphDescription(graph: LogicalGraph): string {
  const nodes = graph.nodes.map((n) => ({
    id: n.id,
    kind: n.kind,
    name: n.name,
    uid: n.uid ?? null,
    parallelism: n.parallelism ?? null,
    params: n.params,
    sideOutputs: [...n.sideOutputs].sort(),
  }));
  const edges = graph.edges.map((e) => ({
    from: e.from,
    to: e.to,
    sideOutput: e.sideOutput ?? null,
    partitioner: e.partitioner.kind,
    keyField: e.partitioner.keyField ?? null,
  }));
  return JSON.stringify({ nodes, edges });
}

/** FNV-1a over the description, as 8 hex digits; collisions only matter between two builds of one module. */
export function graphFingerprint(graph: LogicalGraph): string {
  const text = graphDescription(graph);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
