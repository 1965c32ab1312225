/**
 * The control plane between a job's coordinator and its workers (DESIGN.md §2): one object exposed over comlink.
 * Deploy, checkpoint triggers, metrics and cancel travel here; records never do (see data-port.ts).
 *
 *   worker:  exposeControl(api, parentPort());              export type WorkerApi = typeof api;
 *   host:    const remote = connectControl<WorkerApi>(handle); await remote.method(...)
 *
 * The API type is imported with `import type`, so the host never loads the worker module. Importing this module
 * (both sides do) makes comlink carry thrown errors through error-transfer.ts — class, cause chain and fields —
 * instead of comlink's default, which keeps only name, message and stack.
 */
import { expose, transfer, transferHandlers, wrap, type Endpoint, type Remote, type TransferHandler } from 'comlink';
import type { MessageEndpointLike, Unsubscribe } from '../../platform/message-endpoint.ts';
import type { WorkerCrashError, WorkerHandle } from '../../platform/worker-handle.ts';
import { rebuildThrown, serializeThrown, type SerializedThrown } from './error-transfer.ts';

export type Control<Api> = Remote<Api>;

/** Marks `value` (e.g. a MessagePort inside an argument) to be moved, not copied: comlink's `transfer`. */
export const withTransfer = transfer;

/** Serves `api` to the other side of `endpoint` until that side releases it. */
export function exposeControl(api: object, endpoint: MessageEndpointLike): void {
  expose(api, comlinkEndpoint(endpoint));
}

/**
 * A typed proxy of the API the other side exposed: every method returns a Promise. Over a WorkerHandle, calls still
 * pending when the worker crashes reject with its WorkerCrashError instead of waiting forever.
 */
export function connectControl<Api>(endpoint: MessageEndpointLike | WorkerHandle): Control<Api> {
  return wrap<Api>(comlinkEndpoint(endpoint));
}

const comlinkThrow = transferHandlers.get('throw');
if (comlinkThrow === undefined) throw new Error("comlink has no 'throw' transfer handler to replace");
const throwHandler: TransferHandler<{ value: unknown }, SerializedThrown> = {
  canHandle: (value): value is { value: unknown } => comlinkThrow.canHandle(value),
  serialize: ({ value }) => [serializeThrown(value), []],
  deserialize: (serialized) => {
    throw rebuildThrown(serialized);
  },
};
transferHandlers.set('throw', throwHandler);

/** Local-only: a synthetic reply carrying a crash (never serialized, so the error arrives as the same object). */
const CRASH_HANDLER = 'rivulet:worker-crash';
transferHandlers.set(CRASH_HANDLER, {
  canHandle: (_value): _value is never => false,
  serialize: () => {
    throw new Error(`${CRASH_HANDLER} is never serialized`);
  },
  deserialize: (error: WorkerCrashError) => {
    throw error;
  },
} satisfies TransferHandler<never, WorkerCrashError>);

/** comlink's request types (its MessageType); replies carry a WireValueType ('RAW' | 'HANDLER') instead. */
const REQUEST_TYPES = new Set(['GET', 'SET', 'APPLY', 'CONSTRUCT', 'ENDPOINT', 'RELEASE']);

type ComlinkListener = Parameters<Endpoint['addEventListener']>[1];

/** Adapts a MessageEndpointLike to comlink's EventTarget-style Endpoint, tracking requests awaiting a reply. */
function comlinkEndpoint(endpoint: MessageEndpointLike | WorkerHandle): Endpoint {
  const subscriptions = new Map<ComlinkListener, Unsubscribe>();
  const awaitingReply = new Set<string>();
  const dispatch = (listener: ComlinkListener, data: unknown): void => {
    const id = (data as { id?: unknown } | null)?.id;
    if (typeof id === 'string') awaitingReply.delete(id);
    const event = { data } as MessageEvent;
    if (typeof listener === 'function') listener(event);
    else listener.handleEvent(event);
  };
  if ('onError' in endpoint) {
    endpoint.onError((error) => {
      const crashReplies = [...awaitingReply].map((id) => ({ id, type: 'HANDLER', name: CRASH_HANDLER, value: error }));
      for (const reply of crashReplies) for (const listener of [...subscriptions.keys()]) dispatch(listener, reply);
    });
  }
  return {
    postMessage(message: { id?: unknown; type?: unknown }, transferables?: Transferable[]) {
      if (typeof message.id === 'string' && REQUEST_TYPES.has(String(message.type))) awaitingReply.add(message.id);
      endpoint.postMessage(message, transferables);
    },
    addEventListener(_type, listener) {
      subscriptions.set(
        listener,
        endpoint.onMessage((data) => dispatch(listener, data)),
      );
    },
    removeEventListener(_type, listener) {
      subscriptions.get(listener)?.();
      subscriptions.delete(listener);
    },
  };
}
