/** Rivulet's public API. Names follow Apache Flink's DataStream API (DESIGN.md §1). */
export { StreamEnvironment, type EnvironmentOptions } from './api/stream-environment.ts';
export { DataStream } from './api/data-stream.ts';
export { KeyedStream } from './api/keyed-stream.ts';
export { DataStreamSink } from './api/data-stream-sink.ts';
export { TestStream } from './api/test-stream.ts';
export { OutputTag } from './api/output-tag.ts';
export { JobClient } from './api/job-client.ts';
export type {
  Sink,
  SinkWriter,
  SinkContext,
  SinkWriteContext,
  SinkBatchContext,
  SinkLike,
  CommittingSinkWriter,
  Committer,
} from './api/sink.ts';
export {
  RestartStrategies,
  type RestartStrategy,
  type CheckpointingOptions,
  type CheckpointStorage,
} from './api/checkpointing.ts';
export type { CompletedCheckpoint } from './runtime/checkpoint/checkpoint-coordinator.ts';
export type { RestoreReport } from './runtime/checkpoint/job-recovery.ts';
export type { StopOptions } from './runtime/inline-job.ts';
export {
  memoryStateBackend,
  durableStateBackend,
  CorruptBlobError,
  type StateBackend,
} from './state/backends/index.ts';
export type {
  MapFunction,
  FilterFunction,
  FlatMapFunction,
  ReduceFunction,
  KeySelector,
  ProcessFunction,
  KeyedProcessFunction,
  RuntimeContext,
} from './api/functions.ts';
export type { ColumnarBatch, Column, ColumnSpec, ColumnType } from './batch/columnar-batch.ts';
export type { FieldExpression } from './api/field-access.ts';
export type { Collector, ProcessContext, TimerService } from './runtime/operators/process-context.ts';
export type { KeyedContext } from './runtime/operators/keyed-context.ts';
export type { JobExecutionResult, JobStatus } from './runtime/inline-job.ts';
export type { JobTimestamps } from './runtime/job-timeline.ts';
export type { BackPressureStatus, JobMetrics, SubtaskMetrics, VertexMetrics } from './runtime/metrics/job-metrics.ts';
export { OperatorError, JobCancelledError } from './runtime/errors.ts';
export { MIN_WATERMARK, MAX_WATERMARK, NO_TIMESTAMP, ManualClock, type Clock } from './runtime/time.ts';
export type { Platform } from './platform/platform.ts';
export { WindowedStream, type WindowCount, type WindowAverage } from './api/windowed-stream.ts';
export {
  AllWindowedStream,
  type ProcessAllWindowFunction,
  type ProcessAllWindowFunctionFn,
} from './api/all-windowed-stream.ts';
export { TimeWindow, GlobalWindow, type Window } from './api/windowing/windows.ts';
export { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from './api/windowing/tumbling-windows.ts';
export { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from './api/windowing/sliding-windows.ts';
export { EventTimeSessionWindows, ProcessingTimeSessionWindows } from './api/windowing/session-windows.ts';
export { GlobalWindows } from './api/windowing/global-windows.ts';
export type { WindowAssigner, AssignerContext } from './api/windowing/window-assigner.ts';
export {
  TriggerResult,
  type Trigger,
  type TriggerContext,
  type OnMergeContext,
  type TriggerState,
} from './api/windowing/trigger.ts';
export { EventTimeTrigger } from './api/windowing/triggers/event-time-trigger.ts';
export { ProcessingTimeTrigger } from './api/windowing/triggers/processing-time-trigger.ts';
export { CountTrigger } from './api/windowing/triggers/count-trigger.ts';
export { PurgingTrigger } from './api/windowing/triggers/purging-trigger.ts';
export { CountEvictor, type Evictor, type TimestampedValue } from './api/windowing/evictor.ts';
export type {
  AggregateFunction,
  ProcessWindowFunction,
  ProcessWindowContext,
} from './api/windowing/window-functions.ts';
export { WatermarkStrategy } from './api/watermark-strategy.ts';
export type {
  WatermarkGenerator,
  WatermarkOutput,
  WatermarkGeneratorContext,
  WatermarkGeneratorSupplier,
  TimestampAssigner,
} from './api/watermarks/watermark-generator.ts';
export {
  BoundedOutOfOrdernessWatermarks,
  AscendingTimestampsWatermarks,
} from './api/watermarks/bounded-out-of-orderness.ts';
export { NoWatermarksGenerator } from './api/watermarks/no-watermarks.ts';
export { WatermarksWithIdleness } from './api/watermarks/watermarks-with-idleness.ts';
export type { KeyedRuntimeContext } from './api/functions.ts';
export { TimeDomain, type OnTimerContext } from './runtime/operators/keyed-context.ts';
export {
  StateTtlConfig,
  type StateTtlConfigBuilder,
  type TtlUpdateType,
  type TtlStateVisibility,
} from './state/state-ttl.ts';
export type { StateDescriptor, KeyedStateStore } from './state/keyed-state-store.ts';
export type { State } from './state/keyed-state.ts';
export type { ValueState } from './state/value-state.ts';
export type { ListState } from './state/list-state.ts';
export type { MapState } from './state/map-state.ts';
export type { ReducingState } from './state/reducing-state.ts';
export type { AggregatingState } from './state/aggregating-state.ts';
export { defineJob, JobDefinition, type JobBuilder, type JobRunOptions, type JobHandle } from './api/define-job.ts';
export { WorkerPool, type WorkerPoolOptions } from './runtime/worker/worker-pool.ts';
export { FileSink, readFileSinkOutput, type FilePart, type RowFormatOptions } from './connectors/file-sink.ts';
export { upsertSink, type IdempotentSink } from './connectors/upsert-sink.ts';
