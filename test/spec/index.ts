/** Every runtime-agnostic suite, in the order they run. Each runtime driver imports this list. */
import backpressure from './backpressure.spec.ts';
import basicOperators from './basic-operators.spec.ts';
import batchRecycling from './batch-recycling.spec.ts';
import checkpointOperators from './checkpoint-operators.spec.ts';
import checkpointWorkers from './checkpoint-workers.spec.ts';
import channelSplit from './channel-split.spec.ts';
import checkpointing from './checkpointing.spec.ts';
import columnarBatch from './columnar-batch.spec.ts';
import endOfInput from './end-of-input.spec.ts';
import generators from './generators.spec.ts';
import errors from './errors.spec.ts';
import fileSink from './file-sink.spec.ts';
import type { Suite } from './harness.ts';
import kernelTimestamps from './kernel-timestamps.spec.ts';
import keyGroups from './key-groups.spec.ts';
import keyHash from './key-hash.spec.ts';
import keyedState from './keyed-state.spec.ts';
import keyedStateBackend from './keyed-state-backend.spec.ts';
import keyedTimers from './keyed-timers.spec.ts';
import metrics from './metrics.spec.ts';
import parallelWorkers from './parallel-workers.spec.ts';
import partitioning from './partitioning.spec.ts';
import processAndSideOutputs from './process-and-side-outputs.spec.ts';
import recordEncoding from './record-encoding.spec.ts';
import rollingAggregations from './rolling-aggregations.spec.ts';
import stateBackends from './state-backends.spec.ts';
import stateTtl from './state-ttl.spec.ts';
import textFileSource from './text-file-source.spec.ts';
import watermarkStrategies from './watermark-strategies.spec.ts';
import watermarkValve from './watermark-valve.spec.ts';
import windowAssigners from './window-assigners.spec.ts';
import windowKernel from './window-kernel.spec.ts';
import windowsEventTime from './windows-event-time.spec.ts';
import windowsSessionsCount from './windows-sessions-count.spec.ts';
import windowsProcessingTime from './windows-processing-time.spec.ts';
import windowsFunctions from './windows-functions.spec.ts';
import windowsAll from './windows-all.spec.ts';
import windowKernelPath from './window-kernel-path.spec.ts';
import kernelColumnarResults from './kernel-columnar-results.spec.ts';
import workers from './workers.spec.ts';

export const suites: readonly Suite[] = [
  keyGroups,
  keyHash,
  channelSplit,
  batchRecycling,
  kernelTimestamps,
  windowKernel,
  columnarBatch,
  recordEncoding,
  basicOperators,
  rollingAggregations,
  processAndSideOutputs,
  keyedState,
  keyedStateBackend,
  stateTtl,
  stateBackends,
  keyedTimers,
  partitioning,
  watermarkValve,
  watermarkStrategies,
  windowAssigners,
  windowsEventTime,
  windowsSessionsCount,
  windowsProcessingTime,
  windowsFunctions,
  windowsAll,
  windowKernelPath,
  kernelColumnarResults,
  generators,
  textFileSource,
  endOfInput,
  errors,
  workers,
  parallelWorkers,
  metrics,
  backpressure,
  checkpointOperators,
  checkpointWorkers,
  checkpointing,
  fileSink,
];
