/**
 * Where subtasks run in workers mode, and which channels cross a worker boundary. Host and workers compute both from
 * the same physical plan, so they agree without exchanging the plan: subtask i of every vertex runs on worker
 * `i % workers` (a non-parallel source or sink, subtask 0, on worker 0), and a channel is remote exactly when its
 * two subtasks run on different workers.
 */
import type { PhysicalPlan, PlanVertex } from '../../graph/physical-plan.ts';
import { forEachChannel } from '../deploy.ts';

export function workerOf(index: number, workers: number): number {
  return index % workers;
}

/** Names one channel: network edge (index into plan.edges), upstream subtask, downstream subtask. */
export function channelKey(edgeIndex: number, i: number, j: number): string {
  return `${edgeIndex}:${i}:${j}`;
}

export interface RemoteChannel {
  readonly key: string;
  readonly fromWorker: number;
  readonly toWorker: number;
}

/** Every channel whose ends run on different workers. */
export function remoteChannels(plan: PhysicalPlan, workers: number): RemoteChannel[] {
  const remote: RemoteChannel[] = [];
  plan.edges.forEach((edge, edgeIndex) => {
    if (edge.chained) return;
    forEachChannel(plan, edge, (i, j) => {
      const fromWorker = workerOf(i, workers);
      const toWorker = workerOf(j, workers);
      if (fromWorker !== toWorker) remote.push({ key: channelKey(edgeIndex, i, j), fromWorker, toWorker });
    });
  });
  return remote;
}

/** The workers a plan uses by default: its widest vertex, at most `cap`. */
export function defaultWorkerCount(plan: PhysicalPlan, cap: number): number {
  return Math.min(cap, Math.max(...plan.vertices.map((v: PlanVertex) => v.parallelism)));
}

/** What runs on `worker`, for error messages: `'a -> b' (i+1/p)` per subtask, a chain named as Flink names it. */
export function subtasksOn(plan: PhysicalPlan, worker: number, workers: number): string[] {
  const names: string[] = [];
  for (const vertex of plan.vertices) {
    const chain = vertex.nodeIds.map((id) => plan.graph.node(id).name).join(' -> ');
    for (let i = 0; i < vertex.parallelism; i++) {
      if (workerOf(i, workers) === worker) names.push(`'${chain}' (${i + 1}/${vertex.parallelism})`);
    }
  }
  return names;
}
