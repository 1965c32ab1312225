// Small non-negative integer keys looked up in a flat table: the channel of each key for a keyed partitioner
// (src/runtime/channel-selector.ts), the dense index of each key for the window kernel
// (src/runtime/operators/window/key-dictionary.ts). JS side src/wasm/small-key-lookup.ts.

/**
 * out[i] = table[keys[i]] - 1 for keys (i32, or f64 when `wide`) that are non-negative integers below `size`, and
 * -1 for the others: the table holds value + 1 per small key seen before, 0 for keys not seen yet. Returns how
 * many keys were found. An f64 key is looked up only when it is an integer (-0 as 0).
 */
export function lookupSmallKeys(keys: usize, wide: bool, n: u32, table: usize, size: u32, out: usize): u32 {
  let known: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let entry: i32 = 0;
    if (wide) {
      const key = load<f64>(keys + (<usize>i << 3));
      if (key >= 0 && key < <f64>size && <f64><u32>key == key) entry = load<i32>(table + (<usize><u32>key << 2));
    } else {
      const key = load<u32>(keys + (<usize>i << 2)); // a negative key wraps past any table size
      if (key < size) entry = load<i32>(table + (<usize>key << 2));
    }
    store<i32>(out + (<usize>i << 2), entry - 1);
    known += <u32>(entry != 0);
  }
  return known;
}
