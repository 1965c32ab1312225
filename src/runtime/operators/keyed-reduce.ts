import { RecordBatch } from '../../batch/record-batch.ts';
import { keyIdentity } from '../../wasm/key-encoding.ts';
import type { OperatorSnapshot, RestoredOperatorState } from '../checkpoint/operator-state.ts';
import { BaseOperator } from '../operator.ts';

interface KeyedAccumulator<T> {
  readonly key: unknown;
  value: T;
}

/**
 * Rolling aggregation on a keyed stream (Flink StreamGroupedReduceOperator): per key, the first record is stored
 * and emitted as it is; every later record is folded in with `reduce(accumulated, record)` and the new aggregate
 * emitted, with the incoming record's timestamp. One output per input.
 */
export class KeyedReduceOperator<T> extends BaseOperator {
  /** Current aggregate per key, keyed by the key's canonical identity. */
  private readonly aggregates = new Map<unknown, KeyedAccumulator<T>>();

  constructor(
    private readonly key: (value: T) => unknown,
    private readonly reduce: (accumulated: T, value: T) => T,
  ) {
    super();
  }

  /** Per key group, the `[key, aggregate]` pairs of its keys. */
  snapshotState(): OperatorSnapshot {
    const { kernel, maxParallelism } = this.ctx;
    const keyGroups = new Map<number, [unknown, T][]>();
    for (const { key, value } of this.aggregates.values()) {
      const keyGroup = kernel.keyGroup(key, maxParallelism);
      let pairs = keyGroups.get(keyGroup);
      if (pairs === undefined) keyGroups.set(keyGroup, (pairs = []));
      pairs.push([key, value]);
    }
    return { keyGroups };
  }

  initializeState(state: RestoredOperatorState): void {
    for (const pairs of state.keyGroups.values()) {
      for (const [key, value] of pairs as [unknown, T][]) this.aggregates.set(keyIdentity(key), { key, value });
    }
  }

  processBatch(batch: RecordBatch<T>): void {
    const out = new Array<T>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const value = batch.values[i] as T;
      const key = this.key(value);
      const id = keyIdentity(key);
      const entry = this.aggregates.get(id);
      if (entry === undefined) {
        this.aggregates.set(id, { key, value });
        out[i] = value;
      } else {
        entry.value = this.reduce(entry.value, value);
        out[i] = entry.value;
      }
    }
    this.output.collect(new RecordBatch(out, batch.timestamps));
  }
}
