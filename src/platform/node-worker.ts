/**
 * `spawnWorker` for Node: a `worker_threads.Worker` running the module at a file URL.
 *
 * TypeScript entries: Node 20 does not apply loader hooks registered with `--import` to worker threads
 * (nodejs/node#47747, privatenumber/tsx#354), so a `.ts` worker fails with ERR_UNKNOWN_FILE_EXTENSION even though
 * the worker inherits `--import tsx`. When the parent runs under tsx, the worker therefore starts from a small
 * bootstrap that registers tsx's ESM hooks in the worker and then imports the entry. The tsx flags are dropped from
 * the inherited execArgv so that newer tsx versions, which do register themselves in workers, register only once.
 * Without tsx in the parent the module is started as is (plain `.js`, or Node's own type stripping).
 */
import { WorkerCrashError, WorkerEvents, type WorkerHandle } from './worker-handle.ts';

interface NodeWorker {
  postMessage(value: unknown, transferList?: readonly unknown[]): void;
  on(event: 'message' | 'messageerror' | 'error', listener: (value: unknown) => void): void;
  on(event: 'exit', listener: (exitCode: number) => void): void;
  terminate(): Promise<number | undefined>;
}

interface NodeWorkerOptions {
  eval?: boolean;
  execArgv?: string[];
}

declare const process: {
  getBuiltinModule(id: 'node:worker_threads'): {
    Worker: new (filename: string | URL, options?: NodeWorkerOptions) => NodeWorker;
  };
  readonly execArgv: readonly string[];
};

export function spawnNodeWorker(url: URL): WorkerHandle {
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const entry = workerEntry(url);
  const worker = new Worker(entry.filename, entry.options);
  const events = new WorkerEvents();
  const crash = (detail: string, cause?: unknown): void => {
    const error = new WorkerCrashError(url.href, detail, cause === undefined ? undefined : { cause });
    if (events.fail(error)) void worker.terminate();
  };
  worker.on('message', (message) => events.messages.deliver(message));
  worker.on('messageerror', (err) => crash('a message from the worker could not be deserialized', err));
  worker.on('error', (err) => crash(err instanceof Error ? `${err.name}: ${err.message}` : String(err), err));
  worker.on('exit', (exitCode) => crash(`the worker exited unexpectedly with code ${exitCode}`));
  return {
    url,
    postMessage: (message, transfer = []) => worker.postMessage(message, transfer),
    onMessage: (listener) => events.messages.subscribe(listener),
    onError: (listener) => events.onError(listener),
    async terminate() {
      events.stop();
      await worker.terminate();
    },
  };
}

function workerEntry(url: URL): { filename: string | URL; options: NodeWorkerOptions } {
  const execArgv = withoutTsx(process.execArgv);
  const tsxApi = execArgv !== undefined && /\.[cm]?ts$/.test(url.pathname) ? resolveTsxApi() : undefined;
  if (tsxApi === undefined) return { filename: url, options: {} };
  // Evaluated as a CommonJS script; a failing import rejects unhandled, which Node reports as the worker's error.
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return { filename: bootstrap, options: { eval: true, execArgv } };
}

const TSX_LOADER_FLAGS = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r']);
const TSX_SPECIFIER = /^(tsx(\/.*)?|.*[/\\]node_modules[/\\]tsx[/\\].*)$/;

/** `execArgv` without its tsx loader flags, or undefined when there are none (the parent does not run tsx). */
function withoutTsx(execArgv: readonly string[]): string[] | undefined {
  const kept: string[] = [];
  let found = false;
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] ?? '';
    const next = execArgv[i + 1] ?? '';
    const [flag = '', inline] = arg.split(/=(.*)/s, 2);
    if (TSX_LOADER_FLAGS.has(flag) && TSX_SPECIFIER.test(inline ?? next)) {
      found = true;
      if (inline === undefined) i++;
    } else {
      kept.push(arg);
    }
  }
  return found ? kept : undefined;
}

function resolveTsxApi(): string | undefined {
  try {
    return (import.meta as ImportMeta & { resolve(specifier: string): string }).resolve('tsx/esm/api');
  } catch {
    return undefined;
  }
}
