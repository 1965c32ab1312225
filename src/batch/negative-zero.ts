/**
 * Keeps -0 through msgpackr (record-encoding.ts). msgpackr writes every number equal to an int32 as a MessagePack
 * integer, and -0 === 0, so a -0 would come back as 0. Before packing, each record is walked — no allocation
 * unless a -0 turns up — and a record holding -0 is copied with each -0 replaced by a marker that msgpackr writes
 * as extension type 0x2d ('-', `d4 2d 00 00`) and reads back as -0.
 *
 * The walk follows what msgpackr writes: arrays, Map keys and values, Set elements, and the own enumerable
 * properties of other objects. It does not look inside typed arrays (their bytes already keep -0), nor inside
 * class instances with a `toJSON` method, Dates included (msgpackr packs its result, which the walk does not see:
 * a -0 there becomes 0).
 * The copy of an object is a plain object, as msgpackr would decode it anyway.
 *
 * The walk also bounds nesting: past MAX_RECORD_DEPTH levels — or on a cycle — it throws a RangeError, where
 * msgpackr would overflow the stack (it does somewhere past 1,000 levels).
 *
 * addExtension is global to the msgpackr module: any code in the same realm that reads extension 0x2d gets -0.
 */
import { addExtension } from 'msgpackr';

/** Record values may nest this deep (top-level value = depth 0). */
export const MAX_RECORD_DEPTH = 512;

/** msgpackr extension type of the -0 marker. */
export const NEGATIVE_ZERO_EXTENSION = 0x2d;

class NegativeZero {}
const NEGATIVE_ZERO = new NegativeZero();

addExtension({ Class: NegativeZero, type: NEGATIVE_ZERO_EXTENSION, write: () => 0, read: () => -0 });

/**
 * `values` with every record that holds -0 replaced by a marked copy; `values` itself when none does (the common
 * case). Never modifies `values` or any record. Throws RangeError for a record nested deeper than
 * MAX_RECORD_DEPTH (or cyclic).
 */
export function markNegativeZeros(values: readonly unknown[]): readonly unknown[] {
  let marked: unknown[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (holdsNegativeZero(value, 0)) {
      marked ??= values.slice();
      marked[i] = withMarkers(value, 0);
    }
  }
  return marked ?? values;
}

function isNegativeZero(value: number): boolean {
  return value === 0 && 1 / value < 0;
}

function holdsNegativeZero(value: unknown, depth: number): boolean {
  if (typeof value === 'number') return isNegativeZero(value);
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= MAX_RECORD_DEPTH) throw tooDeep();
  if ((value as { constructor?: unknown }).constructor !== Object) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (holdsNegativeZero(value[i], depth + 1)) return true;
      return false;
    }
    if (value instanceof Map || value instanceof Set) {
      for (const entry of value.entries()) if (holdsNegativeZero(entry, depth)) return true;
      return false;
    }
    if (ArrayBuffer.isView(value) || packsAsJson(value)) return false;
  }
  // No hasOwn filter: it halves the walk's speed, and an inherited enumerable property can only cause a needless
  // copy (withMarkers filters), never a missed -0.
  const record = value as Record<string, unknown>;
  for (const key in record) if (holdsNegativeZero(record[key], depth + 1)) return true;
  return false;
}

/** A copy of `value` with each -0 replaced by NEGATIVE_ZERO; parts holding none are shared, not copied. */
function withMarkers(value: unknown, depth: number): unknown {
  if (typeof value === 'number') return isNegativeZero(value) ? NEGATIVE_ZERO : value;
  if (!holdsNegativeZero(value, depth)) return value;
  if (Array.isArray(value)) return value.map((element: unknown) => withMarkers(element, depth + 1));
  if (value instanceof Map) {
    return new Map(Array.from(value, ([k, v]: [unknown, unknown]) => [withMarkers(k, depth), withMarkers(v, depth)]));
  }
  if (value instanceof Set) return new Set(Array.from(value, (element: unknown) => withMarkers(element, depth)));
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key in record) if (Object.hasOwn(record, key)) copy[key] = withMarkers(record[key], depth + 1);
  return copy;
}

/** msgpackr packs `value.toJSON()` for an object that is not a plain Object, Array, Map, Set or typed array. */
function packsAsJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function tooDeep(): RangeError {
  return new RangeError(
    `a record nests deeper than ${MAX_RECORD_DEPTH} levels, or holds a cycle: records must be trees ` +
      '(structured cloning of shared references is off; see src/batch/record-encoding.ts)',
  );
}
