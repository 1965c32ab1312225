/**
 * Writes one output of a subtask to the channels of one network edge. Records are split per channel and buffered
 * into batches of up to `batchSize`; buffers are flushed when full, at the end of each scheduler step (the
 * equivalent of Flink's buffer timeout) and always before an in-band event, so no record overtakes a watermark
 * or end-of-input marker.
 */
import type { ColumnarBatch } from '../batch/columnar-batch.ts';
import { encodeColumnar } from '../batch/columnar-layout.ts';
import { BatchBuilder, RecordBatch } from '../batch/record-batch.ts';
import type { Channel } from './channel.ts';
import { BROADCAST, type ChannelSelector } from './channel-selector.ts';
import type { StreamElement } from './elements.ts';

export class RecordWriter {
  private readonly buffers: BatchBuilder[];
  /** Row indices of the batch being split, grouped by channel; reused from batch to batch. */
  private rowsByChannel = new Int32Array(0);
  /** Records handed to `write` (a metric: counted once per write, not per channel a broadcast reaches). */
  recordsWritten = 0;

  constructor(
    private readonly channels: readonly Channel[],
    private readonly selector: ChannelSelector,
    private readonly batchSize: number,
  ) {
    this.buffers = channels.map(() => new BatchBuilder());
  }

  /** True when every channel can take another batch. */
  hasCredit(): boolean {
    for (const channel of this.channels) if (!channel.hasCredit()) return false;
    return true;
  }

  write(batch: RecordBatch): void {
    if (batch.length === 0) return;
    this.recordsWritten += batch.length;
    const target = this.selector.select(batch);
    if (typeof target === 'number') {
      if (target === BROADCAST) {
        for (let c = 0; c < this.channels.length; c++) this.writeWhole(c, batch);
      } else {
        this.writeWhole(target, batch);
      }
      return;
    }
    if (batch.columnar !== undefined) {
      this.writeColumnar(batch, target);
      return;
    }
    for (let i = 0; i < target.length; i++) {
      this.writeRecord(target[i] as number, batch.values[i], batch.timestamps[i] as number);
    }
  }

  /**
   * Splits a columnar batch into one columnar batch per channel, keeping it columnar. Each channel's rows are
   * gathered straight into the wire layout (columnar-layout.ts), which the channel then owns: a remote channel
   * transfers that buffer as it is, an in-process one reads views of it, so every row is copied once.
   */
  private writeColumnar(batch: RecordBatch, target: Int32Array): void {
    const columnar = batch.columnar as ColumnarBatch;
    const channelCount = this.channels.length;
    // Counting sort of row indices by channel: one pass to count, one to place, in row order.
    const counts = new Int32Array(channelCount + 1);
    for (let i = 0; i < target.length; i++) {
      const slot = (target[i] as number) + 1;
      counts[slot] = (counts[slot] as number) + 1;
    }
    for (let c = 1; c <= channelCount; c++) counts[c] = (counts[c] as number) + (counts[c - 1] as number);
    if (this.rowsByChannel.length < target.length) this.rowsByChannel = new Int32Array(target.length);
    const rows = this.rowsByChannel;
    const next = counts.slice(0, channelCount);
    for (let i = 0; i < target.length; i++) {
      const channel = target[i] as number;
      const at = next[channel] as number;
      rows[at] = i;
      next[channel] = at + 1;
    }
    for (let c = 0; c < channelCount; c++) {
      const from = counts[c] as number;
      const to = counts[c + 1] as number;
      if (to === from) continue;
      this.flushChannel(c); // buffered rows first: order per channel is kept
      const channel = this.channels[c] as Channel;
      if (to - from === batch.length) channel.push({ kind: 'data', batch });
      else channel.pushEncodedColumnar(encodeColumnar(columnar, rows.subarray(from, to)));
    }
  }

  /** A single record to the channels its partitioner picks (side outputs arrive one record at a time). */
  writeOne(value: unknown, timestamp: number): void {
    this.write(new RecordBatch([value], [timestamp]));
  }

  /** Flushes buffered records, then puts `element` on every channel. */
  broadcastEvent(element: StreamElement): void {
    this.flush();
    for (const channel of this.channels) channel.push(element);
  }

  flush(): void {
    for (let c = 0; c < this.channels.length; c++) this.flushChannel(c);
  }

  private flushChannel(channel: number): void {
    const buffer = this.buffers[channel] as BatchBuilder;
    if (buffer.length > 0) (this.channels[channel] as Channel).push({ kind: 'data', batch: buffer.take() });
  }

  private writeWhole(channel: number, batch: RecordBatch): void {
    const buffer = this.buffers[channel] as BatchBuilder;
    if (batch.columnar !== undefined) {
      this.flushChannel(channel);
      (this.channels[channel] as Channel).push({ kind: 'data', batch });
      return;
    }
    if (buffer.length === 0 && batch.length >= this.batchSize / 2) {
      (this.channels[channel] as Channel).push({ kind: 'data', batch });
      return;
    }
    for (let i = 0; i < batch.length; i++) this.writeRecord(channel, batch.values[i], batch.timestamps[i] as number);
  }

  private writeRecord(channel: number, value: unknown, timestamp: number): void {
    const buffer = this.buffers[channel] as BatchBuilder;
    buffer.add(value, timestamp);
    if (buffer.length >= this.batchSize)
      (this.channels[channel] as Channel).push({ kind: 'data', batch: buffer.take() });
  }
}
