/**
 * Dense operator-local indices for keys (what the window kernel is keyed by), with the key behind each index.
 * Small non-negative integer keys — the common case for columnar i32 key columns — resolve through a flat array;
 * every other key through a Map on its canonical identity.
 */
import type { Kernel } from '../../../wasm/kernel.ts';
import { keyIdentity, type KeyIdentity } from '../../../wasm/key-encoding.ts';
import { SmallKeyTable } from '../../../wasm/small-key-lookup.ts';

export class KeyDictionary {
  /** The key of each index. */
  readonly keys: unknown[] = [];
  private readonly small = new SmallKeyTable();
  private readonly others = new Map<KeyIdentity, number>();

  constructor(
    private readonly kernel: Kernel,
    private readonly onNewKey: (index: number, key: unknown) => void,
  ) {}

  indexOf(key: unknown): number {
    if (SmallKeyTable.isSmall(key)) return this.indexOfSmall(key);
    const id = keyIdentity(key);
    let index = this.others.get(id);
    if (index === undefined) {
      index = this.add(key);
      this.others.set(id, index);
    }
    return index;
  }

  /**
   * indexOf of `source[0..n)` into `out`: the per-row path of numeric key columns. Keys already in the flat array
   * are looked up by the kernel in one pass (small-key-lookup.ts); the rest — new keys, other numbers — one by one.
   */
  indicesOfNumbers(source: Int32Array | Float64Array, out: Int32Array, n: number): void {
    const keys = n === source.length ? source : source.subarray(0, n);
    if (this.small.lookup(this.kernel, keys, out) === n) return;
    for (let i = 0; i < n; i++) if (out[i] === -1) out[i] = this.indexOf(keys[i]);
  }

  private indexOfSmall(key: number): number {
    const stored = this.small.get(key);
    if (stored >= 0) return stored;
    const index = this.add(key);
    this.small.set(key, index);
    return index;
  }

  private add(key: unknown): number {
    const index = this.keys.length;
    this.keys.push(key);
    this.onNewKey(index, key);
    return index;
  }
}
