/**
 * Reads text files line by line (Flink's `readTextFile`, FileSource with a text-line format): each file is a
 * split, dealt round-robin to the source's subtasks; a split's position is the number of lines already emitted,
 * so the source is replayable (SEMANTICS.md §6) and a restored reader continues with the next line. Lines end at
 * `\n` (a preceding `\r` is dropped); a last line without a terminator is still a line. Records carry no timestamp.
 *
 * A file is read whole, asynchronously, through the platform (a path or file: URL in Node and Deno, http(s) in a
 * browser), when its split becomes current: `poll` answers `pending` meanwhile and never blocks.
 */
import { RecordBatch } from '../../batch/record-batch.ts';
import { currentPlatform } from '../../platform/index.ts';
import { NO_TIMESTAMP } from '../time.ts';
import type { SourcePoll, SourceReader } from './source-reader.ts';

/** A file and the number of its lines already emitted. */
export interface TextFileSplit {
  readonly path: string;
  readonly line: number;
}

/** The splits subtask `index` of `parallelism` reads: file i goes to subtask i % parallelism, or what was restored. */
export function textFileSplits(
  paths: readonly string[],
  index: number,
  parallelism: number,
  restored?: readonly unknown[],
): TextFileSplit[] {
  if (restored !== undefined) {
    return restored.map((split) => {
      const { path, line } = split as TextFileSplit;
      if (typeof path !== 'string' || !Number.isSafeInteger(line))
        throw new Error('cannot restore text file source: bad split');
      return { path, line };
    });
  }
  return paths.filter((_, i) => i % parallelism === index).map((path) => ({ path, line: 0 }));
}

export class TextFileReader implements SourceReader {
  private readonly splits: TextFileSplit[];
  /** The current split's lines once loaded. */
  private lines: string[] | undefined;
  private loading: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  constructor(splits: readonly TextFileSplit[]) {
    this.splits = [...splits];
  }

  poll(maxRecords: number): SourcePoll {
    if (this.failure) throw this.failure.error;
    const split = this.splits[0];
    if (split === undefined) return { kind: 'end' };
    const lines = this.lines;
    if (lines === undefined) {
      this.loading ??= this.load(split.path);
      return { kind: 'pending', ready: this.loading };
    }
    const end = Math.min(lines.length, split.line + maxRecords);
    const values = lines.slice(split.line, end);
    if (end === lines.length) {
      this.splits.shift();
      this.lines = undefined;
      this.loading = undefined;
    } else {
      this.splits[0] = { path: split.path, line: end };
    }
    if (values.length === 0) return this.poll(maxRecords); // an empty file
    return { kind: 'batch', batch: new RecordBatch(values, new Array<number>(values.length).fill(NO_TIMESTAMP)) };
  }

  snapshotState(): TextFileSplit[] {
    return this.splits.slice();
  }

  close(): void {}

  private async load(path: string): Promise<void> {
    try {
      const platform = await currentPlatform();
      const text = new TextDecoder('utf-8').decode(await platform.readBytes(path));
      const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
      if (lines.at(-1) === '') lines.pop(); // the terminator of the last line
      this.lines = lines;
    } catch (error) {
      this.failure = { error: new Error(`cannot read text file '${path}'`, { cause: error }) };
    }
  }
}
