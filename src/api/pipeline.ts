/**
 * The pipeline under construction in an environment: the logical graph plus the host-side objects a run needs
 * (collect buffers to end when the job ends). Once executed it is sealed: streams built on it can no longer grow.
 */
import { LogicalGraph } from '../graph/logical-graph.ts';
import type { CollectBuffer } from '../runtime/sinks/collect-buffer.ts';

export class Pipeline {
  readonly graph = new LogicalGraph();
  readonly collectBuffers: CollectBuffer<unknown>[] = [];
  /** Set by fromTestStream: the job then runs on a manual processing-time clock. */
  usesTestStream = false;
  /** Set by fromTestStream when the script advances processing time (the manual clock of its own thread). */
  advancesProcessingTime = false;
  private sealed = false;

  seal(): void {
    this.sealed = true;
  }

  /** Guards every graph mutation made through a stream of this pipeline. */
  checkOpen(api: string): void {
    if (this.sealed) {
      throw new Error(
        `${api}: this stream belongs to a job that was already executed; build the pipeline again from the environment`,
      );
    }
  }
}
