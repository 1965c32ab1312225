/**
 * Everything Rivulet needs from its host runtime, behind one interface. Only files in src/platform/ may use
 * `node:*` modules, `Deno.*` or DOM-only globals; the rest of the engine receives a Platform.
 */
import type { DurableStateHost } from '../state/backends/state-backend.ts';
import type { WorkerHandle } from './worker-handle.ts';

export interface Platform {
  /** Which host this is; used in diagnostics and by tests to show where they ran. */
  readonly name: 'node' | 'deno' | 'browser';
  /** Compiles a WebAssembly module shipped with the package (file on disk, or fetched in a browser). */
  loadWasm(url: URL): Promise<WebAssembly.Module>;
  /** Writes one line of user-requested output (`DataStream.print()`), without a trailing newline in `line`. */
  writeLine(line: string): void;
  /**
   * Starts a worker (worker_threads in Node, a module Web Worker in Deno and browsers) running the module at `url`
   * — by convention a `*.worker.ts` file, located with `new URL('./x.worker.ts', import.meta.url)`. Inside, the
   * module reaches its parent through `parentPort()` of worker-scope.ts. See WorkerHandle for the failure contract.
   */
  spawnWorker(url: URL): WorkerHandle;
  /**
   * The bytes of a file: a path or file: URL read from disk in Node and Deno, an http(s) URL fetched (the only kind
   * a browser reads; a relative string resolves against the page). File sources use it.
   */
  readBytes(location: string | URL): Promise<Uint8Array>;
  /**
   * Durable storage for checkpoint state backends (src/state/backends/): files in Node and Deno, IndexedDB in
   * browsers.
   */
  readonly durableState: DurableStateHost;
}
