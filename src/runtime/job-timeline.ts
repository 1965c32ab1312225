/**
 * When a job reached each stage (Flink REST's per-status `timestamps`), in epoch milliseconds with sub-millisecond
 * precision (`performance.timeOrigin + performance.now()`). `tasksRunning - running` is deployment (worker start-up
 * included), `ended - tasksRunning` is processing. After a restart, `tasksRunning` is the latest attempt's.
 */
export interface JobTimestamps {
  /** The job was created (status CREATED). */
  readonly created: number;
  /** The job became RUNNING: deployment began (as in Flink, RUNNING covers deploying tasks). */
  readonly running?: number;
  /**
   * Every subtask was deployed and opened and the sources were about to start (Flink: the last task switched to
   * RUNNING).
   */
  readonly tasksRunning?: number;
  /** The job reached FINISHED, FAILED or CANCELED. */
  readonly ended?: number;
}

/** The wall clock of JobTimestamps: epoch milliseconds, with performance.now()'s precision. */
function timestampNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Records a job's JobTimestamps as its status changes. */
export class JobTimeline {
  private current: { -readonly [K in keyof JobTimestamps]: JobTimestamps[K] } = { created: timestampNow() };

  get timestamps(): JobTimestamps {
    return { ...this.current };
  }

  mark(stage: Exclude<keyof JobTimestamps, 'created'>): void {
    this.current[stage] = timestampNow();
  }
}
