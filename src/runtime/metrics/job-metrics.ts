/**
 * The metrics `job.metrics()` returns (SEMANTICS.md §8), per subtask and per job. Plain data: they cross the
 * control plane from workers unchanged (structured clone keeps ±Infinity watermarks).
 */

/** Flink's back-pressure status from the back-pressured share of time: OK ≤ 10%, LOW ≤ 50%, HIGH > 50%. */
export type BackPressureStatus = 'OK' | 'LOW' | 'HIGH';

export interface SubtaskMetrics {
  readonly vertexId: number;
  /** The chain's operator names joined with ' -> ', as Flink names a task. */
  readonly vertexName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** Records read from input channels; for a source subtask, records its reader produced. */
  readonly recordsIn: number;
  /** Records written to outgoing network edges (a record sent on two edges counts twice; chained sinks write none). */
  readonly recordsOut: number;
  /** recordsIn / recordsOut per second over the window of time-meter.ts (last 5–6 s, or since start). */
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
  /** The three add up to ~1000 over the same window (time-meter.ts states how each step is charged). */
  readonly busyTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  readonly backPressureStatus: BackPressureStatus;
  /** Combined watermark of the inputs (a source: the last one its reader emitted); -Infinity before any. */
  readonly currentInputWatermark: number;
  /** Processing time (the job's clock) minus currentInputWatermark; null while the watermark is not finite. */
  readonly watermarkLagMs: number | null;
  /** Records and data batches queued on this subtask's input channels right now. */
  readonly queuedRecords: number;
  readonly queuedBatches: number;
  readonly finished: boolean;
}

/** One vertex as Flink's web UI shows it: sums of counts and rates, the maximum of each time over its subtasks. */
export interface VertexMetrics {
  readonly vertexId: number;
  readonly vertexName: string;
  readonly parallelism: number;
  readonly recordsIn: number;
  readonly recordsOut: number;
  readonly recordsInPerSecond: number;
  readonly recordsOutPerSecond: number;
  readonly busyTimeMsPerSecond: number;
  readonly idleTimeMsPerSecond: number;
  readonly backPressuredTimeMsPerSecond: number;
  /** Status of the most back-pressured subtask. */
  readonly backPressureStatus: BackPressureStatus;
  /** Minimum over subtasks (the vertex's low watermark). */
  readonly currentInputWatermark: number;
  readonly queuedRecords: number;
  readonly queuedBatches: number;
}

export interface JobMetrics {
  /** Subtasks by vertex, then subtask index; every subtask of the job, in whichever worker it runs. */
  readonly subtasks: readonly SubtaskMetrics[];
  readonly vertices: readonly VertexMetrics[];
  readonly totals: {
    readonly recordsIn: number;
    readonly recordsOut: number;
    readonly queuedRecords: number;
    readonly queuedBatches: number;
  };
}

export function backPressureStatus(backPressuredTimeMsPerSecond: number): BackPressureStatus {
  if (backPressuredTimeMsPerSecond <= 100) return 'OK';
  return backPressuredTimeMsPerSecond <= 500 ? 'LOW' : 'HIGH';
}

/** Orders subtask metrics (gathered in any order, e.g. from several workers) and adds the per-vertex view. */
export function jobMetrics(gathered: readonly SubtaskMetrics[]): JobMetrics {
  const subtasks = [...gathered].sort((a, b) => a.vertexId - b.vertexId || a.subtaskIndex - b.subtaskIndex);
  const byVertex = new Map<number, SubtaskMetrics[]>();
  for (const s of subtasks) {
    const list = byVertex.get(s.vertexId);
    if (list) list.push(s);
    else byVertex.set(s.vertexId, [s]);
  }
  const vertices = [...byVertex.values()].map(vertexMetrics);
  const sum = (pick: (s: SubtaskMetrics) => number): number => subtasks.reduce((acc, s) => acc + pick(s), 0);
  return {
    subtasks,
    vertices,
    totals: {
      recordsIn: sum((s) => s.recordsIn),
      recordsOut: sum((s) => s.recordsOut),
      queuedRecords: sum((s) => s.queuedRecords),
      queuedBatches: sum((s) => s.queuedBatches),
    },
  };
}

function vertexMetrics(subtasks: readonly SubtaskMetrics[]): VertexMetrics {
  const first = subtasks[0] as SubtaskMetrics;
  const sum = (pick: (s: SubtaskMetrics) => number): number => subtasks.reduce((acc, s) => acc + pick(s), 0);
  const max = (pick: (s: SubtaskMetrics) => number): number => subtasks.reduce((acc, s) => Math.max(acc, pick(s)), 0);
  const backPressured = max((s) => s.backPressuredTimeMsPerSecond);
  return {
    vertexId: first.vertexId,
    vertexName: first.vertexName,
    parallelism: first.parallelism,
    recordsIn: sum((s) => s.recordsIn),
    recordsOut: sum((s) => s.recordsOut),
    recordsInPerSecond: sum((s) => s.recordsInPerSecond),
    recordsOutPerSecond: sum((s) => s.recordsOutPerSecond),
    busyTimeMsPerSecond: max((s) => s.busyTimeMsPerSecond),
    idleTimeMsPerSecond: max((s) => s.idleTimeMsPerSecond),
    backPressuredTimeMsPerSecond: backPressured,
    backPressureStatus: backPressureStatus(backPressured),
    currentInputWatermark: subtasks.reduce((acc, s) => Math.min(acc, s.currentInputWatermark), Infinity),
    queuedRecords: sum((s) => s.queuedRecords),
    queuedBatches: sum((s) => s.queuedBatches),
  };
}
