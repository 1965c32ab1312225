/**
 * Thrown when bytes handed to a batch decoder (columnar-layout.ts, record-encoding.ts) are not a well-formed
 * encoding: wrong magic, an unsupported version, lengths or offsets that point outside the buffer, malformed
 * payload. The message names the format and what is wrong; `cause` carries a lower-level error where there is one.
 * Decoders never return a partially decoded batch.
 */
export class BatchFormatError extends Error {
  override name = 'BatchFormatError';
}
