/**
 * Picks output channels per record, one class per partitioner of SEMANTICS.md §7. `select` returns either one
 * channel index for the whole batch or a per-record array of channel indices; BROADCAST means every channel.
 */
import type { RecordBatch } from '../batch/record-batch.ts';
import type { PartitionerSpec } from '../graph/partitioning.ts';
import { operatorIndexForKeyGroup } from '../state/key-groups.ts';
import type { Kernel } from '../wasm/kernel.ts';
import { OperatorError } from './errors.ts';
import { columnValues } from '../batch/columnar-select.ts';

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
  select(batch: RecordBatch): number | Int32Array {
    // One downstream subtask: every record goes there; the keyed operator extracts keys itself.
    if (this.channelCount === 1) return 0;
    const keys = this.keysOf(batch);
    const groups = this.kernel.keyGroups(keys, this.maxParallelism);
    for (let i = 0; i < groups.length; i++) {
      groups[i] = operatorIndexForKeyGroup(this.maxParallelism, this.channelCount, groups[i] as number);
    }
    return groups;
  }

  /** Keys of a batch: read straight from the key column of a columnar batch, else by the key selector. */
  private keysOf(batch: RecordBatch): readonly unknown[] {
    const column =
      this.keyField !== undefined ? batch.columnar?.columns.find((c) => c.name === this.keyField) : undefined;
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
