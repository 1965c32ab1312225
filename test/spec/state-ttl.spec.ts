/** State TTL (SEMANTICS.md §5.1; Flink StateTtlConfig and the TtlXxxState decorators), in processing time. */
import { StateTtlConfig, StreamEnvironment, TestStream, type StateTtlConfigBuilder } from '../../src/index.ts';
import { HeapKeyedStateBackend } from '../../src/state/keyed-state-backend.ts';
import { VOID_NAMESPACE } from '../../src/state/keyed-state-tables.ts';
import { deepEqual, equal, rejects, throws } from './assert.ts';
import { defineSuite } from './harness.ts';

/** A backend on a hand-moved clock, with key 'k' current. */
function clocked() {
  const clock = { now: 0 };
  const backend = new HeapKeyedStateBackend<typeof VOID_NAMESPACE>({
    keyGroupOf: () => 0,
    namespaceId: () => 0,
    defaultNamespace: VOID_NAMESPACE,
    now: () => clock.now,
  });
  backend.setCurrentKey('k');
  return { clock, backend };
}

const ttl100 = (configure: (b: StateTtlConfigBuilder) => StateTtlConfigBuilder = (b) => b) =>
  configure(StateTtlConfig.newBuilder(100)).build();

export default defineSuite('state TTL', (it) => {
  it('builder: defaults OnCreateAndWrite / NeverReturnExpired; validates its arguments', () => {
    const config = StateTtlConfig.newBuilder(5000).build();
    deepEqual(
      [config.ttl, config.updateType, config.stateVisibility],
      [5000, 'OnCreateAndWrite', 'NeverReturnExpired'],
    );
    const other = StateTtlConfig.newBuilder(1)
      .setTtl(7)
      .updateTtlOnReadAndWrite()
      .returnExpiredIfNotCleanedUp()
      .build();
    deepEqual(
      [other.ttl, other.updateType, other.stateVisibility],
      [7, 'OnReadAndWrite', 'ReturnExpiredIfNotCleanedUp'],
    );
    throws(() => StateTtlConfig.newBuilder(0), /ttl must be a positive integer of milliseconds, got 0/);
    throws(() => StateTtlConfig.newBuilder(1.5), /positive integer/);
    throws(() => StateTtlConfig.newBuilder(1).setUpdateType('Never' as 'OnReadAndWrite'), /updateType must be one of/);
    throws(() => StateTtlConfig.newBuilder(1).setStateVisibility('x' as 'NeverReturnExpired'), /stateVisibility/);
  });

  it('OnCreateAndWrite: a value expires ttl ms after its last write (lastAccess + ttl <= now); reads do not renew', () => {
    const { clock, backend } = clocked();
    const value = backend.getValueState<string>({ name: 'v', ttl: ttl100() });
    value.update('a');
    clock.now = 60;
    equal(value.value(), 'a');
    clock.now = 99;
    equal(value.value(), 'a');
    clock.now = 100;
    equal(value.value(), null, 'expired exactly at write + ttl');
    equal(backend.numKeys, 0, 'the expired value was removed on read');
    value.update('b');
    clock.now = 150;
    value.update('c');
    clock.now = 249;
    equal(value.value(), 'c', 'a write renews');
  });

  it('OnReadAndWrite: every read renews the timestamp', () => {
    const { clock, backend } = clocked();
    const value = backend.getValueState<string>({ name: 'v', ttl: ttl100((b) => b.setUpdateType('OnReadAndWrite')) });
    value.update('a');
    clock.now = 90;
    equal(value.value(), 'a');
    clock.now = 189;
    equal(value.value(), 'a');
    clock.now = 289;
    equal(value.value(), null);
  });

  it('ReturnExpiredIfNotCleanedUp: an expired value is returned once, removed by that read', () => {
    const { clock, backend } = clocked();
    const config = ttl100((b) => b.setStateVisibility('ReturnExpiredIfNotCleanedUp'));
    const value = backend.getValueState<string>({ name: 'v', ttl: config });
    const list = backend.getListState<string>({ name: 'l', ttl: config });
    const map = backend.getMapState<string, number>({ name: 'm', ttl: config });
    value.update('old');
    list.add('x');
    map.put('a', 1);
    clock.now = 500;
    list.add('y');
    deepEqual([value.value(), list.get(), map.get('a')], ['old', ['x', 'y'], 1]);
    deepEqual([value.value(), list.get(), map.get('a')], [null, ['y'], null]);
  });

  it('ListState elements expire individually and are removed when the list is read', () => {
    const { clock, backend } = clocked();
    const list = backend.getListState<string>({ name: 'l', ttl: ttl100() });
    list.add('a');
    clock.now = 50;
    list.addAll(['b', 'c']);
    clock.now = 100;
    deepEqual(list.get(), ['b', 'c']);
    list.update(['d']);
    clock.now = 150;
    deepEqual(list.get(), ['d'], 'update() restamps every element');
    clock.now = 250;
    deepEqual(list.get(), []);
    equal(backend.numKeys, 0);
  });

  it('MapState entries expire individually: get, contains, entries and isEmpty skip and remove them', () => {
    const { clock, backend } = clocked();
    const map = backend.getMapState<string, number>({ name: 'm', ttl: ttl100() });
    map.put('a', 1);
    clock.now = 50;
    map.putAll([
      ['b', 2],
      ['c', 3],
    ]);
    clock.now = 100;
    deepEqual([map.get('a'), map.contains('a'), map.contains('b')], [null, false, true]);
    map.put('a', 10);
    deepEqual(map.entries(), [
      ['b', 2],
      ['c', 3],
      ['a', 10],
    ]);
    clock.now = 150;
    deepEqual([map.keys(), map.values(), map.isEmpty()], [['a'], [10], false]);
    clock.now = 200;
    equal(map.isEmpty(), true);
    equal(backend.numKeys, 0);
  });

  it('ReducingState and AggregatingState start over once their value expired', () => {
    const { clock, backend } = clocked();
    const sum = backend.getReducingState<number>({ name: 's', ttl: ttl100() }, (a, b) => a + b);
    const count = backend.getAggregatingState(
      { name: 'c', ttl: ttl100() },
      { createAccumulator: () => 0, add: (_v: string, acc: number) => acc + 1, getResult: (acc: number) => acc },
    );
    sum.add(1);
    count.add('x');
    clock.now = 99;
    sum.add(2);
    count.add('y');
    clock.now = 198;
    deepEqual([sum.get(), count.get()], [3, 2], 'each add renewed the value');
    clock.now = 199;
    deepEqual([sum.get(), count.get()], [null, null]);
    sum.add(5);
    count.add('z');
    deepEqual([sum.get(), count.get()], [5, 1]);
  });

  it('a state name keeps its TTL: a different or missing TTL for the same name fails', () => {
    const { backend } = clocked();
    backend.getValueState({ name: 'v', ttl: ttl100() });
    backend.getValueState({ name: 'v', ttl: ttl100() });
    throws(() => backend.getValueState({ name: 'v', ttl: StateTtlConfig.newBuilder(5).build() }), /State 'v' has/);
    throws(() => backend.getValueState('v'), /with a TTL; it cannot be used without a TTL/);
    backend.getListState('plain');
    throws(() => backend.getListState({ name: 'plain', ttl: ttl100() }), /without a TTL; it cannot be used with a TTL/);
    throws(() => backend.getValueState({ name: 'x', ttl: { ttl: 5 } as unknown as StateTtlConfig }), /StateTtlConfig/);
  });

  it('in a job, TTL follows the processing-time clock moved by TestStream.advanceProcessingTime', async () => {
    const env = StreamEnvironment.create();
    const script = TestStream.create<string>()
      .addElement('write', 0)
      .advanceProcessingTime(999)
      .addElement('read', 0)
      .advanceProcessingTime(1)
      .addElement('read', 0);
    const out = await env
      .fromTestStream(script)
      .keyBy(() => 'k')
      .process<string>((cmd, ctx, out) => {
        const state = ctx.getState<string>({ name: 'session', ttl: StateTtlConfig.newBuilder(1000).build() });
        const now = ctx.timerService().currentProcessingTime();
        if (cmd === 'write') state.update('token');
        else out.collect(`${now}: ${state.value()}`);
      })
      .executeAndCollect();
    deepEqual(out, ['999: token', '1000: null']);
  });

  it('a TTL mismatch in a job rejects execute() naming the operator', async () => {
    const env = StreamEnvironment.create();
    env
      .fromElements(1, 2)
      .keyBy((v) => v)
      .process<never>((v, ctx) => {
        if (v === 1) ctx.getState({ name: 'x', ttl: StateTtlConfig.newBuilder(10).build() });
        else ctx.getState('x');
      })
      .name('ttl user');
    await rejects(env.execute(), /Operator 'ttl user' failed: State 'x' is a ValueState with a TTL/);
  });
});
