/**
 * Thrown when bytes handed to a batch decoder (columnar-layout.ts, record-encoding.ts) are not a well-formed
 * encoding: wrong magic, an unsupported version, lengths or offsets that point outside the buffer, malformed
 * payload. The message names the format and what is wrong; `cause` carries a lower-level error where there is one.
 * Decoders never return a partially decoded batch.
 */
export class BatchFormatError extends Error {
  override name = 'BatchFormatError';
}

/** The bytes of one encoding and a little-endian view over them. */
export interface OpenedBatch {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly available: number;
  readonly view: DataView;
}

/**
 * Checks the prefix every batch encoding starts with — magic u32, version u16, flags u16 = 0 — and that the input
 * holds at least `headerBytes`. `format` names the encoding in errors ("columnar batch", "record batch").
 */
export function openBatch(
  input: ArrayBufferLike | ArrayBufferView,
  format: { readonly name: string; readonly magic: number; readonly version: number; readonly headerBytes: number },
): OpenedBatch {
  const fail = (message: string): never => {
    throw new BatchFormatError(`${format.name}: ${message}`);
  };
  const {
    buffer,
    byteOffset,
    byteLength: available,
  } = ArrayBuffer.isView(input) ? input : { buffer: input, byteOffset: 0, byteLength: input.byteLength };
  if (available < format.headerBytes) {
    fail(`truncated: ${available} bytes, the header alone takes ${format.headerBytes}`);
  }
  const view = new DataView(buffer, byteOffset, available);
  const magic = view.getUint32(0, true);
  if (magic !== format.magic) fail(`bad magic 0x${magic.toString(16).padStart(8, '0')} (not a ${format.name})`);
  const version = view.getUint16(4, true);
  if (version !== format.version) fail(`unsupported version ${version} (this build reads ${format.version})`);
  if (view.getUint16(6, true) !== 0) fail(`unknown flags 0x${view.getUint16(6, true).toString(16)}`);
  return { buffer, byteOffset, available, view };
}
