/**
 * Generates test/golden/columnar-batch.ts: a small columnar batch and the exact bytes encodeColumnar gives for it
 * (src/batch/columnar-layout.ts), split region by region and field by field so a reviewer can read the layout off
 * the golden file. The regions are found by reading the header here, independently of the decoder.
 *
 *   node --import tsx scripts/update-golden-columnar.ts                   check: exit 1 if the golden file differs
 *   UPDATE_GOLDEN=1 node --import tsx scripts/update-golden-columnar.ts   rewrite the golden file
 *
 * Changing these bytes changes the wire format: bump COLUMNAR_VERSION when existing encodings would no longer
 * decode the same. Rewrite only on purpose.
 */
import * as prettier from 'prettier';
import type { ColumnarSchema } from '../src/batch/columnar-batch.ts';
import { encodeColumnar } from '../src/batch/columnar-layout.ts';
import { rowsToColumnar, type Row } from '../src/batch/columnar-rows.ts';

declare const process: {
  env: Record<string, string | undefined>;
  exitCode: number | undefined;
  getBuiltinModule(id: 'node:fs'): {
    readFileSync(path: URL, encoding: 'utf8'): string;
    writeFileSync(path: URL, text: string): void;
    existsSync(path: URL): boolean;
  };
};

const GOLDEN = new URL('../test/golden/columnar-batch.ts', import.meta.url);

/** Every column type; -0, NaN and int32 extremes; an empty, a 2-byte and a 4-byte UTF-8 string; no timestamp. */
const SCHEMA: ColumnarSchema = [
  { name: 'price', type: 'f64' },
  { name: 'qty', type: 'i32' },
  { name: 'user', type: 'string' },
];
const ROWS: readonly Row[] = [
  { price: 1.5, qty: 7, user: 'ann' },
  { price: -0, qty: -2147483648, user: '' },
  { price: NaN, qty: 2147483647, user: 'héllo 😀' },
];
const TIMESTAMPS: readonly number[] = [1000, -Infinity, 2500];

const hex = (bytes: Uint8Array, from: number, to: number): string =>
  Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0')).join('');

/** bytes[from..to) as hex, a space between fields of `sizes` bytes (the last size repeats to the end). */
function fields(bytes: Uint8Array, from: number, to: number, sizes: readonly number[]): string {
  const parts: string[] = [];
  for (let at = from, i = 0; at < to; i++) {
    const size = Math.min(sizes[Math.min(i, sizes.length - 1)]!, to - at);
    parts.push(hex(bytes, at, at + size));
    at += size;
  }
  return parts.join(' ');
}

/** [what, hex] per region of `buffer`, in byte order; concatenated (spaces removed) they are all its bytes. */
function regions(buffer: ArrayBuffer): [string, string][] {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  const rows = view.getUint32(8, true);
  const columns = view.getUint32(12, true);
  const end = view.getUint32(16, true);
  const timestamps = view.getUint32(20, true);
  const out: [string, string][] = [
    [
      'header: magic, version, flags, rowCount, columnCount, byteLength, timestampsOffset',
      fields(bytes, 0, 24, [4, 2, 2, 4]),
    ],
  ];
  const descriptors = Array.from({ length: columns }, (_, i) => 24 + 16 * i);
  for (const [i, at] of descriptors.entries()) {
    out.push([
      `descriptor ${i}: dataOffset, dataLength, nameOffset, nameLength, type, reserved`,
      fields(bytes, at, at + 16, [4, 4, 4, 2, 1, 1]),
    ]);
  }
  const names = descriptors.map((at) => [view.getUint32(at + 8, true), view.getUint16(at + 12, true)] as const);
  const namesEnd = 24 + 16 * columns + names.reduce((sum, [, length]) => sum + length, 0);
  out.push([
    'names (UTF-8), then padding to 8',
    `${names.map(([at, length]) => hex(bytes, at, at + length)).join(' ')} ${hex(bytes, namesEnd, timestamps)}`.trim(),
  ]);
  const data = descriptors.map((at) => ({
    at: view.getUint32(at, true),
    length: view.getUint32(at + 4, true),
    type: view.getUint8(at + 14),
  }));
  out.push(['timestamps: f64 per row', fields(bytes, timestamps, data[0]?.at ?? end, [8])]);
  data.forEach(({ at, length, type }, i) => {
    const next = data[i + 1]?.at ?? end;
    const padding = hex(bytes, at + length, next);
    if (type === 3) {
      const offsetBytes = 4 * (rows + 1);
      const body = `${fields(bytes, at, at + offsetBytes, [4])} ${hex(bytes, at + offsetBytes, at + length)}`;
      out.push([`column ${i} (string): offsets i32 per row + 1, UTF-8 bytes, padding`, `${body} ${padding}`.trim()]);
    } else {
      const size = type === 1 ? 8 : 4;
      out.push([
        `column ${i} (${type === 1 ? 'f64' : 'i32'}) per row, padding`,
        `${fields(bytes, at, at + length, [size])} ${padding}`.trim(),
      ]);
    }
  });
  return out;
}

/** `value` as a TS literal that evaluates back to the same value (NaN, -0 and ±Infinity included). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v)}`)
      .join(', ')} }`;
  }
  if (Object.is(value, -0)) return '-0';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

async function main(): Promise<void> {
  const encoded = encodeColumnar(rowsToColumnar(ROWS, SCHEMA, TIMESTAMPS));
  const rows = regions(encoded).map(([what, bytes]) => `  [${JSON.stringify(what)}, '${bytes}'],`);
  const source = `/**
 * GENERATED by scripts/update-golden-columnar.ts — do not edit by hand. Regenerate only on purpose:
 *   UPDATE_GOLDEN=1 node --import tsx scripts/update-golden-columnar.ts
 *
 * A small columnar batch and its exact encoding (src/batch/columnar-layout.ts), ${encoded.byteLength} bytes, as hex region by
 * region; spaces separate fields and mean nothing. A TS module rather than JSON so values can be NaN, -0, -Infinity.
 */
import type { ColumnarSchema } from '../../src/batch/columnar-batch.ts';

export const COLUMNAR_GOLDEN_SCHEMA: ColumnarSchema = ${literal(SCHEMA)};

export const COLUMNAR_GOLDEN_ROWS: readonly Record<string, unknown>[] = ${literal(ROWS)};

export const COLUMNAR_GOLDEN_TIMESTAMPS: readonly number[] = ${literal(TIMESTAMPS)};

export const COLUMNAR_GOLDEN_REGIONS: readonly (readonly [what: string, hex: string])[] = [
${rows.join('\n')}
];
`;
  const options = await prettier.resolveConfig(GOLDEN);
  const text = await prettier.format(source, { ...options, filepath: GOLDEN.pathname });

  const fs = process.getBuiltinModule('node:fs');
  const current = fs.existsSync(GOLDEN) ? fs.readFileSync(GOLDEN, 'utf8') : '';
  if (current === text) {
    console.log(`${GOLDEN.pathname}: up to date (${encoded.byteLength} bytes)`);
  } else if (process.env['UPDATE_GOLDEN'] === '1') {
    fs.writeFileSync(GOLDEN, text);
    console.log(`${GOLDEN.pathname}: rewritten (${encoded.byteLength} bytes)`);
  } else {
    console.error(`${GOLDEN.pathname}: differs from what encodeColumnar gives; set UPDATE_GOLDEN=1 to rewrite it`);
    process.exitCode = 1;
  }
}

await main();
