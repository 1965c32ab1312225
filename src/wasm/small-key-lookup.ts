/**
 * Small non-negative integer keys looked up in a flat table by the wasm kernel (assembly/small-keys.ts): a keyed
 * partitioner's table of channels (channel-selector.ts) and the window kernel's table of key indices
 * (key-dictionary.ts) both hold value + 1 per key seen, 0 for keys not seen yet. The keys and the table are copied
 * into the kernel's scratch region and looked up in one pass; a table much larger than the batch is read in place
 * by the reference loop below instead, as copying it would cost more than the lookups.
 */
import type { NumericValues } from './channel-split.ts';
import type { Kernel } from './kernel.ts';
import type { KernelExports } from './kernel-abi.ts';
import { reserveScratch, type ScratchEpoch } from './wasm-scratch.ts';

const align8 = (n: number): number => (n + 7) & ~7;

/** Integer keys below this go in the flat table (4 MiB of Int32 at most); others need a Map. */
const SMALL_KEY_LIMIT = 1 << 20;

/**
 * A non-negative value per small non-negative integer key, in the flat table the kernel reads (value + 1 per key,
 * 0 for none), grown as keys come.
 */
export class SmallKeyTable {
  private table = new Int32Array(0);

  /** Whether `key` can be in the table: an integer in [0, 2^20) (-0 counts as 0). */
  static isSmall(key: unknown): key is number {
    return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < SMALL_KEY_LIMIT;
  }

  /** The value of `key`, or -1 when it has none. */
  get(key: number): number {
    return key < this.table.length ? (this.table[key] as number) - 1 : -1;
  }

  /** Sets the value of a small key (see isSmall). */
  set(key: number, value: number): void {
    if (key >= this.table.length) {
      const grown = new Int32Array(Math.min(SMALL_KEY_LIMIT, Math.max(key + 1, this.table.length * 2, 1024)));
      grown.set(this.table);
      this.table = grown;
    }
    this.table[key] = value + 1;
  }

  /** out[i] = the value of keys[i], or -1 where it has none or is not small; returns how many had one. */
  lookup(kernel: Kernel, keys: NumericValues, out: Int32Array): number {
    return kernel.lookupSmallKeys(keys, this.table, out);
  }
}

/** See Kernel.lookupSmallKeys. */
export function wasmLookupSmallKeys(
  wasm: KernelExports,
  epoch: ScratchEpoch,
  keys: NumericValues,
  table: Int32Array,
  out: Int32Array,
): number {
  const n = keys.length;
  if (out.length < n) throw new RangeError(`out (length ${out.length}) must hold ${n} values`);
  if (table.length > 4 * n + 4096) return referenceLookupSmallKeys(keys, table, out);
  const wide = keys instanceof Float64Array;
  const tableAt = align8(keys.byteLength);
  const outAt = tableAt + align8(table.byteLength);
  const base = reserveScratch(wasm, outAt + 4 * n);
  epoch.current++;
  const memory = wasm.memory.buffer;
  if (wide) new Float64Array(memory, base, n).set(keys);
  else new Int32Array(memory, base, n).set(keys);
  new Int32Array(memory, base + tableAt, table.length).set(table);
  const known = wasm.smallKeyLookup(base, wide, n, base + tableAt, table.length, base + outAt);
  out.set(new Int32Array(memory, base + outAt, n));
  return known;
}

/** The plain loop: out[i] = table[keys[i]] - 1 for integer keys in the table, else -1; returns the hits. */
export function referenceLookupSmallKeys(keys: NumericValues, table: Int32Array, out: Int32Array): number {
  let known = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as number;
    const entry = Number.isInteger(key) && key >= 0 && key < table.length ? (table[key] as number) : 0;
    out[i] = entry - 1;
    if (entry !== 0) known++;
  }
  return known;
}
