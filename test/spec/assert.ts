/**
 * Assertions for runtime-agnostic specs (node:assert does not exist in a browser page). Messages show both sides
 * as JSON-ish text so a failure read from a Deno or Chromium log is self-explanatory.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function deepEqual(actual: unknown, expected: unknown, message?: string): void {
  const path = firstDifference(actual, expected, '$');
  if (path !== null) {
    throw new AssertionError(
      `${message ? message + ': ' : ''}values differ at ${path}\n  expected: ${show(expected)}\n  actual:   ${show(actual)}`,
    );
  }
}

/** Equal as multisets: order is ignored, multiplicity is not. */
export function sameMultiset(actual: readonly unknown[], expected: readonly unknown[], message?: string): void {
  const key = (v: unknown): string => show(v);
  deepEqual([...actual].map(key).sort(), [...expected].map(key).sort(), message);
}

export function throws(fn: () => unknown, pattern: RegExp, message?: string): Error {
  try {
    fn();
  } catch (err) {
    return checkError(err, pattern, message);
  }
  throw new AssertionError(`${message ? message + ': ' : ''}expected an error matching ${pattern}, none was thrown`);
}

export async function rejects(run: Promise<unknown> | (() => Promise<unknown>), pattern: RegExp, message?: string) {
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (err) {
    return checkError(err, pattern, message);
  }
  throw new AssertionError(`${message ? message + ': ' : ''}expected a rejection matching ${pattern}, it resolved`);
}

function checkError(err: unknown, pattern: RegExp, message?: string): Error {
  if (!(err instanceof Error)) throw new AssertionError(`expected an Error, got ${show(err)}`);
  if (!pattern.test(err.message)) {
    throw new AssertionError(
      `${message ? message + ': ' : ''}error message ${show(err.message)} does not match ${pattern}`,
    );
  }
  return err;
}

function firstDifference(a: unknown, b: unknown, path: string): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return path;
  if (a instanceof Map && b instanceof Map) {
    return firstDifference([...a.entries()], [...b.entries()], path);
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    return firstDifference(Array.from(a as never), Array.from(b as never), path);
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return `${path} (keys ${show(ka)} vs ${show(kb)})`;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return `${path}.${k}`;
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== null) return d;
  }
  return null;
}

export function show(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (typeof v === 'bigint') return `${v}n`;
      if (v instanceof Map) return { Map: [...v.entries()] };
      return v;
    });
  } catch {
    return String(value);
  }
}
