/**
 * Field expressions for keyBy('field') and the built-in aggregations: a property name, a dotted path
 * ('user.id'), or an array index for tuple-like records (`sum(1)`, as Flink's positional fields).
 * Setting a field returns a copy: results already emitted are never mutated.
 */
export type FieldExpression = string | number;

export interface FieldAccessor {
  readonly expression: string;
  get(record: unknown): unknown;
  /** A shallow copy of `record` along the path with the field replaced. */
  with(record: unknown, value: unknown): unknown;
}

export function fieldAccessor(field: FieldExpression, api: string): FieldAccessor {
  const path = parsePath(field, api);
  const expression = String(field);
  return {
    expression,
    get(record) {
      let current: unknown = record;
      for (const step of path) {
        if (current === null || typeof current !== 'object') {
          throw new TypeError(`${api}: record ${preview(record)} has no field '${expression}'`);
        }
        current = (current as Record<string | number, unknown>)[step];
      }
      return current;
    },
    with(record, value) {
      return replaceAt(record, path, 0, value, expression, api);
    },
  };
}

function parsePath(field: FieldExpression, api: string): (string | number)[] {
  if (typeof field === 'number') {
    if (!Number.isInteger(field) || field < 0) {
      throw new RangeError(`${api}: a positional field must be a non-negative integer, got ${field}`);
    }
    return [field];
  }
  if (typeof field !== 'string' || field.length === 0 || field.split('.').some((s) => s.length === 0)) {
    throw new TypeError(`${api}: field must be a non-empty name or dotted path, got ${JSON.stringify(field)}`);
  }
  return field.split('.');
}

function replaceAt(
  record: unknown,
  path: readonly (string | number)[],
  depth: number,
  value: unknown,
  expression: string,
  api: string,
): unknown {
  if (record === null || typeof record !== 'object') {
    throw new TypeError(`${api}: record ${preview(record)} has no field '${expression}'`);
  }
  const step = path[depth] as string | number;
  const copy = (Array.isArray(record) ? [...(record as unknown[])] : { ...record }) as Record<string | number, unknown>;
  copy[step] = depth === path.length - 1 ? value : replaceAt(copy[step], path, depth + 1, value, expression, api);
  return copy;
}

export function preview(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
