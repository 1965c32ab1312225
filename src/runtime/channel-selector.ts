/**
 * Picks output channels per record, one class per partitioner of SEMANTICS.md §7. `select` returns either one
 * channel index for the whole batch or a per-record array of channel indices; BROADCAST means every channel. The
 * array is the caller's only until its next `select` (keyBy reuses it from batch to batch).
 */
import type { RecordBatch } from '../batch/record-batch.ts';
import type { PartitionerSpec } from '../graph/partitioning.ts';
import { operatorIndexForKeyGroup } from '../state/key-groups.ts';
import type { Kernel } from '../wasm/kernel.ts';
import { OperatorError } from './errors.ts';
import type { Column } from '../batch/columnar-batch.ts';
import { columnValues } from '../batch/columnar-select.ts';
import { SmallKeyTable } from '../wasm/small-key-lookup.ts';

export const BROADCAST = -1;

export interface ChannelSelector {
  select(batch: RecordBatch): number | Int32Array;
}

/** forward (one channel), global (channel 0 of n). */
export class FixedChannel implements ChannelSelector {
  constructor(private readonly channel: number) {}
  select(): number {
    return this.channel;
  }
}

export class BroadcastChannels implements ChannelSelector {
  select(): number {
    return BROADCAST;
  }
}

/** rebalance (random start, as RebalancePartitioner#setup) and rescale (start at 0): round robin per record. */
export class RoundRobinChannels implements ChannelSelector {
  constructor(
    private readonly channelCount: number,
    private next: number,
  ) {}
  select(batch: RecordBatch): Int32Array {
    const out = new Int32Array(batch.length);
    for (let i = 0; i < out.length; i++) {
      this.next = this.next + 1 >= this.channelCount ? 0 : this.next + 1;
      out[i] = this.next;
    }
    return out;
  }
}

/** shuffle: a uniformly random channel per record. */
export class RandomChannels implements ChannelSelector {
  constructor(private readonly channelCount: number) {}
  select(batch: RecordBatch): Int32Array {
    const out = new Int32Array(batch.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.floor(Math.random() * this.channelCount);
    return out;
  }
}

/** keyBy: `operatorIndex(keyGroup(key))` (SEMANTICS.md §5.2), key groups hashed in one kernel call per batch. */
export class KeyGroupChannels implements ChannelSelector {
  constructor(
    private readonly key: (value: unknown) => unknown,
    private readonly kernel: Kernel,
    private readonly maxParallelism: number,
    private readonly channelCount: number,
    /** The keyed operator this key selector belongs to; named when the selector throws. */
    private readonly keyedOperatorName: string,
    /** keyBy('field'): the field, so keys of a columnar batch come from its column. */
    private readonly keyField?: string,
  ) {}
  /** Channel of each small non-negative integer key seen so far. */
  private readonly smallKeyChannels = new SmallKeyTable();
  /** The channels selectNumeric returns: reused from batch to batch, valid until the next select. */
  private channelScratch = new Int32Array(0);

  select(batch: RecordBatch): number | Int32Array {
    // One downstream subtask: every record goes there; the keyed operator extracts keys itself.
    if (this.channelCount === 1) return 0;
    const column = this.keyColumn(batch);
    if (column !== undefined && column.type !== 'string') return this.selectNumeric(column.values);
    const keys = this.keysOf(batch);
    const groups = this.kernel.keyGroups(keys, this.maxParallelism);
    for (let i = 0; i < groups.length; i++) {
      groups[i] = operatorIndexForKeyGroup(this.maxParallelism, this.channelCount, groups[i] as number);
    }
    return groups;
  }

  /**
   * Channels for a numeric key column. Keys repeat, so small non-negative integer keys (below 2^20) keep their
   * channel in a table and are hashed once each; other keys go through the kernel per batch.
   */
  private selectNumeric(values: Float64Array | Int32Array): Int32Array {
    if (this.channelScratch.length < values.length) this.channelScratch = new Int32Array(values.length);
    const out = this.channelScratch.subarray(0, values.length);
    const known = this.smallKeyChannels.lookup(this.kernel, values, out);
    if (known === values.length) return out;
    // Each distinct key not in the table is hashed once: a first batch holds each of its keys many times.
    const distinct = new Map<number, number>(); // key → its position in `keys` (Map equates -0 and 0, as keys do)
    const keys: number[] = [];
    for (let i = 0; i < out.length; i++) {
      if (out[i] !== -1) continue;
      const key = values[i] as number;
      if (!distinct.has(key)) distinct.set(key, keys.push(key) - 1);
    }
    const groups = this.kernel.keyGroups(keys, this.maxParallelism);
    const channels = Array.from(groups, (group) =>
      operatorIndexForKeyGroup(this.maxParallelism, this.channelCount, group),
    );
    for (let i = 0; i < out.length; i++) {
      if (out[i] === -1) out[i] = channels[distinct.get(values[i] as number) as number] as number;
    }
    keys.forEach((key, j) => {
      if (SmallKeyTable.isSmall(key)) this.smallKeyChannels.set(key, channels[j] as number);
    });
    return out;
  }

  private keyColumn(batch: RecordBatch): Column | undefined {
    return this.keyField !== undefined ? batch.columnar?.columns.find((c) => c.name === this.keyField) : undefined;
  }

  /** Keys of a batch: read straight from the key column of a columnar batch, else by the key selector. */
  private keysOf(batch: RecordBatch): readonly unknown[] {
    const column = this.keyColumn(batch);
    if (column !== undefined) return Array.from(columnValues(column));
    try {
      return batch.values.map((v) => this.key(v));
    } catch (err) {
      throw new OperatorError(`${this.keyedOperatorName} (key selector)`, 0, 1, err);
    }
  }
}

export function createChannelSelector(
  kind: string,
  spec: PartitionerSpec,
  channelCount: number,
  kernel: Kernel,
  maxParallelism: number,
  downstreamName: string,
): ChannelSelector {
  switch (kind) {
    case 'forward':
    case 'global':
      return new FixedChannel(0);
    case 'broadcast':
      return new BroadcastChannels();
    case 'rebalance':
      return new RoundRobinChannels(channelCount, Math.floor(Math.random() * channelCount));
    case 'rescale':
      return new RoundRobinChannels(channelCount, channelCount - 1);
    case 'shuffle':
      return new RandomChannels(channelCount);
    case 'keyGroup':
      if (!spec.key) throw new Error('keyGroup partitioner without a key selector');
      return new KeyGroupChannels(spec.key, kernel, maxParallelism, channelCount, downstreamName, spec.keyField);
    default:
      throw new Error(`unknown partitioner '${kind}'`);
  }
}
