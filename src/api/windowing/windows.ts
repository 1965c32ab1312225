/**
 * Window types (Flink TimeWindow / GlobalWindow, SEMANTICS.md §1.1, §1.5). A TimeWindow is [start, end): start
 * inclusive, end exclusive, `maxTimestamp() = end - 1`. Windows that merely touch intersect.
 */
import { MAX_WATERMARK } from '../../runtime/time.ts';

export interface Window {
  maxTimestamp(): number;
  /** A stable identity for maps and timers. */
  readonly id: string;
}

export class TimeWindow implements Window {
  readonly id: string;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    this.id = `${start}:${end}`;
  }

  maxTimestamp(): number {
    return this.end - 1;
  }

  /** Inclusive on both sides: [0,5) and [5,10) intersect (TimeWindow#intersects). */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }

  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }

  equals(other: unknown): boolean {
    return other instanceof TimeWindow && other.start === this.start && other.end === this.end;
  }

  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }

  toJSON(): { start: number; end: number } {
    return { start: this.start, end: this.end };
  }
}

/** The single window of GlobalWindows; its max timestamp is the end of event time. */
export class GlobalWindow implements Window {
  static readonly INSTANCE = new GlobalWindow();
  readonly id = 'global';
  private constructor() {}
  maxTimestamp(): number {
    return MAX_WATERMARK;
  }
  toString(): string {
    return 'GlobalWindow';
  }
}

/**
 * The largest start `s <= timestamp` with `s ≡ offset (mod size)`, correct for negative timestamps
 * (TimeWindow#getWindowStartWithOffset; JavaScript's % keeps the dividend's sign like Java's).
 */
export function getWindowStartWithOffset(timestamp: number, offset: number, windowSize: number): number {
  const remainder = (timestamp - offset) % windowSize;
  return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
}

/**
 * Merges overlapping windows (TimeWindow#mergeWindows): sort by start, sweep, extend the current group while it
 * intersects the next window; every group of two or more windows is reported with its cover.
 */
export function mergeTimeWindows(
  windows: readonly TimeWindow[],
  merge: (toBeMerged: TimeWindow[], mergeResult: TimeWindow) => void,
): void {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  let group: TimeWindow[] = [];
  let cover: TimeWindow | undefined;
  const flush = () => {
    if (cover && group.length > 1) merge(group, cover);
  };
  for (const window of sorted) {
    if (cover && cover.intersects(window)) {
      group.push(window);
      cover = cover.cover(window);
    } else {
      flush();
      group = [window];
      cover = window;
    }
  }
  flush();
}
