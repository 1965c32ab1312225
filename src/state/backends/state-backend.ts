/**
 * The byte-blob interface every checkpoint state backend implements (DESIGN.md §2), and the raw store beneath it.
 *
 * Paths are `/`-separated, e.g. `chk-7/window-agg/kg-12`: non-empty segments, none `.` or `..`, no NUL, well-formed
 * UTF-16 (any Unicode is allowed). A checkpoint is committed by writing its manifest last: `put` is atomic per blob
 * (readers see the old bytes or the new ones, never a mix), so a manifest that verifies names blobs that were
 * complete before it was written.
 */

export interface StateBackend {
  /** Which storage holds the bytes; tests use it to show what they ran against. */
  readonly kind: BlobStoreKind;
  /** Stores `bytes` at `path`, replacing what was there. Atomic per blob. */
  put(path: string, bytes: Uint8Array): Promise<void>;
  /**
   * Stores a batch. Each blob is atomic; the batch as a whole is atomic in memory and IndexedDB (one transaction)
   * but not on a file system (one rename per blob). Entries are serialized before any storage call starts.
   */
  putAll(entries: readonly BlobEntry[]): Promise<void>;
  /** The bytes stored at `path`, or undefined if none. Throws CorruptBlobError if they fail verification. */
  get(path: string): Promise<Uint8Array | undefined>;
  /** Every stored path starting with `prefix` (plain string prefix), sorted by UTF-16 code units. */
  list(prefix: string): Promise<string[]>;
  /** Removes the blob at `path`; deleting a missing path is not an error. */
  delete(path: string): Promise<void>;
  /** Releases handles (the IndexedDB connection). The backend must not be used afterwards. */
  close(): Promise<void>;
}

export type BlobStoreKind = 'memory' | 'files' | 'indexeddb';

export type BlobEntry = readonly [path: string, bytes: Uint8Array];

/**
 * Raw storage of framed blobs (see blob-framing.ts), implemented per host. It neither frames nor verifies; the
 * StateBackend on top does. Paths reaching a store are already validated.
 */
export interface BlobStore {
  readonly kind: BlobStoreKind;
  /** Writes each entry atomically (see StateBackend.putAll for batch atomicity). */
  write(entries: readonly BlobEntry[]): Promise<void>;
  read(path: string): Promise<Uint8Array | undefined>;
  /** Paths starting with `prefix`, sorted by UTF-16 code units. */
  list(prefix: string): Promise<string[]>;
  delete(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Fault injection for the conformance suite: simulates a write interrupted after its bytes reached storage. */
export interface BlobStoreHooks {
  /**
   * Called synchronously once the bytes of `paths` are staged (temp file written and fsynced; IndexedDB puts issued
   * inside the open transaction) but before they become visible. Throwing aborts the commit of those paths.
   */
  beforeCommit?(paths: readonly string[]): void;
}

/**
 * The durable storage a host offers (files in Node and Deno, IndexedDB in browsers), reached through its Platform.
 * A location is a directory path for files and a database name for IndexedDB.
 */
export interface DurableStateHost {
  readonly kind: 'files' | 'indexeddb';
  /** Opens (creating if missing) the store at `location`. */
  openStore(location: string, hooks?: BlobStoreHooks): Promise<BlobStore>;
  /** Deletes everything at `location` (directory tree / database). Close its stores first. */
  destroy(location: string): Promise<void>;
  /** A new, empty location no one else uses: a fresh temp directory or a unique database name. */
  scratchLocation(): Promise<string>;
}

/** A stored blob failed verification (bad magic, version, length or checksum); recovery skips its checkpoint. */
export class CorruptBlobError extends Error {
  override name = 'CorruptBlobError';
  /** The blob path that failed verification. */
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`corrupt state blob '${path}': ${reason}`);
    this.path = path;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws a TypeError unless `path` follows the path rules at the top of this file. */
export function validateBlobPath(path: string): void {
  const bad = (why: string): never => {
    throw new TypeError(`invalid state blob path ${JSON.stringify(path)}: ${why}`);
  };
  if (path === '') bad('empty');
  if (path.includes('\0')) bad('contains NUL');
  if (LONE_SURROGATE.test(path)) bad('not well-formed UTF-16');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') bad(`segment '${segment}' is not allowed`);
  }
}
