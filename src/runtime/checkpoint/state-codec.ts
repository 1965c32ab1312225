/**
 * Encodes checkpoint state (operator-state.ts) as bytes: MessagePack via msgpackr with the options of record
 * batches (`moreTypes` keeps typed arrays, Maps and Sets; `structuredClone: false`, as state values are trees).
 * -0 is kept by the same marker extension as record batches.
 */
import { Packr, Unpackr, type Options } from 'msgpackr';
import { markNegativeZeros } from '../../batch/negative-zero.ts';

const OPTIONS: Options = { useRecords: true, moreTypes: true, structuredClone: false, copyBuffers: true };
const packr = new Packr(OPTIONS);
const unpackr = new Unpackr(OPTIONS);

/** `value` as fresh bytes; throws a TypeError naming `what` when a value cannot be encoded (a function, a symbol). */
export function encodeState(value: unknown, what: string): Uint8Array {
  try {
    // A copy: msgpackr returns a view of its reused buffer; a blob owns its bytes (and can be transferred).
    return new Uint8Array(packr.pack(markNegativeZeros([value])));
  } catch (err) {
    throw new TypeError(`cannot checkpoint ${what}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

export function decodeState(bytes: Uint8Array, what: string): unknown {
  let decoded: unknown;
  try {
    decoded = unpackr.unpack(bytes);
  } catch (err) {
    throw new Error(`cannot restore ${what}: malformed state (${err instanceof Error ? err.message : String(err)})`, {
      cause: err,
    });
  }
  if (!Array.isArray(decoded) || decoded.length !== 1) throw new Error(`cannot restore ${what}: malformed state`);
  return decoded[0];
}
