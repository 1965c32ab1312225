/**
 * The parent thread as seen from code running inside a worker started with `Platform.spawnWorker`: Node's
 * `worker_threads.parentPort`, or the worker global scope (`self`) in Deno and browsers. Synchronous, so a worker
 * module can subscribe at its top level before anything is awaited.
 */
import { MessageFanout, type MessageEndpointLike } from './message-endpoint.ts';

interface NodeMessagePort {
  postMessage(value: unknown, transferList?: readonly unknown[]): void;
  on(event: 'message' | 'messageerror', listener: (value: unknown) => void): void;
}

declare const process: {
  getBuiltinModule(id: 'node:worker_threads'): { parentPort: NodeMessagePort | null };
};

interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

let parent: MessageEndpointLike | undefined;

/**
 * Throws outside a worker. The first call also makes two failures fatal that would otherwise pass unnoticed, so the
 * parent's WorkerHandle reports them through `onError` in every runtime: a message from the parent that cannot be
 * deserialized, and — in browsers, where it never reaches the parent — an unhandled promise rejection (Node and
 * Deno already treat that as an uncaught error).
 */
export function parentPort(): MessageEndpointLike {
  parent ??= isNode() ? nodeParentPort() : webParentPort();
  return parent;
}

const host = globalThis as { Deno?: unknown; process?: { versions?: { node?: unknown } } };

function isNode(): boolean {
  return host.Deno === undefined && typeof host.process?.versions?.node === 'string';
}

function nodeParentPort(): MessageEndpointLike {
  const port = process.getBuiltinModule('node:worker_threads').parentPort;
  if (port === null) throw new Error('parentPort() called outside a worker thread');
  const messages = new MessageFanout();
  port.on('message', (message) => messages.deliver(message));
  port.on('messageerror', undeserializable);
  return endpoint(messages, (message, transfer) => port.postMessage(message, transfer));
}

function webParentPort(): MessageEndpointLike {
  const scopeClass = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
  if (scopeClass === undefined || !(globalThis instanceof scopeClass)) {
    throw new Error('parentPort() called outside a worker');
  }
  const scope = globalThis as unknown as WorkerScope;
  const messages = new MessageFanout();
  scope.addEventListener('message', (event) => messages.deliver(event.data));
  scope.addEventListener('messageerror', undeserializable);
  if (host.Deno === undefined) {
    scope.addEventListener('unhandledrejection', (event) => {
      event.preventDefault(); // no "Uncaught (in promise)" report of its own: the rethrow below is reported instead
      throw event.reason;
    });
  }
  return endpoint(messages, (message, transfer) => scope.postMessage(message, transfer));
}

function endpoint(
  messages: MessageFanout,
  post: (message: unknown, transfer: Transferable[]) => void,
): MessageEndpointLike {
  return {
    postMessage: (message, transfer = []) => post(message, transfer),
    onMessage: (listener) => messages.subscribe(listener),
  };
}

function undeserializable(): never {
  throw new Error('a message from the parent could not be deserialized');
}
