/** Building blocks of the window kernel's columnar results. */
import type { Column, ColumnType } from '../../../batch/columnar-batch.ts';
import { stringColumn } from '../../../batch/columnar-rows.ts';

/** Column `key` holding `keys[indices[i]]`, of the type of the key column the keys came from. */
export function keyColumn(type: ColumnType, keys: readonly unknown[], indices: Int32Array): Column {
  const n = indices.length;
  if (type === 'string') return stringColumn('key', n, (i) => keys[indices[i] as number]);
  const values = type === 'i32' ? new Int32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = keys[indices[i] as number] as number;
  return values instanceof Int32Array ? { name: 'key', type: 'i32', values } : { name: 'key', type: 'f64', values };
}
