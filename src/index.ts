/** Rivulet's public API. Names follow Apache Flink's DataStream API (DESIGN.md §1). */
export { StreamEnvironment, type EnvironmentOptions } from './api/stream-environment.ts';
export { DataStream } from './api/data-stream.ts';
export { KeyedStream } from './api/keyed-stream.ts';
export { DataStreamSink } from './api/data-stream-sink.ts';
export { TestStream } from './api/test-stream.ts';
export { OutputTag } from './api/output-tag.ts';
export { JobClient } from './api/job-client.ts';
export type { Sink, SinkWriter, SinkContext, SinkWriteContext, SinkLike } from './api/sink.ts';
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
export type { FieldExpression } from './api/field-access.ts';
export type { Collector, ProcessContext, TimerService } from './runtime/operators/process-context.ts';
export type { KeyedContext } from './runtime/operators/keyed-context.ts';
export type { JobExecutionResult, JobStatus } from './runtime/inline-job.ts';
export { OperatorError, JobCancelledError } from './runtime/errors.ts';
export { MIN_WATERMARK, MAX_WATERMARK, NO_TIMESTAMP, ManualClock, type Clock } from './runtime/time.ts';
export type { Platform } from './platform/platform.ts';
