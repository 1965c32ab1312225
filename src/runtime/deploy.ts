/**
 * Turns a physical plan into live subtasks connected by channels on the calling thread (inline mode).
 *
 * Channel topology per network edge (upstream parallelism u, downstream d):
 *   all-to-all (rebalance, shuffle, broadcast, keyGroup, global): every upstream subtask has d channels;
 *   pointwise (forward, rescale): u == d: i → i; u > d: i → floor(i·d/u); u < d: i → every j with floor(j·u/d) == i
 *   (Flink's pointwise distribution, SEMANTICS.md §7 rescale examples).
 */
import type { LogicalNode, NodeId } from '../graph/logical-graph.ts';
import type { PhysicalPlan, PlanEdge, PlanVertex } from '../graph/physical-plan.ts';
import type { Kernel } from '../wasm/kernel.ts';
import { ChainOutput, type ChainedOperator } from './chain-output.ts';
import { Channel } from './channel.ts';
import { createChannelSelector } from './channel-selector.ts';
import { operatorStateKey } from './checkpoint/checkpoint-layout.ts';
import type { RestoredOperatorState } from './checkpoint/operator-state.ts';
import type { CheckpointWiring } from './checkpoint/subtask-snapshot.ts';
import type { Operator, OperatorContext } from './operator.ts';
import type { ProcessingTimeQueue, ProcessingTimeService } from './processing-time.ts';
import { RecordWriter } from './record-writer.ts';
import { InputSubtask, SourceSubtask, type Subtask, type SubtaskInfo } from './subtask.ts';

export interface DeployOptions {
  readonly kernel: Kernel;
  readonly timers: ProcessingTimeQueue;
  readonly batchSize: number;
  readonly channelCapacity: number;
  readonly writeLine: (line: string) => void;
  /** Workers mode: whether subtask `index` of `vertex` runs here (default: every subtask, inline mode). */
  readonly owns?: (vertex: PlanVertex, index: number) => boolean;
  /** Workers mode: the ends of channel upstream `i` → downstream `j` of network edge `edgeIndex` (see ChannelEnds). */
  readonly createChannel?: ChannelFactory;
  /** Set when the job takes checkpoints: how subtasks align and reach the coordinator. */
  readonly checkpointing?: CheckpointWiring;
  /** Set when the job restores: the state of subtask `index` of `parallelism` of the operator stored under `key`. */
  readonly restore?: RestoreLookup;
}

export type RestoreLookup = (key: string, index: number, parallelism: number) => RestoredOperatorState | undefined;

/**
 * The two ends of one channel: what upstream subtask i writes to and what downstream subtask j reads from. In-process
 * both are the same Channel; across workers only the end whose subtask runs here is a live (remote) channel.
 */
export interface ChannelEnds {
  readonly sender: Channel;
  readonly receiver: Channel;
}

/** `edgeIndex` indexes `plan.edges`, the same in every worker that planned the same graph. */
export type ChannelFactory = (edgeIndex: number, i: number, j: number, capacity: number) => ChannelEnds;

const inProcessChannel: ChannelFactory = (_edgeIndex, _i, _j, capacity) => {
  const channel = new Channel(capacity);
  return { sender: channel, receiver: channel };
};

interface EdgeChannels {
  /** outgoing[i] = channels of upstream subtask i, in downstream order. */
  readonly outgoing: Channel[][];
}

export function deploy(plan: PhysicalPlan, options: DeployOptions): Subtask[] {
  const networkEdges = plan.edges.filter((e) => !e.chained);
  const incoming = new Map<NodeId, Channel[][]>(); // head node → per downstream subtask, its input channels
  const channelsOf = new Map<PlanEdge, EdgeChannels>();
  const createChannel = options.createChannel ?? inProcessChannel;
  for (const edge of networkEdges) {
    channelsOf.set(edge, connect(plan, edge, options.channelCapacity, incoming, createChannel));
  }

  const subtasks: Subtask[] = [];
  for (const vertex of plan.vertices) {
    for (let index = 0; index < vertex.parallelism; index++) {
      if (options.owns && !options.owns(vertex, index)) continue;
      const vertexName = vertex.nodeIds.map((id) => plan.graph.node(id).name).join(' -> ');
      const info: SubtaskInfo = {
        id: subtasks.length,
        index,
        parallelism: vertex.parallelism,
        vertexId: vertex.id,
        vertexName,
      };
      subtasks.push(createSubtask(plan, vertex, info, networkEdges, channelsOf, incoming, options));
    }
  }
  return subtasks;
}

function connect(
  plan: PhysicalPlan,
  edge: PlanEdge,
  capacity: number,
  incoming: Map<NodeId, Channel[][]>,
  createChannel: ChannelFactory,
): EdgeChannels {
  const up = plan.parallelismOf(edge.edge.from);
  const down = plan.parallelismOf(edge.edge.to);
  let inputs = incoming.get(edge.edge.to);
  if (!inputs) {
    inputs = Array.from({ length: down }, () => []);
    incoming.set(edge.edge.to, inputs);
  }
  const outgoing: Channel[][] = Array.from({ length: up }, () => []);
  const edgeIndex = plan.edges.indexOf(edge);
  forEachChannel(plan, edge, (i, j) => {
    const ends = createChannel(edgeIndex, i, j, capacity);
    (outgoing[i] as Channel[]).push(ends.sender);
    (inputs[j] as Channel[]).push(ends.receiver);
  });
  return { outgoing };
}

/** Calls `fn(i, j)` for every channel of a network edge, upstream-major, in downstream order (the topology above). */
export function forEachChannel(plan: PhysicalPlan, edge: PlanEdge, fn: (i: number, j: number) => void): void {
  const up = plan.parallelismOf(edge.edge.from);
  const down = plan.parallelismOf(edge.edge.to);
  for (let i = 0; i < up; i++) {
    for (let j = 0; j < down; j++) {
      if (!edge.pointwise || pointwiseConnected(i, j, up, down)) fn(i, j);
    }
  }
}

function pointwiseConnected(i: number, j: number, up: number, down: number): boolean {
  if (up === down) return i === j;
  if (up > down) return Math.floor((i * down) / up) === j;
  return Math.floor((j * up) / down) === i;
}

function createSubtask(
  plan: PhysicalPlan,
  vertex: PlanVertex,
  info: SubtaskInfo,
  networkEdges: readonly PlanEdge[],
  channelsOf: ReadonlyMap<PlanEdge, EdgeChannels>,
  incoming: ReadonlyMap<NodeId, Channel[][]>,
  options: DeployOptions,
): Subtask {
  const graph = plan.graph;
  const headNode = graph.node(vertex.nodeIds[0] as NodeId);
  const operators = new Map<NodeId, ChainedOperator>();
  for (const id of vertex.nodeIds) {
    const node = graph.node(id);
    if (node.createOperator) {
      operators.set(id, { name: node.name, operator: node.createOperator(), stateKey: operatorStateKey(node) });
    }
  }
  const allWriters: RecordWriter[] = [];
  const writersFrom = (node: LogicalNode, sideOutput: string | undefined): RecordWriter[] =>
    networkEdges
      .filter((e) => e.edge.from === node.id && e.edge.sideOutput === sideOutput)
      .map((e) => {
        const channels = (channelsOf.get(e) as EdgeChannels).outgoing[info.index] as Channel[];
        const downName = graph.node(e.edge.to).name;
        const selector = createChannelSelector(
          e.kind,
          e.edge.partitioner,
          channels.length,
          options.kernel,
          plan.maxParallelism,
          downName,
        );
        const writer = new RecordWriter(channels, selector, options.batchSize, options.kernel);
        allWriters.push(writer);
        return writer;
      });

  // Outputs are wired before any operator opens; operators open tail first so a successor is ready before its
  // predecessor can emit (as Flink's StreamOperatorWrapper does).
  const members: ChainedOperator[] = [];
  const outputs = new Map<NodeId, ChainOutput>();
  let subtask: Subtask | undefined;
  const lazyGuard = <T>(name: string, fn: () => T): T => (subtask as Subtask).guard(name, fn);
  for (const id of vertex.nodeIds) {
    const node = graph.node(id);
    const chained = plan.edges
      .filter((e) => e.chained && e.edge.from === id)
      .map((e) => operators.get(e.edge.to) as ChainedOperator);
    const sideWriters = new Map<string, RecordWriter[]>();
    for (const tag of node.sideOutputs) sideWriters.set(tag, writersFrom(node, tag));
    outputs.set(id, new ChainOutput(chained, writersFrom(node, undefined), sideWriters, lazyGuard));
    const member = operators.get(id);
    if (member) members.push(member);
  }

  if (headNode.createSource) {
    const sourceKey = operatorStateKey(headNode);
    const splits = options.restore?.(sourceKey, info.index, info.parallelism)?.operatorState;
    const reader = headNode.createSource(info.index, info.parallelism, splits);
    if (options.checkpointing?.enabled && !reader.snapshotState) {
      throw new Error(
        `'${headNode.name}' cannot be checkpointed: it is not replayable (a source over an async iterable cannot ` +
          'be read again from a position); use a replayable source or do not enable checkpointing',
      );
    }
    const output = outputs.get(headNode.id) as ChainOutput;
    const pollLimit = options.batchSize;
    subtask = new SourceSubtask(
      info,
      headNode.name,
      reader,
      output,
      members,
      allWriters,
      options.timers,
      pollLimit,
      sourceKey,
    );
  } else {
    const channels = incoming.get(headNode.id)?.[info.index] ?? [];
    subtask = new InputSubtask(info, channels, members, allWriters, options.timers);
  }
  const opened = subtask;
  for (const id of [...vertex.nodeIds].reverse()) {
    const member = operators.get(id);
    if (!member) continue;
    const ctx: OperatorContext = {
      operatorName: member.name,
      subtaskIndex: info.index,
      parallelism: info.parallelism,
      maxParallelism: plan.maxParallelism,
      kernel: options.kernel,
      processingTime: guardedTimers(options.timers.forOwner(info.id), (fn) => opened.guard(member.name, fn)),
      writeLine: options.writeLine,
      checkpointing: options.checkpointing?.enabled ?? false,
    };
    const output = outputs.get(id) as ChainOutput;
    opened.guard(member.name, () => (member.operator as Operator).open(ctx, output));
  }
  // Restored state goes in once every operator of the chain is open, before any record (operator-state.ts).
  for (const member of members) {
    const restored = options.restore?.(member.stateKey as string, info.index, info.parallelism);
    const operator = member.operator;
    if (restored && operator.initializeState) opened.guard(member.name, () => operator.initializeState?.(restored));
  }
  subtask.checkpointing = options.checkpointing;
  return subtask;
}

/** Timer callbacks run under the operator's guard, so a failing onTimer names its operator. */
function guardedTimers(service: ProcessingTimeService, guard: (fn: () => void) => void): ProcessingTimeService {
  return {
    now: () => service.now(),
    registerTimer: (timestamp, callback) => service.registerTimer(timestamp, (ts) => guard(() => callback(ts))),
  };
}
