/**
 * The canonical byte encoding of a key — the bytes Rivulet hashes to route a key to its key group (SEMANTICS.md
 * intro "Key hashing", §5.2). The same key gives the same bytes in every runtime, so a job partitions its keys
 * identically in Node, Deno and a browser, and a savepoint restores anywhere. Pinned by test/golden/key-hash.ts.
 *
 * A key is a string, number, bigint, boolean, null, undefined, or an array of keys (a composite key such as
 * `keyBy(e => [e.a, e.b])`). Anything else — plain objects, Dates, Maps, typed arrays, symbols, functions —
 * throws a TypeError. `null` and `undefined` are two distinct keys, as they are for a JS Map.
 *
 * ```
 *  key := tag:u8 payload                 every integer little-endian; the encoding is prefix-free, so
 *                                        array elements need no separators
 *  tag   key         payload
 *  0x01  null        —
 *  0x02  undefined   —
 *  0x03  false       —
 *  0x04  true        —
 *  0x05  number      f64 (8 bytes); -0 is written as +0, every NaN as 0x7ff8000000000000
 *  0x06  string      byteLength:u32  UTF-8 bytes[byteLength]     (lone surrogates become U+FFFD, as
 *                                                                  TextEncoder does)
 *  0x07  bigint      sign:u8 (0 = ≥ 0, 1 = < 0)  byteLength:u32  |value| bytes[byteLength], least
 *                                                                  significant first, no high zero bytes
 *                                                                  (0n has byteLength 0)
 *  0x08  array       count:u32  key[count]                       (elements encoded recursively)
 *
 *  e.g. "hi"     → 06 | 02 00 00 00 | 68 69
 *       [1, "a"] → 08 | 02 00 00 00 | 05 00 00 00 00 00 00 f0 3f | 06 01 00 00 00 61
 * ```
 */

/** Type tags of the canonical key encoding (first byte of every encoded key). */
export const KeyTag = {
  null: 0x01,
  undefined: 0x02,
  false: 0x03,
  true: 0x04,
  number: 0x05,
  string: 0x06,
  bigint: 0x07,
  array: 0x08,
} as const;

/** Composite keys may nest this deep; deeper (or cyclic) arrays are rejected rather than overflowing the stack. */
export const MAX_KEY_DEPTH = 32;

/** The rule every key must satisfy, quoted by every invalid-key error. */
export const KEY_RULE = 'keys must be string, number, bigint, boolean, null or an array of those';

/**
 * Where encoded bytes go. `bytes` is valid from `pos` on; before writing n bytes the encoder calls `reserve(n)`,
 * which must leave `bytes.length - pos >= n` — replacing `bytes` if needed (e.g. re-deriving a view of wasm memory
 * after it grew). The encoder re-reads `bytes` after every `reserve` call and never holds it across one.
 */
export interface KeySink {
  bytes: Uint8Array;
  pos: number;
  reserve(n: number): void;
}

const utf8 = new TextEncoder();
const f64Scratch = new DataView(new ArrayBuffer(8));
const CANONICAL_NAN = 0x7ff80000; // high word; low word 0

/** Strings up to this many UTF-16 units are first tried as ASCII in a plain loop (no allocation per key). */
const ASCII_FAST_PATH_MAX = 64;

/** Appends the canonical encoding of `key` to `sink`; throws TypeError for a value that is not a valid key. */
export function encodeKeyInto(key: unknown, sink: KeySink): void {
  encodeValue(key, sink, 0, -1);
}

/** The canonical encoding of `key` as a fresh byte array. */
export function encodeKey(key: unknown): Uint8Array {
  const sink = growableSink(16);
  encodeKeyInto(key, sink);
  return sink.bytes.slice(0, sink.pos);
}

/** A KeySink over a JS buffer that doubles when full; `bytes.subarray(0, pos)` is what has been written. */
export function growableSink(initialBytes: number): KeySink {
  return {
    bytes: new Uint8Array(initialBytes),
    pos: 0,
    reserve(n) {
      if (this.bytes.length - this.pos >= n) return;
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
      grown.set(this.bytes.subarray(0, this.pos));
      this.bytes = grown;
    },
  };
}

function encodeValue(key: unknown, sink: KeySink, depth: number, index: number): void {
  switch (typeof key) {
    case 'string':
      return encodeString(key, sink);
    case 'number':
      return encodeNumber(key, sink);
    case 'boolean':
      return writeTag(sink, key ? KeyTag.true : KeyTag.false);
    case 'undefined':
      return writeTag(sink, KeyTag.undefined);
    case 'bigint':
      return encodeBigint(key, sink);
  }
  if (key === null) return writeTag(sink, KeyTag.null);
  if (!Array.isArray(key)) throw invalidKey(key, depth, index);
  if (depth >= MAX_KEY_DEPTH) throw new TypeError(`Invalid key: composite keys nest at most ${MAX_KEY_DEPTH} deep`);
  sink.reserve(5);
  sink.bytes[sink.pos] = KeyTag.array;
  writeU32(sink.bytes, sink.pos + 1, key.length);
  sink.pos += 5;
  for (let i = 0; i < key.length; i++) encodeValue(key[i], sink, depth + 1, i);
}

function writeTag(sink: KeySink, tag: number): void {
  sink.reserve(1);
  sink.bytes[sink.pos++] = tag;
}

function encodeNumber(value: number, sink: KeySink): void {
  sink.reserve(9);
  const { bytes } = sink;
  const at = sink.pos;
  bytes[at] = KeyTag.number;
  if (value !== value) {
    f64Scratch.setUint32(0, 0, true);
    f64Scratch.setUint32(4, CANONICAL_NAN, true);
  } else {
    f64Scratch.setFloat64(0, value === 0 ? 0 : value, true); // -0 === 0, so -0 is written as +0
  }
  for (let i = 0; i < 8; i++) bytes[at + 1 + i] = f64Scratch.getUint8(i);
  sink.pos = at + 9;
}

function encodeString(value: string, sink: KeySink): void {
  const length = value.length;
  // A UTF-16 unit takes at most 3 UTF-8 bytes (a surrogate pair: 2 units, 4 bytes).
  sink.reserve(5 + 3 * length);
  const { bytes } = sink;
  const start = sink.pos + 5;
  bytes[sink.pos] = KeyTag.string;
  let written = -1;
  if (length <= ASCII_FAST_PATH_MAX) written = writeAscii(value, bytes, start);
  if (written < 0) written = utf8.encodeInto(value, bytes.subarray(start)).written;
  writeU32(bytes, sink.pos + 1, written);
  sink.pos = start + written;
}

/** Writes `value` as ASCII and returns its length, or returns -1 (bytes partly written) if it is not ASCII. */
function writeAscii(value: string, bytes: Uint8Array, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0x80) return -1;
    bytes[at + i] = unit;
  }
  return value.length;
}

function encodeBigint(value: bigint, sink: KeySink): void {
  let magnitude = value < 0n ? -value : value;
  let byteLength = 0;
  for (let m = magnitude; m > 0n; m >>= 8n) byteLength++;
  sink.reserve(6 + byteLength);
  const { bytes } = sink;
  const at = sink.pos;
  bytes[at] = KeyTag.bigint;
  bytes[at + 1] = value < 0n ? 1 : 0;
  writeU32(bytes, at + 2, byteLength);
  for (let i = 0; i < byteLength; i++, magnitude >>= 8n) bytes[at + 6 + i] = Number(magnitude & 0xffn);
  sink.pos = at + 6 + byteLength;
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = value >>> 24;
}

/** A JS Map key standing for a key: equal identities ⇔ equal keys. See keyIdentity. */
export type KeyIdentity = string | number | bigint | boolean | null | undefined;

/**
 * A value to key a JS Map with (per-key state, timers) that follows key equality: a string, number, bigint,
 * boolean, null or undefined key is its own identity (with -0 turned into 0; a Map already treats all NaNs as one);
 * a composite key becomes a canonical string. Strings starting with U+0001 are escaped with one more U+0001, so
 * no string key can collide with a composite key's identity (which starts with U+0001 then '[').
 *
 * Equal identities imply equal encodings, hence equal hashes. The converse fails only for strings holding lone
 * surrogates, which UTF-8 cannot represent ('\uD800' and '\uFFFD' encode alike): they share a hash, as any two
 * keys may, but stay distinct keys. Throws the same TypeError as encodeKey for a value that is not a key.
 */
export function keyIdentity(key: unknown): KeyIdentity {
  switch (typeof key) {
    case 'string':
      return key.charCodeAt(0) === 1 ? '\u0001' + key : key;
    case 'number':
      return key === 0 ? 0 : key;
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return key;
  }
  if (key === null) return null;
  if (!Array.isArray(key)) throw invalidKey(key, 0, -1);
  return '\u0001' + compositeIdentity(key, 0);
}

/**
 * Self-delimiting text for an array key: '[' elements ']' where an element is
 *   N null · U undefined · F false · T true · n<String(number)>; · b<String(bigint)>; · s<length>:<string> · [...]
 * String(number) never contains ';' and already prints -0 as "0".
 */
function compositeIdentity(key: readonly unknown[], depth: number): string {
  if (depth >= MAX_KEY_DEPTH) throw new TypeError(`Invalid key: composite keys nest at most ${MAX_KEY_DEPTH} deep`);
  let text = '[';
  for (let i = 0; i < key.length; i++) {
    const element = key[i];
    switch (typeof element) {
      case 'string':
        text += `s${element.length}:${element}`;
        continue;
      case 'number':
        text += `n${element};`;
        continue;
      case 'bigint':
        text += `b${element};`;
        continue;
      case 'boolean':
        text += element ? 'T' : 'F';
        continue;
      case 'undefined':
        text += 'U';
        continue;
    }
    if (element === null) text += 'N';
    else if (Array.isArray(element)) text += compositeIdentity(element, depth + 1);
    else throw invalidKey(element, depth + 1, i);
  }
  return text + ']';
}

/** The TypeError for a value that is not a key; `index` ≥ 0 names its position inside a composite key. */
function invalidKey(value: unknown, depth: number, index: number): TypeError {
  const where = depth > 0 ? ` (element ${index} of a composite key)` : '';
  return new TypeError(`Invalid key${where}: ${KEY_RULE}; got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === null || proto === Object.prototype) return 'a plain object';
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}
