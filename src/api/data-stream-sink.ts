import type { LogicalNode } from '../graph/logical-graph.ts';
import type { StreamEnvironment } from './stream-environment.ts';

/** What sinkTo/print return: the sink operator, to name it or set its parallelism (Flink `DataStreamSink`). */
export class DataStreamSink {
  /** @internal */
  constructor(
    private readonly node: LogicalNode,
    private readonly environment: StreamEnvironment,
  ) {}

  name(name: string): this {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('name must be a non-empty string');
    this.node.name = name;
    return this;
  }

  uid(uid: string): this {
    if (typeof uid !== 'string' || uid.length === 0) throw new TypeError('uid must be a non-empty string');
    this.node.uid = uid;
    return this;
  }

  setParallelism(parallelism: number): this {
    this.environment.checkOperatorParallelism(parallelism, this.node);
    this.node.parallelism = parallelism;
    return this;
  }
}
