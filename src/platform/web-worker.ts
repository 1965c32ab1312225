/**
 * `spawnWorker` for hosts with the Web Worker API: browsers (the module is served by the page's server — Vite in
 * development) and Deno (workers inherit the parent's permissions, so `--allow-read` must cover the module).
 *
 * Neither runtime hands the worker's Error object to the parent: the `error` event carries only its text
 * ("Uncaught Error: boom"), and a module that fails to load fires a bare Event. The event is cancelled so that
 * Deno does not rethrow it in the parent (which would end the parent process) and a browser does not report it
 * as the page's own error.
 */
import { WorkerCrashError, WorkerEvents, type WorkerHandle } from './worker-handle.ts';

export function spawnWebWorker(url: URL): WorkerHandle {
  const worker = new Worker(url, { type: 'module' });
  const events = new WorkerEvents();
  const crash = (detail: string): void => {
    if (events.fail(new WorkerCrashError(url.href, detail))) worker.terminate();
  };
  worker.addEventListener('message', (event) => events.messages.deliver(event.data));
  worker.addEventListener('messageerror', () => crash('a message from the worker could not be deserialized'));
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    crash(event instanceof ErrorEvent && event.message !== '' ? event.message : 'the module could not be loaded');
  });
  return {
    url,
    postMessage: (message, transfer = []) => worker.postMessage(message, transfer),
    onMessage: (listener) => events.messages.subscribe(listener),
    onError: (listener) => events.onError(listener),
    terminate() {
      events.stop();
      worker.terminate();
      return Promise.resolve();
    },
  };
}
