import {
  StreamEnvironment,
  type Collector,
  type ProcessContext,
  type ProcessFunction,
  type RuntimeContext,
} from '../../src/index.ts';
import { createPhysicalPlan } from '../../src/graph/physical-plan.ts';
import { groupRowsByChannel } from '../../src/runtime/record-writer.ts';
import { seededRandom } from './support.ts';
import { keyGroupRange } from '../../src/state/key-groups.ts';
import { referenceKeyGroup } from '../../src/wasm/key-hash-reference.ts';
import { deepEqual, equal, ok, sameMultiset } from './assert.ts';
import { defineSuite } from './harness.ts';

/** Emits, for every record, the index of the subtask it passed through (its own copy of `subtask`). */
class SubtaskTagger implements ProcessFunction<number, number> {
  subtask = -1;
  open(context: RuntimeContext): void {
    this.subtask = context.subtaskIndex;
  }
  processElement(_value: number, _ctx: ProcessContext, out: Collector<number>): void {
    out.collect(this.subtask);
  }
}

function recordingSink<T>(seen: { subtask: number; value: T }[]) {
  return {
    createWriter: ({ subtaskIndex }: { subtaskIndex: number }) => ({
      write: (value: T) => seen.push({ subtask: subtaskIndex, value }),
    }),
  };
}

export default defineSuite('partitioning and chaining', (it) => {
  it('rebalance spreads round robin; each subtask gets an equal share', async () => {
    const seen: { subtask: number; value: number }[] = [];
    const env = StreamEnvironment.create({ parallelism: 3 });
    env
      .fromCollection(Array.from({ length: 300 }, (_, i) => i))
      .rebalance()
      .sinkTo(recordingSink(seen));
    await env.execute();
    for (let s = 0; s < 3; s++) equal(seen.filter((e) => e.subtask === s).length, 100, `subtask ${s}`);
    // consecutive records go to consecutive subtasks
    const bySubtask = new Map(seen.map((e) => [e.value, e.subtask]));
    for (let i = 1; i < 300; i++) equal(bySubtask.get(i), ((bySubtask.get(i - 1) as number) + 1) % 3);
  });

  it('broadcast sends every record to every subtask; global sends all to subtask 0', async () => {
    const broadcast: { subtask: number; value: number }[] = [];
    const env = StreamEnvironment.create({ parallelism: 3 });
    env.fromElements(1, 2).broadcast().sinkTo(recordingSink(broadcast));
    await env.execute();
    sameMultiset(
      broadcast.map((e) => `${e.subtask}:${e.value}`),
      ['0:1', '0:2', '1:1', '1:2', '2:1', '2:2'],
    );
    const global: { subtask: number; value: number }[] = [];
    const env2 = StreamEnvironment.create({ parallelism: 3 });
    env2
      .fromElements(1, 2, 3)
      .rebalance()
      .map((x) => x)
      .global()
      .sinkTo(recordingSink(global));
    await env2.execute();
    deepEqual([...new Set(global.map((e) => e.subtask))], [0]);
    equal(global.length, 3);
  });

  it('shuffle delivers every record exactly once', async () => {
    const seen: { subtask: number; value: number }[] = [];
    const env = StreamEnvironment.create({ parallelism: 4 });
    const input = Array.from({ length: 1000 }, (_, i) => i);
    env.fromCollection(input).shuffle().sinkTo(recordingSink(seen));
    await env.execute();
    sameMultiset(
      seen.map((e) => e.value),
      input,
    );
    ok(new Set(seen.map((e) => e.subtask)).size > 1, 'records reach more than one subtask');
  });

  it('rescale connects local subsets: 2 → 4 and 4 → 2', async () => {
    const route = async (up: number, down: number) => {
      const seen: { subtask: number; value: number }[] = [];
      const env = StreamEnvironment.create({ parallelism: up });
      env
        .fromCollection(Array.from({ length: 400 }, (_, i) => i))
        .rebalance()
        .process<number>(new SubtaskTagger())
        .rescale()
        .sinkTo(recordingSink(seen))
        .setParallelism(down);
      await env.execute();
      const pairs = new Set(seen.map((e) => `${e.value}->${e.subtask}`));
      return [...pairs].sort();
    };
    deepEqual(await route(2, 4), ['0->0', '0->1', '1->2', '1->3']);
    deepEqual(await route(4, 2), ['0->0', '1->0', '2->1', '3->1']);
  });

  it('keyBy routes each key to operatorIndex(keyGroup(key)) and to exactly one subtask', async () => {
    const seen: { subtask: number; value: string }[] = [];
    const env = StreamEnvironment.create({ parallelism: 3 });
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    env
      .fromCollection([...keys, ...keys])
      .keyBy((k) => k)
      .sinkTo(recordingSink(seen));
    await env.execute();
    equal(seen.length, 400);
    for (const { subtask, value } of seen) {
      const group = referenceKeyGroup(value, 128);
      const range = keyGroupRange(128, 3, subtask);
      ok(group >= range.start && group <= range.end, `${value} (group ${group}) on subtask ${subtask}`);
    }
  });

  it('keyBy on a numeric column routes each key to operatorIndex(keyGroup(key)), new keys mid-stream too', async () => {
    // Small integers (the channel table), negatives, fractions, -0, NaN and large ones (hashed per batch); batches
    // of 64 rows, so later batches bring keys not seen before alongside known ones.
    const odd = [-0, 0, -1, -2.5, 0.5, 2 ** 20, 2 ** 31 - 1, 1e15, NaN, Infinity];
    const keyOf = (i: number): number => (i % 5 === 0 ? odd[(i / 5) % odd.length]! : (i * 7) % (40 + i));
    for (const type of ['i32', 'f64'] as const) {
      const seen: { subtask: number; value: Record<string, number> }[] = [];
      const env = StreamEnvironment.create({ parallelism: 3 });
      env
        .fromColumnarGenerator({
          count: 600,
          batchSize: 64,
          schema: [
            { name: 'k', type },
            { name: 'i', type: 'i32' },
          ],
          fill: ({ k, i }, timestamps, first, rows) => {
            for (let r = 0; r < rows; r++) {
              (k as Float64Array | Int32Array)[r] = keyOf(first + r);
              (i as Int32Array)[r] = first + r;
              timestamps[r] = first + r;
            }
          },
        })
        .setParallelism(1)
        .keyBy('k')
        .sinkTo(recordingSink(seen));
      await env.execute();
      equal(seen.length, 600, type);
      for (const { subtask, value } of seen) {
        const key = value['k'] as number;
        const group = referenceKeyGroup(key, 128);
        const range = keyGroupRange(128, 3, subtask);
        ok(group >= range.start && group <= range.end, `${type} key ${key} (group ${group}) on subtask ${subtask}`);
      }
    }
  });

  it('a columnar batch split among channels keeps every row once, in row order within a channel', () => {
    const random = seededRandom(7);
    // Two channels take their own path, the others a counting sort.
    for (const channelCount of [1, 2, 3, 4, 5, 9]) {
      for (const n of [0, 1, 17, 1000]) {
        const target = Int32Array.from({ length: n }, () => Math.floor(random() * channelCount));
        const rows = new Int32Array(n);
        const bounds = new Int32Array(channelCount + 1);
        groupRowsByChannel(target, channelCount, rows, bounds);
        const expected: number[] = [];
        for (let c = 0; c < channelCount; c++) {
          equal(bounds[c], expected.length, `start of channel ${c} of ${channelCount}, ${n} rows`);
          for (let i = 0; i < n; i++) if (target[i] === c) expected.push(i);
        }
        equal(bounds[channelCount], n);
        deepEqual(Array.from(rows), expected, `${channelCount} channels, ${n} rows`);
      }
    }
  });

  it('chaining: forward edges of equal parallelism chain; keyBy, rebalance and parallelism changes do not', () => {
    const env = StreamEnvironment.create({ parallelism: 2 });
    const src = env.fromElements(1, 2);
    src
      .map((x) => x)
      .filter(() => true)
      .keyBy((x) => x)
      .map((x) => x)
      .print();
    const pipeline = (src as unknown as { pipeline: { graph: Parameters<typeof createPhysicalPlan>[0] } }).pipeline;
    const plan = createPhysicalPlan(pipeline.graph, { parallelism: 2, maxParallelism: 128 });
    const names = plan.vertices.map((v) => v.nodeIds.map((id) => pipeline.graph.node(id).name).join(' -> '));
    deepEqual(names, ['Source: Collection Source', 'Map -> Filter', 'Map -> Sink: Print to Std. Out']);
    deepEqual(
      plan.edges.map((e) => e.kind),
      ['rebalance', 'forward', 'keyGroup', 'forward'],
    );
  });
});
