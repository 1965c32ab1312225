/** The job of checkpoint-reload.html, shared with its driver (test/browser/checkpoint-reload.test.ts). */
export const RELOAD_JOB = { count: 200_000, keys: 7, spinMsPer64: 0.6 };

export interface ReloadProgress {
  status: 'running' | 'done' | 'failed';
  /** Records through the map in this load. */
  mapped: number;
  /** Id of the newest completed checkpoint of this load (0: none yet). */
  checkpoints: number;
  /** Lines committed at the end of the job. */
  committedLines: number;
  restoredFrom?: string;
  error?: string;
}

/** The job's output without failures: the running sum per key after each record (source order is index order). */
export function expectedLines(): string[] {
  const sums = new Array<number>(RELOAD_JOB.keys).fill(0);
  const lines: string[] = [];
  for (let i = 0; i < RELOAD_JOB.count; i++) {
    const k = i % RELOAD_JOB.keys;
    lines.push(`${k}:${(sums[k]! += i)}`);
  }
  return lines;
}
