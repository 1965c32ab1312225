/**
 * The heap keyed state backend on its own (SEMANTICS.md §5): key groups, namespaces, merging, snapshot/restore
 * per key group, and that each operator instance only holds the key groups of its range.
 */
import { StreamEnvironment, type KeyedProcessFunction } from '../../src/index.ts';
import type { KeyedStream } from '../../src/api/keyed-stream.ts';
import { currentPlatform } from '../../src/platform/index.ts';
import { KeyedProcessOperator } from '../../src/runtime/operators/keyed-process.ts';
import { restoreKeyGroup, snapshotKeyGroups } from '../../src/state/key-group-snapshot.ts';
import { keyGroupRange, operatorIndexForKeyGroup } from '../../src/state/key-groups.ts';
import { HeapKeyedStateBackend } from '../../src/state/keyed-state-backend.ts';
import { VOID_NAMESPACE } from '../../src/state/keyed-state-tables.ts';
import { StateTtlConfig } from '../../src/state/state-ttl.ts';
import { loadKernel } from '../../src/wasm/kernel.ts';
import { deepEqual, equal, ok, sameMultiset, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

interface Win {
  readonly start: number;
  readonly end: number;
}

function windowBackend(keyGroupOf: (key: unknown) => number = () => 0) {
  return new HeapKeyedStateBackend<Win>({
    keyGroupOf,
    namespaceId: (w) => `${w.start}:${w.end}`,
    defaultNamespace: { start: 0, end: 0 },
    now: () => 0,
  });
}

export default defineSuite('keyed state backend', (it) => {
  it('keys land in their kernel key groups; a key group is computed once per new key', async () => {
    const kernel = await loadKernel(await currentPlatform());
    let hashed = 0;
    const backend = new HeapKeyedStateBackend<typeof VOID_NAMESPACE>({
      keyGroupOf: (key) => (hashed++, kernel.keyGroup(key, 128)),
      namespaceId: () => 0,
      defaultNamespace: VOID_NAMESPACE,
      now: () => 0,
    });
    const keys: unknown[] = [];
    for (let i = 0; i < 300; i++) keys.push(i % 3 === 0 ? `user-${i}` : i % 3 === 1 ? i : [i, 'x']);
    const value = backend.getValueState<number>('v');
    const list = backend.getListState<number>('l');
    for (const key of keys) {
      backend.setCurrentKey(key);
      value.update(1);
      list.add(1);
      list.add(2);
    }
    equal(hashed, keys.length, 'one key-group computation per new key');
    equal(backend.numKeys, keys.length);
    const groups = backend.keyGroups();
    ok(groups.length > 50, `keys spread over many key groups (${groups.length})`);
    deepEqual(
      groups,
      [...groups].sort((a, b) => a - b),
      'ascending',
    );
    let seen = 0;
    for (const keyGroup of groups) {
      for (const entry of backend.keysInGroup(keyGroup)) {
        equal(entry.keyGroup, keyGroup);
        equal(kernel.keyGroup(entry.key, 128), keyGroup, `key ${JSON.stringify(entry.key)}`);
        seen++;
      }
    }
    equal(seen, keys.length);
    for (const key of keys) {
      backend.setCurrentKey(key);
      value.clear();
      list.clear();
    }
    equal(backend.numKeys, 0, 'a key holding nothing is dropped');
    deepEqual(backend.keyGroups(), []);
  });

  it('state is per (key, namespace); mergeNamespaces folds sources into the target and removes them', () => {
    const backend = windowBackend();
    const w1 = { start: 0, end: 10 };
    const w2 = { start: 5, end: 15 };
    const w3 = { start: 12, end: 20 };
    const merged = { start: 0, end: 20 };
    const list = backend.getListState<string>('contents');
    const sum = backend.getReducingState<number>('sum', (a, b) => a + b);
    const count = backend.getAggregatingState('count', {
      createAccumulator: () => 0,
      add: (_v: number, acc: number) => acc + 1,
      getResult: (acc: number) => `n=${acc}`,
      merge: (a: number, b: number) => a + b,
    });
    const put = (key: string, w: Win, v: number) => {
      backend.setCurrentKey(key);
      for (const s of [list, sum, count]) s.setCurrentNamespace(w);
      list.add(`${key}${v}`);
      sum.add(v);
      count.add(v);
    };
    put('a', w1, 1);
    put('a', w2, 2);
    put('a', w3, 4);
    put('a', merged, 8);
    put('b', w1, 100);
    backend.setCurrentKey('a');
    for (const s of [list, sum, count]) s.setCurrentNamespace(w2);
    deepEqual([list.get(), sum.get(), count.get()], [['a2'], 2, 'n=1'], 'namespaces are separate');
    list.mergeNamespaces(merged, [w1, w2, w3]);
    sum.mergeNamespaces(merged, [w1, w2, w3]);
    count.mergeNamespaces(merged, [w1, w2, w3]);
    deepEqual([list.get(), sum.get(), count.get()], [[], null, null], 'handle stays in w2, which was merged away');
    for (const s of [list, sum, count]) s.setCurrentNamespace(merged);
    deepEqual([list.get(), sum.get(), count.get()], [['a8', 'a1', 'a2', 'a4'], 15, 'n=4'], 'target first');
    backend.setCurrentKey('b');
    for (const s of [list, sum, count]) s.setCurrentNamespace(w1);
    deepEqual([list.get(), sum.get(), count.get()], [['b100'], 100, 'n=1'], 'other keys untouched');
  });

  it('snapshots per key group restore into a fresh backend, TTL timestamps included', () => {
    const groupOf = (key: unknown) => (String(key).length % 4) * 10;
    let now = 1000;
    const make = () =>
      new HeapKeyedStateBackend<Win>({
        keyGroupOf: groupOf,
        namespaceId: (w) => `${w.start}:${w.end}`,
        defaultNamespace: { start: 0, end: 0 },
        now: () => now,
      });
    const ttl = StateTtlConfig.newBuilder(100).build();
    const source = make();
    for (const key of ['a', 'bb', 'ccc', 'dd']) {
      source.setCurrentKey(key);
      source.getValueState<string>({ name: 'v', ttl }).update(`v-${key}`);
      source.getListState<number>('l').addAll([1, key.length]);
      const map = source.getMapState<unknown, string>('m');
      map.put(['k', key], key);
      const list = source.getListState<number>('l');
      list.setCurrentNamespace({ start: 5, end: 6 });
      list.add(56);
      list.setCurrentNamespace({ start: 0, end: 0 });
    }
    const snapshots = snapshotKeyGroups(source);
    deepEqual(
      snapshots.map((s) => s.keyGroup),
      [10, 20, 30],
    );
    sameMultiset(
      (snapshots.find((s) => s.keyGroup === 20)?.rows ?? []).map((r) => `${r.state}/${String(r.key)}`),
      ['v/bb', 'l/bb', 'l/bb', 'm/bb', 'v/dd', 'l/dd', 'l/dd', 'm/dd'],
    );

    const target = make();
    for (const snapshot of snapshots) restoreKeyGroup(target, snapshot);
    now = 1099;
    target.setCurrentKey('dd');
    const map = target.getMapState<unknown, string>('m');
    const list = target.getListState<number>('l');
    deepEqual(target.getValueState<string>({ name: 'v', ttl }).value(), 'v-dd');
    deepEqual(list.get(), [1, 2]);
    list.setCurrentNamespace({ start: 5, end: 6 });
    deepEqual(list.get(), [56]);
    deepEqual([map.get(['k', 'dd']), map.contains(['k', 'a'])], ['dd', false]);
    now = 1100;
    equal(target.getValueState<string>({ name: 'v', ttl }).value(), null, 'restored TTL timestamp still counts');
    equal(target.numKeys, 4);

    throws(() => target.getListState('v'), /State 'v' is a ValueState; it cannot also be used as a ListState/);
    throws(() => target.getValueState('v'), /State 'v' is a ValueState with a TTL; it cannot be used without a TTL/);
    const wrongGroup = { keyGroup: 11, rows: snapshots[0]?.rows ?? [] };
    throws(() => restoreKeyGroup(make(), wrongGroup), /belongs to key group 10, not 11/);
  });

  it('each operator instance holds only keys of its own key-group range', async () => {
    const env = StreamEnvironment.create({ parallelism: 3 });
    const operators: KeyedProcessOperator<number, number, number>[] = [];
    const fn: KeyedProcessFunction<number, number, number> = {
      processElement(v, ctx, out) {
        const seen = ctx.getState<number>('seen');
        seen.update((seen.value() ?? 0) + 1);
        out.collect(v);
      },
    };
    const values = Array.from({ length: 500 }, (_, i) => i % 250);
    const keyed = env.fromElements(...values).keyBy((v) => v) as KeyedStream<number, number>;
    const out = await keyed
      .transform<number>('keyed-process', 'KeyedProcess', () => {
        const op = new KeyedProcessOperator<number, number, number>(keyed.key, fn);
        operators.push(op);
        return op;
      })
      .executeAndCollect();
    equal(out.length, 500);
    equal(operators.length, 3);
    let keys = 0;
    const owners = new Set<number>();
    for (const op of operators) {
      const backend = op.stateBackend;
      keys += backend.numKeys;
      const groups = backend.keyGroups();
      const owner = operatorIndexForKeyGroup(128, 3, groups[0] as number);
      owners.add(owner);
      const range = keyGroupRange(128, 3, owner);
      for (const keyGroup of groups) {
        ok(keyGroup >= range.start && keyGroup <= range.end, `key group ${keyGroup} in [${range.start}, ${range.end}]`);
        for (const entry of backend.keysInGroup(keyGroup)) {
          backend.setCurrentKey(entry.key);
          equal(backend.getValueState<number>('seen').value(), 2, `key ${String(entry.key)} counted twice`);
        }
      }
    }
    equal(owners.size, 3, 'the three instances own different ranges');
    equal(keys, 250, 'every key lives in exactly one instance');
  });
});
