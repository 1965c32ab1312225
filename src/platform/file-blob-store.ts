/**
 * A BlobStore over a directory, shared by Node and Deno (each supplies FileOps). Layout under the root:
 *
 * ```
 * <root>/chk-7/window%2Eagg/kg-12.blob          path 'chk-7/window.agg/kg-12'
 * <root>/chk-7/window%2Eagg/kg-12.tmp-<uuid>    a write in flight (or left by a crash; never listed or read)
 * ```
 *
 * Every path segment but the last is a directory; the last is a file with suffix `.blob`. Segments are escaped as
 * `%XX` (UTF-8 bytes) for `%`, `.`, control characters and `\ : * ? " < > |`, so the only raw `.` in a name is
 * the one before `blob`/`tmp-`: a file and a directory never collide, and nothing is hidden. Other Unicode is kept.
 * Limits: segments that differ only in case collide on case-insensitive file systems; an escaped segment must fit
 * the file system's name limit (usually 255 bytes). Deleting a blob leaves its (possibly empty) directories.
 *
 * A write is atomic per blob: write `<name>.tmp-<uuid>`, fsync it, rename over `<name>.blob`, fsync the directory.
 */
import type { BlobStore, BlobStoreHooks } from '../state/backends/state-backend.ts';

/** The file-system operations the store needs; paths use `/`. */
export interface FileOps {
  mkdirp(dir: string): Promise<void>;
  /** Creates `path` (which must not exist), writes all of `bytes`, fsyncs and closes it. */
  writeNewFileSynced(path: string, bytes: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Makes renames in `dir` durable (fsync of the directory); a no-op where the host cannot. */
  syncDir(dir: string): Promise<void>;
  /** The file's bytes, or undefined if it does not exist. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** Entries of `dir`, or [] if it does not exist. */
  readDir(dir: string): Promise<{ name: string; isDirectory: boolean }[]>;
  /** Removes a file; a missing file is not an error. */
  removeFile(path: string): Promise<void>;
  /** Removes a directory tree; a missing one is not an error. */
  removeTree(path: string): Promise<void>;
  /** Creates a new, empty directory in the OS temp directory. */
  makeTempDir(prefix: string): Promise<string>;
}

const BLOB_SUFFIX = '.blob';
const utf8 = new TextEncoder();
const ESCAPED = /[%.\\:*?"<>|]|\p{Cc}/gu;

export function encodeSegment(segment: string): string {
  return segment.replace(ESCAPED, (ch) =>
    Array.from(utf8.encode(ch), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
}

export function decodeSegment(name: string): string {
  return decodeURIComponent(name);
}

export async function fileBlobStore(fs: FileOps, root: string, hooks: BlobStoreHooks = {}): Promise<BlobStore> {
  await fs.mkdirp(root);
  const locate = (path: string) => {
    const segments = path.split('/').map(encodeSegment);
    const name = segments.pop()!;
    const dir = [root, ...segments].join('/');
    return { dir, file: `${dir}/${name}${BLOB_SUFFIX}`, temp: `${dir}/${name}.tmp-${crypto.randomUUID()}` };
  };
  const writeOne = async (path: string, bytes: Uint8Array): Promise<void> => {
    const { dir, file, temp } = locate(path);
    await fs.mkdirp(dir);
    try {
      await fs.writeNewFileSynced(temp, bytes);
      hooks.beforeCommit?.([path]);
      await fs.rename(temp, file);
    } catch (err) {
      await fs.removeFile(temp).catch(() => {});
      throw err;
    }
    await fs.syncDir(dir);
  };
  const walk = async (dir: string, prefix: string, out: string[]): Promise<void> => {
    for (const entry of await fs.readDir(dir)) {
      if (entry.isDirectory) {
        await walk(`${dir}/${entry.name}`, `${prefix}${decodeSegment(entry.name)}/`, out);
      } else if (entry.name.endsWith(BLOB_SUFFIX)) {
        out.push(prefix + decodeSegment(entry.name.slice(0, -BLOB_SUFFIX.length)));
      }
    }
  };
  return {
    kind: 'files',
    async write(entries) {
      // allSettled: when this settles, no write of the batch is still in flight.
      const outcomes = await Promise.allSettled(entries.map(([path, bytes]) => writeOne(path, bytes)));
      const failed = outcomes.find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
    },
    read: (path) => fs.readFile(locate(path).file),
    async list(prefix) {
      // Only descend into the directory that the prefix's complete segments name.
      const whole = prefix.split('/').slice(0, -1);
      const start = [root, ...whole.map(encodeSegment)].join('/');
      const found: string[] = [];
      await walk(start, whole.map((s) => s + '/').join(''), found);
      return found.filter((p) => p.startsWith(prefix)).sort();
    },
    delete: (path) => fs.removeFile(locate(path).file),
    async close() {},
  };
}
