/**
 * `DataStream.print()`: one line per record, prefixed with `<subtask>> ` when the sink runs in parallel (Flink's
 * PrintSinkOutputWriter; with an identifier, `<identifier>:<subtask>> `). Objects print as JSON, not
 * "[object Object]".
 */
import type { Sink, SinkWriter } from '../../api/sink.ts';

export function printSink<T>(writeLine: () => (line: string) => void, identifier?: string): Sink<T> {
  return {
    createWriter({ subtaskIndex, parallelism }): SinkWriter<T> {
      const subtask = parallelism > 1 ? String(subtaskIndex + 1) : '';
      const prefix = identifier ? `${identifier}${subtask ? ':' + subtask : ''}> ` : subtask ? `${subtask}> ` : '';
      const write = writeLine();
      return { write: (value) => write(prefix + formatValue(value)) };
    },
  };
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return String(value);
  }
}
