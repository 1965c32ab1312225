/**
 * The one shape every message channel takes in Rivulet: a worker seen from its parent (WorkerHandle), the parent
 * seen from inside a worker (worker-scope.ts `parentPort()`), or one end of a MessageChannel (`portEndpoint`).
 * Messages are structured-cloned; objects listed in `transfer` (ArrayBuffers, MessagePorts) are moved instead and
 * left detached on the sending side.
 */
export type Unsubscribe = () => void;

export interface MessageEndpointLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  /**
   * Calls `listener` with the data of every message from the other side. Messages that arrive before the first
   * listener is added are kept and delivered to it (as a started MessagePort would), so a listener added a few
   * awaits after spawning a worker misses nothing.
   */
  onMessage(listener: (message: unknown) => void): Unsubscribe;
}

/** Wraps one end of a MessageChannel; the port starts delivering when the first listener is added. */
export function portEndpoint(port: MessagePort): MessageEndpointLike {
  return {
    postMessage: (message, transfer = []) => port.postMessage(message, transfer),
    onMessage(listener) {
      const handler = (event: MessageEvent): void => listener(event.data);
      port.addEventListener('message', handler);
      port.start();
      return () => port.removeEventListener('message', handler);
    },
  };
}

/**
 * Fans incoming messages out to the current listeners, queueing them until the first listener is added — the
 * `onMessage` contract above, shared by the runtime-specific endpoints.
 */
export class MessageFanout {
  private readonly listeners = new Set<(message: unknown) => void>();
  private queued: unknown[] | undefined = [];

  deliver(message: unknown): void {
    if (this.queued !== undefined) this.queued.push(message);
    else for (const listener of [...this.listeners]) listener(message);
  }

  subscribe(listener: (message: unknown) => void): Unsubscribe {
    this.listeners.add(listener);
    const queued = this.queued;
    if (queued !== undefined) {
      this.queued = undefined;
      for (const message of queued) this.deliver(message);
    }
    return () => this.listeners.delete(listener);
  }
}
