/**
 * The key-hashing kernel (build/rivulet.wasm) against its TS reference, golden vectors and published
 * MurmurHash3 vectors; the canonical key encoding and key identity.
 */
import { currentPlatform } from '../../src/platform/index.ts';
import { loadKernel, type Kernel } from '../../src/wasm/kernel.ts';
import { encodeKey, keyIdentity, MAX_KEY_DEPTH } from '../../src/wasm/key-encoding.ts';
import { flinkMurmurHash, murmur3_32, referenceKeyGroup, referenceKeyHash } from '../../src/wasm/key-hash-reference.ts';
import { KEY_HASH_VECTORS } from '../golden/key-hash.ts';
import { FLINK_KEY_GROUP_17_OF_128, MURMUR3_X86_32_VECTORS, type Murmur3Vector } from '../golden/key-hash-murmur3.ts';
import { deepEqual, equal, ok, show, throws } from './assert.ts';
import { defineSuite } from './harness.ts';
import { seededRandom } from './support.ts';

async function kernel(): Promise<Kernel> {
  return loadKernel(await currentPlatform());
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function vectorBytes(vector: Murmur3Vector): Uint8Array {
  if (vector.text !== undefined) return new TextEncoder().encode(vector.text);
  const pairs = vector.hex?.match(/../g) ?? [];
  return Uint8Array.from(pairs, (pair) => parseInt(pair, 16));
}

/** Java's String.hashCode: s[0]*31^(n-1) + … + s[n-1] in 32-bit int arithmetic. */
function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** Compares per-key results, naming the first key that differs (messages are built only on failure). */
function expectSame(keys: readonly unknown[], actual: number[], expected: number[], what: string): void {
  equal(actual.length, expected.length, `${what}: result count`);
  const i = actual.findIndex((value, index) => value !== expected[index]);
  if (i >= 0) equal(actual[i], expected[i], `${what} of key ${i} ${show(keys[i])}`);
}

/** Stands for any value that is not a key; each must be rejected wherever keys are accepted. */
const NOT_KEYS: readonly unknown[] = [
  { a: 1 },
  Object.create(null),
  new Date(0),
  new Map(),
  new Uint8Array(2),
  Symbol('k'),
  () => 1,
  [1, { a: 1 }],
  [[['x', new Set()]]],
];

const CODE_POINTS = [0x41, 0x7a, 0x20, 0x30, 0xe9, 0xdf, 0x3b1, 0x65e5, 0x1f600, 0x1f469, 0x200d, 0xfffd, 0x10ffff];

interface RandomKeyOptions {
  /** Include lone surrogates (encoded as U+FFFD: equal encodings, yet distinct keys and identities). */
  readonly loneSurrogates?: boolean;
  /** Draw from small domains so that keys repeat. */
  readonly small?: boolean;
}

/** A random key of any kind, composite keys nested up to 3 deep. */
function randomKey(random: () => number, options: RandomKeyOptions = {}, depth = 0): unknown {
  const pick = (n: number): number => Math.floor(random() * n);
  const small = options.small === true;
  switch (pick(depth < 3 ? 9 : 8)) {
    case 0: // ASCII, sometimes longer than the encoder's ASCII fast path
      return Array.from({ length: pick(small ? 3 : random() < 0.1 ? 200 : 20) }, () =>
        String.fromCharCode(small ? 97 + pick(2) : 32 + pick(95)),
      ).join('');
    case 1: {
      const units = Array.from({ length: pick(small ? 2 : 12) }, () =>
        String.fromCodePoint(CODE_POINTS[pick(small ? 3 : CODE_POINTS.length)] ?? 0x41),
      );
      if (options.loneSurrogates !== false && random() < 0.2) units.push(String.fromCharCode(0xd800 + pick(0x800)));
      return units.join('');
    }
    case 2:
      return small ? pick(4) - 2 : (random() * 2 ** 32) | 0;
    case 3:
      return small ? pick(4) / 2 : (random() - 0.5) * 10 ** (pick(40) - 20);
    case 4:
      return [0, -0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE][pick(7)];
    case 5: {
      let value = 0n;
      for (let i = pick(small ? 2 : 20); i > 0; i--) value = (value << 8n) | BigInt(pick(256));
      return random() < 0.5 ? -value : value;
    }
    case 6:
      return random() < 0.5;
    case 7:
      return random() < 0.5 ? null : undefined;
    default:
      return Array.from({ length: pick(small ? 3 : 5) }, () => randomKey(random, options, depth + 1));
  }
}

export default defineSuite('key hash', (it) => {
  it('reference murmur3_32 gives the published MurmurHash3_x86_32 vectors', () => {
    for (const vector of MURMUR3_X86_32_VECTORS) {
      equal(
        murmur3_32(vectorBytes(vector), vector.seed),
        vector.hash,
        `${vector.text ?? vector.hex} seed ${vector.seed}`,
      );
    }
  });

  it('wasm murmur3 gives the published MurmurHash3_x86_32 vectors', async () => {
    const k = await kernel();
    for (const vector of MURMUR3_X86_32_VECTORS) {
      equal(
        k.murmur3(vectorBytes(vector), vector.seed),
        vector.hash,
        `${vector.text ?? vector.hex} seed ${vector.seed}`,
      );
    }
  });

  it('flinkMurmurHash reproduces key groups computed by Flink itself', () => {
    for (const s of FLINK_KEY_GROUP_17_OF_128) equal(flinkMurmurHash(javaStringHashCode(s)) % 128, 17, s);
  });

  it('flinkMurmurHash is one MurmurHash3 block of the int, folded to be non-negative', () => {
    const random = seededRandom(7);
    const codes = [0, 1, -1, 0x7fffffff, -0x80000000, 42];
    for (let i = 0; i < 1000; i++) codes.push((random() * 2 ** 32) | 0);
    for (const code of codes) {
      const block = new Uint8Array(Int32Array.of(code).buffer);
      const hash = murmur3_32(block) | 0;
      const folded = hash >= 0 ? hash : hash !== -0x80000000 ? -hash : 0;
      equal(flinkMurmurHash(code), folded, `code ${code}`);
    }
  });

  it('hand-checked canonical encodings', () => {
    equal(hex(encodeKey('hi')), '06' + '02000000' + '6869');
    equal(hex(encodeKey('😀')), '06' + '04000000' + 'f09f9880');
    equal(hex(encodeKey(1)), '05' + '000000000000f03f');
    equal(hex(encodeKey(-0)), '05' + '0000000000000000');
    equal(hex(encodeKey(NaN)), '05' + '000000000000f87f');
    equal(hex(encodeKey(-258n)), '07' + '01' + '02000000' + '0201');
    equal(hex(encodeKey(0n)), '07' + '00' + '00000000');
    equal(hex(encodeKey(null)) + hex(encodeKey(undefined)), '01' + '02');
    equal(hex(encodeKey(false)) + hex(encodeKey(true)), '03' + '04');
    equal(hex(encodeKey([1, 'a'])), '08' + '02000000' + '05000000000000f03f' + '06' + '01000000' + '61');
    equal(hex(encodeKey('x'.repeat(70) + 'é')), '06' + '48000000' + '78'.repeat(70) + 'c3a9');
  });

  it('golden vectors via the reference: encoding, hash, key group at maxParallelism 128', () => {
    for (const vector of KEY_HASH_VECTORS) {
      const what = show(vector.key);
      equal(hex(encodeKey(vector.key)), vector.encoding, `${what}: encoding`);
      equal(referenceKeyHash(vector.key), vector.hash, `${what}: hash`);
      equal(referenceKeyGroup(vector.key, 128), vector.keyGroup128, `${what}: key group`);
    }
  });

  it('golden vectors via wasm: one key at a time and as one batch', async () => {
    const k = await kernel();
    for (const vector of KEY_HASH_VECTORS) {
      equal(k.keyHash(vector.key), vector.hash, `${show(vector.key)}: keyHash`);
      equal(k.keyGroup(vector.key, 128), vector.keyGroup128, `${show(vector.key)}: keyGroup`);
    }
    const keys = KEY_HASH_VECTORS.map((v) => v.key);
    deepEqual(
      Array.from(k.keyHashes(keys)),
      KEY_HASH_VECTORS.map((v) => v.hash),
      'keyHashes',
    );
    deepEqual(
      Array.from(k.keyGroups(keys, 128)),
      KEY_HASH_VECTORS.map((v) => v.keyGroup128),
      'keyGroups',
    );
  });

  it('differential: 5000 pseudo-random keys, wasm equals reference', async () => {
    const k = await kernel();
    const random = seededRandom(20240601);
    const keys = Array.from({ length: 5000 }, () => randomKey(random));
    expectSame(keys, Array.from(k.keyHashes(keys)), keys.map(referenceKeyHash), 'hash');
    for (const maxParallelism of [1, 7, 128, 4096, 32768]) {
      const expected = keys.map((key) => referenceKeyGroup(key, maxParallelism));
      expectSame(keys, Array.from(k.keyGroups(keys, maxParallelism)), expected, `key group at ${maxParallelism}`);
    }
  });

  it('a batch larger than wasm memory grows it, and later batches still hash correctly', async () => {
    const k = await kernel();
    const check = (keys: readonly unknown[], what: string): void => {
      const expected = keys.map((key) => referenceKeyGroup(key, 128));
      expectSame(keys, Array.from(k.keyGroups(keys, 128)), expected, what);
    };
    check(['a', 1, [2, 'b']], 'small batch before');
    const before = k.memoryBytes;
    const totalBytes = Math.max(4 << 20, before + (1 << 20)); // ≥ 4 MB and more than memory holds now
    const big = Array.from({ length: totalBytes >> 8 }, (_, i) =>
      `${i}:`.padEnd(256, String.fromCharCode(97 + (i % 26))),
    );
    check(big, '4 MB batch');
    ok(k.memoryBytes > before, `memory grew (${before} → ${k.memoryBytes} bytes)`);
    check(['a', 1, [2, 'b'], 'ü'], 'small batch after growth');
    equal(k.keyHash('hello'), referenceKeyHash('hello'), 'single key after growth');
    equal(k.murmur3(new TextEncoder().encode('hello')), 0x248bfa47, 'raw bytes after growth');
  });

  it('a long key alone grows memory too', async () => {
    const k = await kernel();
    const long = ['é'.repeat(k.memoryBytes / 2 + 1), 3]; // 2 UTF-8 bytes each: more than memory holds
    equal(k.keyHash(long), referenceKeyHash(long));
    equal(k.keyGroups([long], 256)[0], referenceKeyGroup(long, 256));
  });

  it('invalid keys throw a TypeError quoting the rule, everywhere keys are accepted', async () => {
    const k = await kernel();
    const rule = /^Invalid key.*: keys must be string, number, bigint, boolean, null or an array of those; got /;
    for (const bad of NOT_KEYS) {
      const what = typeof bad === 'symbol' ? 'symbol' : show(bad);
      equal(throws(() => encodeKey(bad), rule, `encodeKey ${what}`).name, 'TypeError');
      throws(() => keyIdentity(bad), rule, `keyIdentity ${what}`);
      throws(() => k.keyHash(bad), rule, `keyHash ${what}`);
      throws(() => k.keyGroups(['fine', bad], 128), rule, `keyGroups ${what}`);
    }
    throws(() => encodeKey({ a: 1 }), /got a plain object$/);
    throws(() => encodeKey(new Date(0)), /got a Date$/);
    throws(() => encodeKey([1, { a: 1 }]), /^Invalid key \(element 1 of a composite key\)/);
    equal(k.keyGroups(['a'], 128)[0], referenceKeyGroup('a', 128), 'kernel still works after a rejected batch');
  });

  it('composite keys nest at most MAX_KEY_DEPTH deep; cyclic arrays are rejected, not overflowing', async () => {
    const k = await kernel();
    let deepest: unknown = 'x';
    for (let i = 0; i < MAX_KEY_DEPTH; i++) deepest = [deepest];
    equal(k.keyHash(deepest), referenceKeyHash(deepest));
    keyIdentity(deepest);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    for (const tooDeep of [[deepest], cyclic]) {
      throws(() => k.keyHash(tooDeep), /composite keys nest at most 32 deep/);
      throws(() => keyIdentity(tooDeep), /composite keys nest at most 32 deep/);
    }
  });

  it('keyGroups checks maxParallelism and out, and fills a caller-provided out', async () => {
    const k = await kernel();
    throws(() => k.keyGroups(['a'], 0), /^maxParallelism \(0\) must be an integer in 1\.\.32768$/);
    throws(() => k.keyGroups(['a'], 32769), /^maxParallelism \(32769\)/);
    throws(() => k.keyGroup('a', 1.5), /^maxParallelism \(1\.5\)/);
    throws(() => k.keyGroups(['a', 'b'], 128, new Int32Array(1)), /^out \(length 1\) must hold at least 2 results$/);
    const out = new Int32Array(3).fill(-1);
    equal(k.keyGroups(['a', 'b'], 128, out), out, 'returns the out it was given');
    deepEqual(Array.from(out), [referenceKeyGroup('a', 128), referenceKeyGroup('b', 128), -1]);
    equal(k.keyGroups([], 128).length, 0);
  });

  it('loadKernel gives one instance per platform', async () => {
    const platform = await currentPlatform();
    equal(await loadKernel(platform), await loadKernel(platform));
  });

  it('keyIdentity follows key equality', () => {
    equal(keyIdentity(-0), keyIdentity(0), '0 and -0');
    ok(Object.is(keyIdentity(-0), 0), '-0 becomes 0');
    ok(keyIdentity(1) !== keyIdentity('1'), "1 and '1'");
    equal(keyIdentity([1, 'a']), keyIdentity([1, 'a']), "[1, 'a'] twice");
    ok(keyIdentity(['1']) !== keyIdentity([1]), "['1'] and [1]");
    ok(keyIdentity(null) !== keyIdentity(undefined), 'null and undefined');
    ok(keyIdentity([null]) !== keyIdentity([undefined]), '[null] and [undefined]');
    ok(keyIdentity(1n) !== keyIdentity(1), '1n and 1');
    ok(keyIdentity(['a', ['b']]) !== keyIdentity([['a'], 'b']), 'nesting matters');
    ok(keyIdentity(['a,b']) !== keyIdentity(['a', 'b']), 'no separator ambiguity');
    equal(keyIdentity([-0, NaN]), keyIdentity([0, NaN]), 'normalized inside arrays');
    const map = new Map([[keyIdentity(NaN), 'nan']]);
    equal(map.get(keyIdentity(NaN)), 'nan', 'NaN finds NaN in a Map');
    const asString = keyIdentity([1, 'a']);
    ok(typeof asString === 'string' && keyIdentity(asString) !== asString, 'a string never equals an array identity');
    equal(keyIdentity('plain'), 'plain');
    equal(keyIdentity('\u0001x'), '\u0001\u0001x');
  });

  it('equal identities have equal encodings (and distinct encodings distinct identities)', () => {
    const random = seededRandom(99);
    const keys = Array.from({ length: 3000 }, () => randomKey(random, { loneSurrogates: false, small: true }));
    keys.push(0, -0, [0], [-0], NaN, [NaN], 'a', ['a'], '\u0001[s1:a]');
    const encodingOf = new Map<unknown, string>();
    const identityOf = new Map<string, unknown>();
    for (const key of keys) {
      const identity = keyIdentity(key);
      const encoding = hex(encodeKey(key));
      equal(encodingOf.get(identity) ?? encoding, encoding, `identity of ${show(key)}`);
      ok(!identityOf.has(encoding) || Object.is(identityOf.get(encoding), identity), `encoding of ${show(key)}`);
      encodingOf.set(identity, encoding);
      identityOf.set(encoding, identity);
    }
    ok(encodingOf.size < keys.length, 'the sample holds repeated keys');
  });
});
