/**
 * Row objects from columns, fast. Assigning properties one column at a time (`row[name] = value`) costs ~100 ns a
 * row: every row walks a chain of hidden-class transitions through a keyed store that sees every column name. An
 * object literal with the schema's names costs ~8 ns, so the builder for a schema is generated once as such a
 * literal (`new Function`; names enter the code only as JSON string literals, values only as arguments) and
 * cached. Where code generation is refused (a Content-Security-Policy without 'unsafe-eval'), or for a schema
 * the literal would treat differently (a `__proto__` column sets the prototype there), rows are built property by
 * property.
 */
import type { Column, ColumnarBatch } from './columnar-batch.ts';
import { readUtf8 } from './utf8.ts';

export type Row = Record<string, unknown>;

type RowsBuilder = (columns: readonly Column[], rowCount: number, text: typeof readUtf8) => Row[];

/** Builders by schema signature; bounded so that a stream of ever-new schemas cannot grow it without end. */
const builders = new Map<string, RowsBuilder>();
const MAX_BUILDERS = 256;
let codeGeneration = true;

/** The rows of `batch` as fresh plain objects, properties in schema order. */
export function buildRows(batch: ColumnarBatch): Row[] {
  const { columns, rowCount } = batch;
  const signature = columns.map((c) => `${c.type}:${c.name}`).join('\u0000');
  let builder = builders.get(signature);
  if (builder === undefined) {
    builder = generatedBuilder(columns) ?? propertyByProperty;
    if (builders.size >= MAX_BUILDERS) builders.clear();
    builders.set(signature, builder);
  }
  return builder(columns, rowCount, readUtf8);
}

function generatedBuilder(columns: readonly Column[]): RowsBuilder | undefined {
  if (!codeGeneration || columns.some((c) => c.name === '__proto__')) return undefined;
  const setup = columns.map((c, i) =>
    c.type === 'string'
      ? `const o${i} = columns[${i}].offsets, b${i} = columns[${i}].bytes;`
      : `const v${i} = columns[${i}].values;`,
  );
  const fields = columns.map((c, i) =>
    c.type === 'string'
      ? `${JSON.stringify(c.name)}: text(b${i}, o${i}[r], o${i}[r + 1])`
      : `${JSON.stringify(c.name)}: v${i}[r]`,
  );
  const body = `${setup.join('\n')}
const rows = new Array(rowCount);
for (let r = 0; r < rowCount; r++) rows[r] = { ${fields.join(', ')} };
return rows;`;
  try {
    return new Function('columns', 'rowCount', 'text', body) as RowsBuilder;
  } catch (err) {
    if (!(err instanceof EvalError)) throw err;
    codeGeneration = false; // refused by the page's policy: do not try again
    return undefined;
  }
}

function propertyByProperty(columns: readonly Column[], rowCount: number, text: typeof readUtf8): Row[] {
  const rows: Row[] = Array.from({ length: rowCount }, () => ({}));
  for (const column of columns) {
    const { name } = column;
    const set = name === '__proto__' ? defineOwn : assign;
    if (column.type === 'string') {
      const { offsets, bytes } = column;
      for (let i = 0; i < rowCount; i++) set(rows[i]!, name, text(bytes, offsets[i]!, offsets[i + 1]!));
    } else {
      const { values } = column;
      for (let i = 0; i < rowCount; i++) set(rows[i]!, name, values[i]);
    }
  }
  return rows;
}

const assign = (row: Row, name: string, value: unknown): void => {
  row[name] = value;
};

/** A `__proto__` column is an own property, as in every other column (assignment would set the prototype). */
const defineOwn = (row: Row, name: string, value: unknown): void => {
  Object.defineProperty(row, name, { value, writable: true, enumerable: true, configurable: true });
};

/** Row building without generated code, for tests of the fallback. */
export const buildRowsPropertyByProperty = (batch: ColumnarBatch): Row[] =>
  propertyByProperty(batch.columns, batch.rowCount, readUtf8);
