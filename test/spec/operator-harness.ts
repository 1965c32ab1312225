/**
 * An operator test harness after Flink's KeyedOneInputStreamOperatorTestHarness: one operator instance with a real
 * OperatorContext (the wasm kernel, a processing-time queue on a ManualClock), fed batches and watermarks, its
 * output collected. `snapshot` takes a checkpoint through the state codec (every value is encoded and decoded, as
 * the runtime stores it); `restoreHarnesses` opens fresh instances at any parallelism, each given the key groups
 * of its keyGroupRange and its round-robin share of the operator-state lists (operator-state.ts).
 */
import type { ColumnarBatch } from '../../src/batch/columnar-batch.ts';
import { RecordBatch } from '../../src/batch/record-batch.ts';
import { currentPlatform } from '../../src/platform/index.ts';
import type { OperatorSnapshot } from '../../src/runtime/checkpoint/operator-state.ts';
import { decodeState, encodeState } from '../../src/runtime/checkpoint/state-codec.ts';
import type { Operator, OperatorContext } from '../../src/runtime/operator.ts';
import { ProcessingTimeQueue } from '../../src/runtime/processing-time.ts';
import { ManualClock } from '../../src/runtime/time.ts';
import { keyGroupRange, operatorIndexForKeyGroup } from '../../src/state/key-groups.ts';
import { loadKernel, type Kernel } from '../../src/wasm/kernel.ts';

/** What an operator emitted, in order: records, side-output records and watermarks. */
export type HarnessEvent =
  | { readonly value: unknown; readonly timestamp: number }
  | { readonly side: string; readonly value: unknown; readonly timestamp: number }
  | { readonly watermark: number };

/** A snapshot as the runtime would store it: one encoded blob per key group and per operator-state element. */
export interface EncodedSnapshot {
  readonly keyGroups: ReadonlyMap<number, Uint8Array>;
  readonly operatorState: readonly Uint8Array[];
}

let sharedKernel: Promise<Kernel> | undefined;
export function harnessKernel(): Promise<Kernel> {
  sharedKernel ??= currentPlatform().then(loadKernel);
  return sharedKernel;
}

export interface HarnessOptions {
  readonly parallelism?: number;
  readonly subtaskIndex?: number;
  readonly maxParallelism?: number;
  /** Processing time at open (default 0). */
  readonly now?: number;
}

export class OperatorHarness {
  readonly events: HarnessEvent[] = [];
  /** The main-output batches, as emitted (to see whether they are columnar). */
  readonly batches: RecordBatch[] = [];
  readonly clock: ManualClock;
  readonly parallelism: number;
  readonly subtaskIndex: number;
  readonly maxParallelism: number;
  private readonly queue: ProcessingTimeQueue;

  constructor(
    readonly operator: Operator,
    readonly kernel: Kernel,
    options: HarnessOptions = {},
  ) {
    this.parallelism = options.parallelism ?? 1;
    this.subtaskIndex = options.subtaskIndex ?? 0;
    this.maxParallelism = options.maxParallelism ?? 128;
    this.clock = new ManualClock(options.now ?? 0);
    this.queue = new ProcessingTimeQueue(this.clock);
    const ctx: OperatorContext = {
      operatorName: 'under test',
      subtaskIndex: this.subtaskIndex,
      parallelism: this.parallelism,
      maxParallelism: this.maxParallelism,
      kernel,
      processingTime: this.queue.forOwner(0),
      writeLine: () => {},
      checkpointing: true,
    };
    operator.open(ctx, {
      collect: (batch) => {
        this.batches.push(batch);
        for (let i = 0; i < batch.length; i++) {
          this.events.push({ value: batch.values[i], timestamp: batch.timestamps[i] as number });
        }
        return false; // the harness keeps every batch
      },
      emitWatermark: (watermark) => this.events.push({ watermark }),
      emitWatermarkStatus: () => {},
      collectSide: (side, value, timestamp) => this.events.push({ side, value, timestamp }),
    });
  }

  /** Feeds `[value, timestamp]` pairs as one batch. */
  process(elements: readonly (readonly [unknown, number])[]): this {
    if (elements.length === 0) return this;
    this.operator.processBatch(
      new RecordBatch(
        elements.map(([v]) => v),
        elements.map(([, t]) => t),
      ),
    );
    return this;
  }

  /** Feeds a columnar batch. */
  processColumnar(batch: ColumnarBatch): this {
    this.operator.processBatch(RecordBatch.fromColumnar(batch));
    return this;
  }

  watermark(timestamp: number): this {
    this.operator.processWatermark(timestamp);
    return this;
  }

  /** Moves the clock to `time` and fires the processing-time timers due by then. */
  setProcessingTime(time: number): this {
    this.clock.advance(time - this.clock.now());
    this.queue.fireDue((_, fire) => fire());
    return this;
  }

  endInput(): this {
    this.operator.endInput();
    return this;
  }

  /** Records and side-output records emitted so far (watermarks left out). */
  records(): HarnessEvent[] {
    return this.events.filter((e) => !('watermark' in e));
  }

  /** Snapshots the operator (between records, as at an aligned barrier), encoding every value. */
  snapshot(checkpointId = 1): EncodedSnapshot {
    const snapshot: OperatorSnapshot = this.operator.snapshotState?.(checkpointId) ?? {};
    const keyGroups = new Map<number, Uint8Array>();
    for (const [keyGroup, value] of snapshot.keyGroups ?? []) {
      keyGroups.set(keyGroup, encodeState(value, `key group ${keyGroup}`));
    }
    return { keyGroups, operatorState: (snapshot.operatorState ?? []).map((v) => encodeState(v, 'operator state')) };
  }
}

/**
 * Opens `parallelism` new instances from `create` and restores the old subtasks' snapshots into them: subtask i
 * gets the key groups of keyGroupRange(maxParallelism, parallelism, i); operator-state lists go back unchanged at
 * the same parallelism and are otherwise concatenated and dealt round-robin.
 */
export async function restoreHarnesses(
  snapshots: readonly EncodedSnapshot[],
  parallelism: number,
  create: () => Operator,
  options: Omit<HarnessOptions, 'parallelism' | 'subtaskIndex'> = {},
): Promise<OperatorHarness[]> {
  const kernel = await harnessKernel();
  const maxParallelism = options.maxParallelism ?? 128;
  const allKeyGroups = new Map<number, Uint8Array>();
  for (const s of snapshots) for (const [kg, bytes] of s.keyGroups) allKeyGroups.set(kg, bytes);
  const lists = dealOperatorState(
    snapshots.map((s) => s.operatorState.map((bytes) => decodeState(bytes, 'operator state'))),
    parallelism,
  );
  return lists.map((operatorState, subtaskIndex) => {
    const harness = new OperatorHarness(create(), kernel, { ...options, parallelism, subtaskIndex, maxParallelism });
    const { start, end } = keyGroupRange(maxParallelism, parallelism, subtaskIndex);
    const keyGroups = new Map<number, unknown>();
    for (const [kg, bytes] of allKeyGroups) {
      if (kg >= start && kg <= end) keyGroups.set(kg, decodeState(bytes, `key group ${kg}`));
    }
    harness.operator.initializeState?.({ keyGroups, operatorState });
    return harness;
  });
}

/** Operator-state redistribution (Flink's split-distribute ListState): see operator-state.ts. */
export function dealOperatorState(lists: readonly (readonly unknown[])[], parallelism: number): unknown[][] {
  if (lists.length === parallelism) return lists.map((l) => [...l]);
  const dealt: unknown[][] = Array.from({ length: parallelism }, () => []);
  lists.flat().forEach((item, i) => dealt[i % parallelism]?.push(item));
  return dealt;
}

/** Feeds each element to the harness owning its key's key group (what keyBy routing does). */
export function route(
  harnesses: readonly OperatorHarness[],
  key: (value: unknown) => unknown,
  elements: readonly (readonly [unknown, number])[],
): void {
  const first = harnesses[0];
  if (first === undefined) return;
  const { kernel, maxParallelism } = first;
  const parts = harnesses.map(() => [] as (readonly [unknown, number])[]);
  for (const element of elements) {
    const keyGroup = kernel.keyGroup(key(element[0]), maxParallelism);
    parts[operatorIndexForKeyGroup(maxParallelism, harnesses.length, keyGroup)]?.push(element);
  }
  harnesses.forEach((h, i) => h.process(parts[i] ?? []));
}
