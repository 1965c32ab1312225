/**
 * DataStream<T>: the fluent facade over the logical graph. Each method is a doc comment plus a delegation to the
 * operator it adds; names and behaviour follow Flink's DataStream API (DESIGN.md §1).
 */
import type { LogicalNode, NodeId, OperatorFactory } from '../graph/logical-graph.ts';
import type { PartitionerKind, PartitionerSpec } from '../graph/partitioning.ts';
import { FilterOperator } from '../runtime/operators/filter.ts';
import { FlatMapOperator } from '../runtime/operators/flat-map.ts';
import { MapOperator } from '../runtime/operators/map.ts';
import { ProcessOperator } from '../runtime/operators/process.ts';
import { CollectBuffer } from '../runtime/sinks/collect-buffer.ts';
import { printSink } from '../runtime/sinks/print-sink.ts';
import { SinkOperator } from '../runtime/sinks/sink-operator.ts';
import { collectSink } from '../runtime/sinks/collect-sink.ts';
import { TimestampsAndWatermarksOperator } from '../runtime/operators/timestamps-and-watermarks.ts';
import type { StreamEnvironment } from './stream-environment.ts';
import {
  asFunction,
  functionInstance,
  type FilterFunction,
  type FlatMapFunction,
  type KeySelector,
  type MapFunction,
  type ProcessFunction,
} from './functions.ts';
import { fieldAccessor, type FieldExpression } from './field-access.ts';
import type { KeyedStream } from './keyed-stream.ts';
import type { OutputTag } from './output-tag.ts';
import type { Pipeline } from './pipeline.ts';
import type { Committer, Sink, SinkLike } from './sink.ts';
import { AllWindowedStream } from './all-windowed-stream.ts';
import type { WindowAssigner } from './windowing/window-assigner.ts';
import type { GlobalWindow, Window } from './windowing/windows.ts';
import { DataStreamSink } from './data-stream-sink.ts';
import { processFunctionOf } from './process-functions.ts';
import { WatermarkStrategy } from './watermark-strategy.ts';

/** One input of the next operator: a node's main or side output, and how records are partitioned onto it. */
export interface StreamInput {
  readonly from: NodeId;
  readonly sideOutput?: string;
  readonly partitioner: PartitionerSpec;
}

const DEFAULT_PARTITIONING: PartitionerSpec = { kind: 'default' };

type KeyedStreamConstructor = new <K, T>(
  environment: StreamEnvironment,
  pipeline: Pipeline,
  inputs: readonly StreamInput[],
  key: (value: T) => K,
) => KeyedStream<K, T>;

/**
 * KeyedStream extends DataStream, and DataStream.keyBy creates KeyedStreams: keyed-stream.ts registers its class
 * here when it loads (stream-environment.ts imports it), which keeps the module graph free of a load-order cycle.
 */
let keyedStreamClass: KeyedStreamConstructor | undefined;
export function registerKeyedStream(ctor: KeyedStreamConstructor): void {
  keyedStreamClass = ctor;
}

export class DataStream<T> {
  /** @internal */
  constructor(
    readonly environment: StreamEnvironment,
    /** @internal */ readonly pipeline: Pipeline,
    /** @internal */ readonly inputs: readonly StreamInput[],
    /** @internal The operator whose main output this is; undefined for unions and repartitioned streams. */
    readonly node: LogicalNode | undefined,
  ) {}

  /** One output per record. */
  map<R>(fn: MapFunction<T, R>): DataStream<R> {
    asFunction(fn, 'map', 'map');
    return this.transform(
      'map',
      'Map',
      () => new MapOperator(asFunction<(v: T) => R>(functionInstance(fn), 'map', 'map')),
    );
  }

  /** Zero or more outputs per record, emitted with `out.collect(x)`. */
  flatMap<R>(fn: FlatMapFunction<T, R>): DataStream<R> {
    type Fn = (v: T, out: { collect(x: R): void }) => void;
    asFunction(fn, 'flatMap', 'flatMap');
    return this.transform(
      'flat-map',
      'Flat Map',
      () => new FlatMapOperator(asFunction<Fn>(functionInstance(fn), 'flatMap', 'flatMap')),
    );
  }

  /** Keeps the records for which `fn` returns true. */
  filter(fn: FilterFunction<T>): DataStream<T> {
    asFunction(fn, 'filter', 'filter');
    return this.transform(
      'filter',
      'Filter',
      () => new FilterOperator(asFunction<(v: T) => boolean>(functionInstance(fn), 'filter', 'filter')),
    );
  }

  /** A ProcessFunction per record: `ctx.timestamp()`, `ctx.output(tag, v)` for side outputs, the timer service. */
  process<R>(fn: ProcessFunction<T, R> | ProcessFunction<T, R>['processElement']): DataStream<R> {
    const processFn = processFunctionOf(fn, 'process');
    return this.transform('process', 'Process', () => new ProcessOperator(functionInstance(processFn)));
  }

  /**
   * Sets each record's event timestamp and generates watermarks with `strategy` (SEMANTICS.md §2.2–2.3), probed
   * every `autoWatermarkInterval` ms. Watermarks from upstream are replaced, except the end-of-input MAX.
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): DataStream<T> {
    if (!(strategy instanceof WatermarkStrategy)) {
      throw new TypeError(
        'assignTimestampsAndWatermarks expects a WatermarkStrategy, e.g. WatermarkStrategy.forBoundedOutOfOrderness(ms)',
      );
    }
    const interval = this.environment.getAutoWatermarkInterval();
    return this.transform(
      'timestamps-watermarks',
      'Timestamps/Watermarks',
      () => new TimestampsAndWatermarksOperator(strategy, interval),
      { strategy: strategy.description, autoWatermarkInterval: interval },
    );
  }

  /** Merges streams of the same type; each input keeps its own partitioning. */
  union(...others: DataStream<T>[]): DataStream<T> {
    for (const other of others) {
      if (!(other instanceof DataStream) || other.pipeline !== this.pipeline) {
        throw new Error('union: every stream must come from the same StreamEnvironment pipeline');
      }
    }
    return new DataStream(
      this.environment,
      this.pipeline,
      [this, ...others].flatMap((s) => s.inputs),
      undefined,
    );
  }

  /** Partitions by key: records with equal keys go to the same subtask and share keyed state. */
  keyBy<K>(key: KeySelector<T, K> | (keyof T & string) | FieldExpression): KeyedStream<K, T> {
    let selector: (value: unknown) => unknown;
    let keyField: string | undefined;
    if (typeof key === 'function') {
      selector = key as (value: unknown) => unknown;
    } else {
      const accessor = fieldAccessor(key, 'keyBy');
      selector = accessor.get;
      keyField = accessor.expression;
    }
    const partitioner: PartitionerSpec = { kind: 'keyGroup', key: selector, ...(keyField ? { keyField } : {}) };
    if (!keyedStreamClass) throw new Error('internal error: KeyedStream is not registered');
    return new keyedStreamClass<K, T>(
      this.environment,
      this.pipeline,
      this.inputs.map((input) => ({ ...input, partitioner })),
      selector as (value: T) => K,
    );
  }

  /**
   * Windows over the whole stream, not per key (Flink `windowAll`): the window operator runs with parallelism 1
   * (SEMANTICS.md §4).
   */
  windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    return new AllWindowedStream<T, W>(this.keyBy(() => null).window(assigner));
  }

  /** Count windows over the whole stream (parallelism 1); see KeyedStream.countWindow. */
  countWindowAll(size: number, slide?: number): AllWindowedStream<T, GlobalWindow> {
    return new AllWindowedStream<T, GlobalWindow>(this.keyBy(() => null).countWindow(size, slide));
  }

  /** Round robin over downstream subtasks, from a random start. */
  rebalance(): DataStream<T> {
    return this.partition('rebalance');
  }
  /** A uniformly random downstream subtask per record. */
  shuffle(): DataStream<T> {
    return this.partition('shuffle');
  }
  /** Every record to every downstream subtask. */
  broadcast(): DataStream<T> {
    return this.partition('broadcast');
  }
  /** Round robin over the local subset of downstream subtasks (pointwise). */
  rescale(): DataStream<T> {
    return this.partition('rescale');
  }
  /** Every record to downstream subtask 0. */
  global(): DataStream<T> {
    return this.partition('global');
  }
  /** Subtask i to subtask i; the parallelism must not change across this edge. */
  forward(): DataStream<T> {
    return this.partition('forward');
  }

  /** The side output `tag` of this operator. */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    const node = this.requireNode('getSideOutput');
    node.sideOutputs.add(tag.id);
    const input: StreamInput = { from: node.id, sideOutput: tag.id, partitioner: DEFAULT_PARTITIONING };
    return new DataStream<X>(this.environment, this.pipeline, [input], undefined);
  }

  /** Names the operator (shown in errors, metrics and prints). */
  name(name: string): this {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('name must be a non-empty string');
    this.requireNode('name').name = name;
    return this;
  }

  /** A stable id for the operator, used to map its state in savepoints; unique within the job. */
  uid(uid: string): this {
    if (typeof uid !== 'string' || uid.length === 0) throw new TypeError('uid must be a non-empty string');
    this.requireNode('uid').uid = uid;
    return this;
  }

  /** Parallelism of this operator (1 ≤ n ≤ maxParallelism). */
  setParallelism(parallelism: number): this {
    const node = this.requireNode('setParallelism');
    this.environment.checkOperatorParallelism(parallelism, node);
    node.parallelism = parallelism;
    return this;
  }

  /** Writes every record to `sink`. */
  sinkTo(sink: SinkLike<T>): DataStreamSink {
    const resolved: Sink<T> =
      typeof sink === 'function'
        ? { createWriter: () => ({ write: sink }) }
        : (sink as Sink<T> | undefined)?.createWriter
          ? sink
          : invalidSink(sink);
    const createCommitter = resolved.createCommitter
      ? () => (resolved.createCommitter as () => Committer<unknown>)()
      : undefined;
    return this.addSink('sink', 'Sink: Unnamed', () => new SinkOperator(resolved), false, createCommitter);
  }

  /** Prints each record as a line on the environment's stdout, prefixed by the subtask when parallel. */
  print(identifier?: string): DataStreamSink {
    const sink = printSink<T>(() => this.environment.stdout, identifier);
    return this.addSink('print', 'Sink: Print to Std. Out', () => new SinkOperator(sink), false);
  }

  /** Runs the environment's job and resolves with this stream's records. */
  async executeAndCollect(jobName?: string): Promise<T[]> {
    const buffer = this.collectInto();
    await this.environment.execute(jobName);
    return buffer.drain();
  }

  /** Registers a collecting sink; iterate it while or after `env.execute()` runs. Iterable once. */
  collectAsync(): AsyncIterable<T> {
    return this.collectInto();
  }

  /** @internal Adds an operator reading this stream. */
  transform<R>(
    kind: string,
    name: string,
    createOperator: OperatorFactory,
    params: LogicalNode['params'] = {},
    nonParallel = false,
  ): DataStream<R> {
    const node = this.addNode(kind, name, createOperator, params, nonParallel);
    return new DataStream<R>(
      this.environment,
      this.pipeline,
      [{ from: node.id, partitioner: DEFAULT_PARTITIONING }],
      node,
    );
  }

  private addNode(
    kind: string,
    name: string,
    createOperator: OperatorFactory,
    params: LogicalNode['params'],
    nonParallel: boolean,
    createCommitter?: () => Committer<unknown>,
  ): LogicalNode {
    this.pipeline.checkOpen(kind);
    const graph = this.pipeline.graph;
    const node = graph.addNode({ kind, name, nonParallel, params, createOperator, createCommitter });
    for (const input of this.inputs) {
      graph.addEdge({ from: input.from, to: node.id, sideOutput: input.sideOutput, partitioner: input.partitioner });
    }
    return node;
  }

  private addSink(
    kind: string,
    name: string,
    createOperator: OperatorFactory,
    nonParallel: boolean,
    createCommitter?: () => Committer<unknown>,
  ): DataStreamSink {
    const node = this.addNode(kind, name, createOperator, {}, nonParallel, createCommitter);
    return new DataStreamSink(node, this.environment);
  }

  private collectInto(): CollectBuffer<T> {
    const buffer = new CollectBuffer<T>();
    const sink = collectSink(buffer);
    this.addSink(
      'collect',
      'Sink: Collect',
      () => new SinkOperator(sink),
      true,
      () => sink.createCommitter(),
    );
    this.pipeline.collectBuffers.push(buffer as CollectBuffer<unknown>);
    return buffer;
  }

  private partition(kind: PartitionerKind): DataStream<T> {
    const partitioner: PartitionerSpec = { kind };
    return new DataStream(
      this.environment,
      this.pipeline,
      this.inputs.map((input) => ({ ...input, partitioner })),
      undefined,
    );
  }

  private requireNode(api: string): LogicalNode {
    if (!this.node) {
      throw new Error(
        `${api}: applies to the output of one operator; this stream is a union, a side output or a repartitioning`,
      );
    }
    return this.node;
  }
}

function invalidSink(sink: unknown): never {
  throw new TypeError(`sinkTo expects a Sink (an object with createWriter()) or a function, got ${typeof sink}`);
}
