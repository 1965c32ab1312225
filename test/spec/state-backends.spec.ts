/**
 * The state-backend conformance suite (DESIGN.md §2). Every case runs once per role: `memory` (every runtime) and
 * `durable backend` (files in Node and Deno, IndexedDB in browsers). Case names are identical in every runtime, so
 * the drivers' "ran the same cases as node" check holds; each case asserts which backend it actually ran against.
 * Every durable case works in a fresh scratch location (temp directory / database) and destroys it afterwards.
 */
import { currentPlatform } from '../../src/platform/index.ts';
import { frameBlob } from '../../src/state/backends/blob-framing.ts';
import { crc32c } from '../../src/state/backends/crc32c.ts';
import {
  CorruptBlobError,
  framedStateBackend,
  memoryBlobStore,
  type BlobStore,
  type BlobStoreHooks,
  type StateBackend,
} from '../../src/state/backends/index.ts';
import { deepEqual, equal, ok, rejects } from './assert.ts';
import { defineSuite } from './harness.ts';

/** The backends each runtime must run: memory everywhere, plus its durable one. */
const EXPECTED_BACKENDS = { node: 'files', deno: 'files', browser: 'indexeddb' } as const;

type Role = 'memory' | 'durable backend';

interface Subject {
  readonly backend: StateBackend;
  /** The store under `backend`: reads and writes framed bytes as stored, for corrupting them. */
  readonly raw: BlobStore;
  /** Fault hooks the store consults; cases set them. */
  readonly hooks: BlobStoreHooks;
  /** A new backend instance over the same location (durable role only). */
  reopen(): Promise<StateBackend>;
  /** Closes stores and deletes the location, then opens it afresh (durable role only). */
  destroyAndReopen(): Promise<StateBackend>;
}

async function withSubject(role: Role, run: (s: Subject) => Promise<void>): Promise<void> {
  const hooks: BlobStoreHooks = {};
  if (role === 'memory') {
    const raw = memoryBlobStore(hooks);
    const unsupported = () => Promise.reject(new Error('memory has no location'));
    await run({ backend: framedStateBackend(raw), raw, hooks, reopen: unsupported, destroyAndReopen: unsupported });
    return;
  }
  const platform = await currentPlatform();
  const host = platform.durableState;
  equal(host.kind, EXPECTED_BACKENDS[platform.name], `durable backend of ${platform.name}`);
  const location = await host.scratchLocation();
  const open: BlobStore[] = [];
  const openStore = async () => {
    const store = await host.openStore(location, hooks);
    open.push(store);
    return store;
  };
  const closeAll = () => Promise.all(open.splice(0).map((s) => s.close()));
  try {
    const raw = await openStore();
    await run({
      backend: framedStateBackend(raw),
      raw,
      hooks,
      reopen: async () => framedStateBackend(await openStore()),
      destroyAndReopen: async () => {
        await closeAll();
        await host.destroy(location);
        return framedStateBackend(await openStore());
      },
    });
  } finally {
    await closeAll();
    await host.destroy(location);
  }
}

const bytes = (...values: number[]) => new Uint8Array(values);

/** Deterministic non-trivial content. */
function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function sameBytes(actual: Uint8Array | undefined, expected: Uint8Array, what: string): void {
  ok(actual !== undefined, `${what}: expected ${expected.length} bytes, got undefined`);
  equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) equal(actual[i], expected[i], `${what}: byte ${i}`);
  }
}

async function expectCorrupt(backend: StateBackend, path: string, reason: RegExp): Promise<void> {
  const err = await rejects(backend.get(path), reason);
  ok(err instanceof CorruptBlobError, `expected a CorruptBlobError, got ${err.name}`);
  equal(err.path, path, 'CorruptBlobError.path');
  ok(err.message.includes(path), `message names the path: ${err.message}`);
}

/** Replaces the stored (framed) bytes of `path` with `edit(stored)`, bypassing framing. */
async function tamper(raw: BlobStore, path: string, edit: (stored: Uint8Array) => Uint8Array): Promise<void> {
  const stored = await raw.read(path);
  ok(stored !== undefined, `${path} is stored`);
  await raw.write([[path, edit(stored.slice())]]);
}

function conformance(it: (name: string, fn: () => Promise<void>) => void, role: Role): void {
  const kase = (name: string, run: (s: Subject) => Promise<void>) =>
    it(`${role}: ${name}`, () => withSubject(role, run));

  kase('round-trips an empty blob and an 8 MB blob', async ({ backend }) => {
    const big = pattern(8 * 1024 * 1024, 7);
    await backend.put('chk-1/op/empty', new Uint8Array(0));
    await backend.put('chk-1/op/big', big);
    sameBytes(await backend.get('chk-1/op/empty'), new Uint8Array(0), 'empty');
    sameBytes(await backend.get('chk-1/op/big'), big, '8 MB');
  });

  kase('overwrites a blob', async ({ backend }) => {
    await backend.put('chk-1/op/kg-0', pattern(1000, 1));
    await backend.put('chk-1/op/kg-0', bytes(9, 8, 7));
    sameBytes(await backend.get('chk-1/op/kg-0'), bytes(9, 8, 7), 'after overwrite');
    deepEqual(await backend.list(''), ['chk-1/op/kg-0']);
  });

  kase('lists by plain string prefix, sorted by code units', async ({ backend }) => {
    const paths = [
      'chk-2/op/kg-1',
      'chk-1/op/kg-10',
      'chk-1/op/kg-2',
      'chk-1/op.b/kg-1',
      'chk-10/x',
      'chk-1/op/kg-2/n',
    ];
    for (const p of paths) await backend.put(p, bytes(1));
    deepEqual(await backend.list(''), [...paths].sort());
    deepEqual(await backend.list('chk-1/'), ['chk-1/op.b/kg-1', 'chk-1/op/kg-10', 'chk-1/op/kg-2', 'chk-1/op/kg-2/n']);
    deepEqual(await backend.list('chk-1/op/kg-1'), ['chk-1/op/kg-10']);
    deepEqual(await backend.list('chk-1'), [...paths].filter((p) => p.startsWith('chk-1')).sort());
    deepEqual(await backend.list('chk-3/'), []);
  });

  kase('deletes a blob; deleting a missing path is not an error', async ({ backend }) => {
    await backend.put('chk-1/a', bytes(1));
    await backend.put('chk-1/b', bytes(2));
    await backend.delete('chk-1/a');
    await backend.delete('chk-1/never-written');
    equal(await backend.get('chk-1/a'), undefined);
    deepEqual(await backend.list(''), ['chk-1/b']);
  });

  kase('returns undefined for a missing path', async ({ backend }) => {
    equal(await backend.get('chk-9/op/kg-0'), undefined);
    await backend.put('chk-9/op/kg-1', bytes(1));
    equal(await backend.get('chk-9/op/kg-0'), undefined);
    equal(await backend.get('chk-9/op'), undefined, 'a directory-like prefix is not a blob');
  });

  kase('stores paths with unicode and characters that file systems reserve', async ({ backend }) => {
    const paths = ['chk-1/运算符/κλειδί-🔑', 'chk-1/a%20b/c.d', 'chk-1/..x/ :*?"<>|\\', 'chk-1/.hidden/e\u0301'];
    for (const [i, p] of paths.entries()) await backend.put(p, bytes(i));
    for (const [i, p] of paths.entries()) sameBytes(await backend.get(p), bytes(i), p);
    deepEqual(await backend.list('chk-1/'), [...paths].sort());
  });

  kase('rejects malformed paths', async ({ backend }) => {
    for (const p of ['', 'a//b', '/a', 'a/', '../x', 'a/./b', 'a\0b', 'a\uD800b']) {
      await rejects(backend.put(p, bytes(1)), /invalid state blob path/, JSON.stringify(p));
      await rejects(backend.get(p), /invalid state blob path/, JSON.stringify(p));
    }
    await rejects(
      backend.putAll([
        ['a', bytes(1)],
        ['a', bytes(2)],
      ]),
      /appears twice/,
    );
    deepEqual(await backend.list(''), []);
  });

  kase('runs concurrent puts of different paths', async ({ backend }) => {
    const paths = Array.from({ length: 32 }, (_, i) => `chk-1/op-${i % 4}/kg-${i}`);
    await Promise.all(paths.map((p, i) => backend.put(p, pattern(100 + i, i + 1))));
    await backend.putAll(paths.map((p, i) => [`chk-2/${p}`, pattern(10, i + 1)] as const));
    for (const [i, p] of paths.entries()) sameBytes(await backend.get(p), pattern(100 + i, i + 1), p);
    equal((await backend.list('chk-2/')).length, 32);
    deepEqual(await backend.list('chk-1/'), [...paths].sort());
  });

  kase('an interrupted put leaves the old blob; a torn blob never verifies', async ({ backend, raw, hooks }) => {
    await backend.putAll([
      ['chk-1/a', bytes(1)],
      ['chk-1/b', bytes(1)],
    ]);
    hooks.beforeCommit = (paths) => {
      if (paths.includes('chk-1/b')) throw new Error('simulated crash before commit');
    };
    await rejects(
      backend.putAll([
        ['chk-1/a', bytes(2, 2)],
        ['chk-1/b', bytes(2, 2)],
      ]),
      /simulated crash/,
    );
    delete hooks.beforeCommit;
    sameBytes(await backend.get('chk-1/b'), bytes(1), 'the interrupted blob');
    // Files commit blob by blob; memory and IndexedDB commit a batch in one step.
    const a = await backend.get('chk-1/a');
    if (backend.kind === 'files') ok(a?.length === 1 || a?.length === 2, 'a is wholly old or wholly new');
    else sameBytes(a, bytes(1), 'the rest of an aborted batch');
    deepEqual(await backend.list(''), ['chk-1/a', 'chk-1/b'], 'no staging leftovers are listed');

    await backend.put('chk-1/torn', pattern(4096, 3));
    await tamper(raw, 'chk-1/torn', (s) => s.subarray(0, s.length >> 1));
    await expectCorrupt(backend, 'chk-1/torn', /payload bytes/);
  });

  kase('detects a flipped byte and a truncation, naming the path', async ({ backend, raw }) => {
    const path = 'chk-1/op/kg-5';
    await backend.put(path, pattern(1000, 5));
    await tamper(raw, path, (s) => ((s[500] = s[500]! ^ 0x10), s));
    await expectCorrupt(backend, path, /checksum mismatch/);
    await backend.put(path, pattern(1000, 5));
    await tamper(raw, path, (s) => s.subarray(0, s.length - 1));
    await expectCorrupt(backend, path, /payload bytes/);
    await tamper(raw, path, (s) => s.subarray(0, 10));
    await expectCorrupt(backend, path, /shorter than header/);
    await backend.put(path, bytes(1));
    await tamper(raw, path, (s) => ((s[0] = 0), s));
    await expectCorrupt(backend, path, /bad magic/);
    await raw.write([[path, new Uint8Array(0)]]);
    await expectCorrupt(backend, path, /shorter than header/);
  });
}

function durableOnly(it: (name: string, fn: () => Promise<void>) => void): void {
  const role: Role = 'durable backend';
  it(`${role}: persists across a new backend instance on the same location`, () =>
    withSubject(role, async ({ backend, reopen }) => {
      const big = pattern(1 << 20, 11);
      await backend.put('chk-1/op/kg-0', big);
      await backend.put('chk-1/_manifest', bytes(42));
      await backend.close();
      const again = await reopen();
      sameBytes(await again.get('chk-1/op/kg-0'), big, 'after reopen');
      deepEqual(await again.list(''), ['chk-1/_manifest', 'chk-1/op/kg-0']);
    }));

  it(`${role}: destroying the location removes every blob`, () =>
    withSubject(role, async ({ backend, destroyAndReopen }) => {
      await backend.put('chk-1/op/kg-0', bytes(1));
      const fresh = await destroyAndReopen();
      deepEqual(await fresh.list(''), []);
      equal(await fresh.get('chk-1/op/kg-0'), undefined);
    }));
}

export default defineSuite('state backends', (it) => {
  it('runtime: runs memory and its durable backend (node, deno: files; browser: indexeddb)', async () => {
    const platform = await currentPlatform();
    const ran: string[] = [];
    await withSubject('memory', async ({ backend }) => void ran.push(backend.kind));
    await withSubject('durable backend', async ({ backend }) => void ran.push(backend.kind));
    deepEqual(ran, ['memory', EXPECTED_BACKENDS[platform.name]], `backends in ${platform.name}`);
  });

  it('framing: crc32c matches the RFC 3720 check value', async () => {
    equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
    equal(crc32c(new Uint8Array(0)), 0);
    equal(crc32c(new Uint8Array(32)), 0x8a9136aa, 'RFC 3720 B.4: 32 bytes of zeroes');
  });

  it('framing: magic "RVSB", version 1, 3 reserved, u32 LE length, u32 LE crc32c, payload', async () => {
    const payload = bytes(1, 2, 3);
    const crc = crc32c(payload);
    const header = [0x52, 0x56, 0x53, 0x42, 1, 0, 0, 0, 3, 0, 0, 0];
    const crcBytes = [crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, crc >>> 24];
    deepEqual(Array.from(frameBlob(payload)), [...header, ...crcBytes, 1, 2, 3]);
  });

  conformance(it, 'memory');
  conformance(it, 'durable backend');
  durableOnly(it);
});
