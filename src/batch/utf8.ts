/**
 * UTF-8 for string columns: short ASCII strings take a plain loop (TextEncoder / TextDecoder cost more per call
 * than a short key's whole encoding), everything else goes through the platform codecs. Lone surrogates become
 * U+FFFD, as TextEncoder does; invalid bytes decode to U+FFFD, as a non-fatal TextDecoder does.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Strings up to this many UTF-16 units (or bytes, when decoding) are tried as ASCII first. */
const ASCII_FAST_PATH_MAX = 32;

/**
 * Writes `value` as UTF-8 at `bytes[at..]` and returns the number of bytes written. The caller guarantees room for
 * the worst case, 3 bytes per UTF-16 unit.
 */
export function writeUtf8(value: string, bytes: Uint8Array, at: number): number {
  const length = value.length;
  if (length <= ASCII_FAST_PATH_MAX) {
    let i = 0;
    for (; i < length; i++) {
      const unit = value.charCodeAt(i);
      if (unit >= 0x80) break;
      bytes[at + i] = unit;
    }
    if (i === length) return length;
  }
  return encoder.encodeInto(value, bytes.subarray(at)).written;
}

/** The string held as UTF-8 in bytes[start..end). */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= ASCII_FAST_PATH_MAX) {
    let text = '';
    let i = start;
    for (; i < end; i++) {
      const byte = bytes[i]!;
      if (byte >= 0x80) break;
      text += String.fromCharCode(byte);
    }
    if (i === end) return text;
  }
  return decoder.decode(bytes.subarray(start, end));
}
