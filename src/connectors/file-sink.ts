/**
 * An exactly-once row-format file sink (Flink's `FileSink.forRowFormat`): one line per record, written as part
 * files into the host's durable storage — a directory in Node and Deno, an IndexedDB database in browsers (the
 * BlobStore of `platform.durableState`).
 *
 * Two-phase commit (api/sink.ts, SEMANTICS.md §6): each writer buffers encoded lines; `prepareCommit()` — at every
 * checkpoint barrier and at end of input — closes the buffered lines into part committables `{ name, bytes }`, and
 * the committer, on the host, writes them once the checkpoint holding them completes. So a part becomes visible
 * only then, and only whole (a file is written to a temporary name, fsynced and renamed into place; an IndexedDB
 * batch is one transaction). Names are unique per writer and part (`part-<subtask>-<writer id>-<n>`); after a
 * restore, what was not committed is replayed by the sources into new writers (new ids), and a committable
 * committed again writes the same name with the same bytes: commits are idempotent.
 *
 * Without checkpointing the parts are committed once, at the end of the job. Keep the output location apart from
 * the checkpoint storage. Layout:
 *
 * ```
 * <location>/part-0000-1f3a9c0b2d4e-000000      lines of subtask 0, writer 1f3a…, part 0, each ending in '\n'
 * ```
 *
 * @example
 * env.enableCheckpointing(1000);
 * stream.sinkTo(FileSink.forRows('./out', { encode: (e) => `${e.user},${e.count}` }));
 * await env.execute();
 * const lines = await readFileSinkOutput('./out');
 */
import type { Committer, CommittingSinkWriter, Sink, SinkContext } from '../api/sink.ts';
import { currentPlatform } from '../platform/index.ts';
import type { BlobEntry, BlobStore } from '../state/backends/state-backend.ts';

/** One finished part file, ready to be made visible. */
export interface FilePart {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface RowFormatOptions<T> {
  /** The line for a record, without line breaks. Default: strings as they are, anything else as JSON. */
  readonly encode?: (value: T) => string;
  /**
   * A writer starts a new part once the current one holds this many UTF-16 code units (default 64 Mi), so a job
   * without checkpoints does not build one huge string. Flink's rolling policy by part size.
   */
  readonly maxPartChars?: number;
}

const PART_PREFIX = 'part-';
const utf8 = new TextEncoder();

function defaultEncode(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export class FileSink<T> implements Sink<T> {
  private constructor(
    readonly location: string,
    private readonly encode: (value: T) => string,
    private readonly maxPartChars: number,
  ) {}

  /** A sink writing one line per record, `encode(record)`, into part files at `location`. */
  static forRows<T>(location: string, options: RowFormatOptions<T> = {}): FileSink<T> {
    if (typeof location !== 'string' || location === '')
      throw new TypeError('FileSink.forRows: location must be a non-empty string');
    const { encode = defaultEncode, maxPartChars = 64 * 1024 * 1024 } = options;
    if (typeof encode !== 'function') throw new TypeError('FileSink.forRows: encode must be a function');
    if (!Number.isSafeInteger(maxPartChars) || maxPartChars < 1)
      throw new RangeError(`FileSink.forRows: maxPartChars must be a positive integer, got ${maxPartChars}`);
    return new FileSink(location, encode, maxPartChars);
  }

  createWriter({ subtaskIndex }: SinkContext): CommittingSinkWriter<T, FilePart> {
    return new RowPartWriter(subtaskIndex, this.encode, this.maxPartChars);
  }

  createCommitter(): Committer<FilePart> {
    const location = this.location;
    return {
      // One store per commit: an open IndexedDB connection would block deleting the database later.
      async commit(parts) {
        if (parts.length === 0) return;
        await withStore(location, (store) => store.write(parts.map((p): BlobEntry => [p.name, p.bytes])));
      },
    };
  }
}

/** Buffers lines; closes them into parts when asked (prepareCommit) or when a part is full. */
class RowPartWriter<T> implements CommittingSinkWriter<T, FilePart> {
  private readonly prefix: string;
  private lines: string[] = [];
  private chars = 0;
  private finished: FilePart[] = [];
  private partCount = 0;

  constructor(
    subtaskIndex: number,
    private readonly encode: (value: T) => string,
    private readonly maxPartChars: number,
  ) {
    const writerId = crypto.randomUUID().replace(/-/g, '').slice(0, 12);
    this.prefix = `${PART_PREFIX}${String(subtaskIndex).padStart(4, '0')}-${writerId}-`;
  }

  write(value: T): void {
    const line = this.encode(value);
    if (typeof line !== 'string') throw new TypeError(`FileSink: encode returned ${typeof line}, not a string`);
    if (line.includes('\n') || line.includes('\r'))
      throw new TypeError('FileSink: an encoded record contains a line break');
    this.lines.push(line);
    this.chars += line.length + 1;
    if (this.chars >= this.maxPartChars) this.closePart();
  }

  prepareCommit(): FilePart[] {
    this.closePart();
    const parts = this.finished;
    this.finished = [];
    return parts;
  }

  private closePart(): void {
    if (this.lines.length === 0) return;
    const name = this.prefix + String(this.partCount++).padStart(6, '0');
    this.finished.push({ name, bytes: utf8.encode(this.lines.join('\n') + '\n') });
    this.lines = [];
    this.chars = 0;
  }
}

/** Every committed line at `location`, part by part in order of part name (lines in write order within a part). */
export async function readFileSinkOutput(location: string): Promise<string[]> {
  return withStore(location, async (store) => {
    const decoder = new TextDecoder();
    const lines: string[] = [];
    for (const name of await store.list(PART_PREFIX)) {
      const bytes = await store.read(name);
      if (bytes === undefined || bytes.length === 0) continue;
      const text = decoder.decode(bytes);
      for (const line of text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n')) lines.push(line);
    }
    return lines;
  });
}

async function withStore<R>(location: string, use: (store: BlobStore) => Promise<R>): Promise<R> {
  const store = await (await currentPlatform()).durableState.openStore(location);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
