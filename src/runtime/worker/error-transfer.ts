/**
 * Errors cross worker boundaries as plain data and are rebuilt on the other side (STYLE.md habit 7): class, name,
 * message, the remote stack, the whole `cause` chain and the error's own data fields — so a host sees an
 * `OperatorError` with its `operatorName`, `subtaskIndex` and original `cause`, `instanceof` included.
 *
 * Only classes in the registry are rebuilt as themselves (built-in errors, the engine's errors, anything added with
 * `registerErrorClass`); an unknown class comes back as an `Error` whose `name` is the original class name. Rebuilt
 * errors are made with `Object.create(prototype)`, so no constructor runs.
 */
import { JobCancelledError, OperatorError } from '../errors.ts';

export interface SerializedError {
  readonly kind: 'error';
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: SerializedThrown;
  /** Own enumerable data properties other than name/message/stack/cause, e.g. OperatorError's operatorName. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** An AggregateError's errors. */
  readonly errors?: readonly SerializedThrown[];
}

/** A thrown value or cause that is not an Error (a string, a plain object), as a structured clone or its text. */
export interface SerializedValue {
  readonly kind: 'value';
  readonly value: unknown;
}

export type SerializedThrown = SerializedError | SerializedValue;

type ErrorClass = abstract new (...args: never[]) => Error;

const errorClasses = new Map<string, ErrorClass>();

/** Makes `rebuildError` restore errors named `name` as instances of `errorClass` (on the rebuilding side). */
export function registerErrorClass(name: string, errorClass: ErrorClass): void {
  errorClasses.set(name, errorClass);
}

for (const builtin of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]) {
  registerErrorClass(builtin.name, builtin);
}
registerErrorClass('AggregateError', AggregateError);
registerErrorClass('OperatorError', OperatorError);
registerErrorClass('JobCancelledError', JobCancelledError);

/** Longest cause chain kept; deeper causes, and a cause that closes a cycle, are replaced by a note. */
const MAX_DEPTH = 32;
const OWN_KEYS = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/** `ancestors` are the errors whose cause chain led here; meeting one again is a cycle. */
export function serializeThrown(thrown: unknown, ancestors: readonly unknown[] = []): SerializedThrown {
  if (!(thrown instanceof Error)) return { kind: 'value', value: cloneable(thrown) };
  if (ancestors.includes(thrown)) return { kind: 'value', value: '[circular cause]' };
  if (ancestors.length >= MAX_DEPTH) return { kind: 'value', value: '[cause chain truncated]' };
  const nested = (value: unknown): SerializedThrown => serializeThrown(value, [...ancestors, thrown]);
  const fields = Object.entries(thrown).filter(([key]) => !OWN_KEYS.has(key));
  return {
    kind: 'error',
    name: thrown.name,
    message: thrown.message,
    ...(typeof thrown.stack === 'string' && { stack: thrown.stack }),
    ...('cause' in thrown && { cause: nested(thrown.cause) }),
    ...(fields.length > 0 && { fields: Object.fromEntries(fields.map(([key, v]) => [key, cloneable(v)])) }),
    ...(thrown instanceof AggregateError && { errors: Array.from(thrown.errors, nested) }),
  };
}

export function rebuildThrown(serialized: SerializedThrown): unknown {
  return serialized.kind === 'value' ? serialized.value : rebuildError(serialized);
}

export function rebuildError(serialized: SerializedError): Error {
  const errorClass = errorClasses.get(serialized.name) ?? Error;
  const error = Object.create(errorClass.prototype) as Error;
  const hidden = (key: string, value: unknown): void => {
    Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: false });
  };
  hidden('message', serialized.message);
  if (serialized.stack !== undefined) hidden('stack', serialized.stack);
  if (serialized.cause !== undefined) hidden('cause', rebuildThrown(serialized.cause));
  if (serialized.errors !== undefined) hidden('errors', serialized.errors.map(rebuildThrown));
  Object.assign(error, serialized.fields);
  if (error.name !== serialized.name) error.name = serialized.name;
  return error;
}

/** `value` if structured clone can carry it, else its text (a function, a symbol, an object holding either). */
function cloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return String(value);
  }
}
