/**
 * Reads one subtask's metrics (SEMANTICS.md §8) at this instant. Cheap enough to call while the job runs: a few
 * getters and one pass over the subtask's channels and writers.
 */
import type { Subtask } from '../subtask.ts';
import { backPressureStatus, type SubtaskMetrics } from './job-metrics.ts';

/** `processingTime` is the job's clock (what the watermark lag is measured against). */
export function subtaskMetrics(subtask: Subtask, processingTime: number): SubtaskMetrics {
  const { recordsIn, recordsOut } = subtask;
  const rates = subtask.meter.rates(performance.now(), recordsIn, recordsOut);
  const watermark = subtask.inputWatermark;
  return {
    vertexId: subtask.info.vertexId,
    vertexName: subtask.info.vertexName,
    subtaskIndex: subtask.info.index,
    parallelism: subtask.info.parallelism,
    recordsIn,
    recordsOut,
    ...rates,
    backPressureStatus: backPressureStatus(rates.backPressuredTimeMsPerSecond),
    currentInputWatermark: watermark,
    watermarkLagMs: Number.isFinite(watermark) ? processingTime - watermark : null,
    queuedRecords: subtask.queuedRecords,
    queuedBatches: subtask.queuedBatches,
    finished: subtask.finished,
  };
}
