/**
 * The sink contract (after Flink's Sink V2 `SinkWriter`): one writer per parallel subtask, `write` per record,
 * `flush(true)` once at end of input, `close` last. Writers are synchronous; returning a Promise from `write` is
 * refused (asynchronous and transactional sinks come with the connector work).
 */
export interface SinkContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
}

export interface SinkWriteContext {
  /** Event timestamp of the record, or null when it has none. */
  readonly timestamp: number | null;
  readonly currentWatermark: number;
}

export interface SinkWriter<T> {
  write(value: T, context: SinkWriteContext): void;
  flush?(endOfInput: boolean): void;
  close?(): void;
}

export interface Sink<T> {
  createWriter(context: SinkContext): SinkWriter<T>;
}

/** `sinkTo` also takes a plain function, shorthand for a stateless writer. */
export type SinkLike<T> = Sink<T> | ((value: T, context: SinkWriteContext) => void);
