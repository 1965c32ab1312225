/**
 * The sink behind executeAndCollect() and collectAsync(). Without checkpointing it pushes each record into the
 * buffer as it arrives (in workers mode into the worker's buffer, sent to the host at the end). With checkpointing
 * it is a two-phase-commit sink (api/sink.ts): records written since the last barrier are the committable, and the
 * committer — on the host — hands them to the caller once the checkpoint completes, so a job that fails and
 * restarts from a checkpoint delivers every record exactly once.
 */
import type { Committer, CommittingSinkWriter, Sink } from '../../api/sink.ts';
import type { CollectBuffer } from './collect-buffer.ts';

export interface CollectSink<T> extends Sink<T> {
  createCommitter(): Committer<unknown>;
}

export function collectSink<T>(buffer: CollectBuffer<T>): CollectSink<T> {
  return {
    createWriter({ checkpointing }): CommittingSinkWriter<T, T[]> {
      if (!checkpointing) return { write: (value) => buffer.push(value), prepareCommit: () => [] };
      let pending: T[] = [];
      return {
        write: (value) => void pending.push(value),
        prepareCommit: () => {
          if (pending.length === 0) return [];
          const records = pending;
          pending = [];
          return [records];
        },
      };
    },
    createCommitter: () => ({
      // Records of an earlier run went to that run's caller; a restored job delivers only what it produces.
      recommitOnRestore: false,
      commit(committables) {
        for (const records of committables as T[][]) for (const value of records) buffer.push(value);
      },
    }),
  };
}
