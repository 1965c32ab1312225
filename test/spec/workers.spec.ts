/**
 * Worker infrastructure, run in every runtime: spawning through the current Platform, raw messages and transfers,
 * the data-port channel with credit-based flow control, the comlink control plane with rebuilt errors, and crash
 * detection. Every case terminates the workers it started, so the Node test process can exit.
 */
import { currentPlatform } from '../../src/platform/index.ts';
import { WorkerCrashError, type WorkerHandle } from '../../src/platform/worker-handle.ts';
import { OperatorError } from '../../src/runtime/errors.ts';
import { connectControl, withTransfer } from '../../src/runtime/worker/control-plane.ts';
import { DataReceiver, DataSender, type DataMessage } from '../../src/runtime/worker/data-port.ts';
import { rebuildThrown, serializeThrown } from '../../src/runtime/worker/error-transfer.ts';
import { deepEqual, equal, ok, rejects, throws } from './assert.ts';
import type { ControlApi } from './fixtures/control.worker.ts';
import type { EchoRequest, StreamReport } from './fixtures/echo.worker.ts';
import { defineSuite } from './harness.ts';

const ECHO_WORKER = new URL('./fixtures/echo.worker.ts', import.meta.url);
const CONTROL_WORKER = new URL('./fixtures/control.worker.ts', import.meta.url);
const CRASH_ON_LOAD_WORKER = new URL('./fixtures/crash-on-load.worker.ts', import.meta.url);
/** Generous: the first spawn transpiles the worker's modules (tsx in Node, Vite in the browser). */
const TIMEOUT_MS = 20_000;

export default defineSuite('workers', (it) => {
  it('spawns a worker with the current platform and round-trips a message', async () => {
    await withWorker(ECHO_WORKER, async (worker) => {
      post(worker, { kind: 'echo', value: { n: 1, list: ['a', 'b'] } });
      const reply = await nextMessage<{ value: unknown }>(worker, 'echo');
      deepEqual(reply.value, { n: 1, list: ['a', 'b'] });
    });
  });

  it('transfers a 64 MB ArrayBuffer to the worker and back, detaching the sender copy each way', async () => {
    await withWorker(ECHO_WORKER, async (worker) => {
      const size = 64 * 1024 * 1024;
      const buffer = new ArrayBuffer(size);
      new Uint8Array(buffer).set([7], 0);
      new Uint8Array(buffer).set([9], size - 1);
      post(worker, { kind: 'buffer', buffer }, [buffer]);
      equal(buffer.byteLength, 0, 'the sent buffer is detached');
      const reply = await nextMessage<{ byteLength: number; first: number; last: number; buffer: ArrayBuffer }>(
        worker,
        'buffer',
      );
      deepEqual([reply.byteLength, reply.first, reply.last], [size, 7, 9], 'what the worker received');
      equal(reply.buffer.byteLength, size, 'the buffer came back whole');
    });
  });

  it('streams 1,000 batches over a transferred MessagePort without exceeding the credits', async () => {
    const credits = 8;
    await withWorker(ECHO_WORKER, async (worker) => {
      const { port1, port2 } = new MessageChannel();
      post(worker, { kind: 'stream', port: port2, credits }, [port2]);
      const sender = new DataSender(port1);
      let stalls = 0;
      for (let seq = 0; seq < 1000; seq++) {
        if (!sender.canSend()) stalls++;
        await sender.whenWritable();
        ok(sender.availableCredits <= credits, `sender holds ${sender.availableCredits} credits`);
        const buffer = new ArrayBuffer(4096);
        new Uint32Array(buffer)[0] = seq;
        sender.sendData(buffer);
        equal(buffer.byteLength, 0, 'a sent batch is detached');
        if ((seq + 1) % 250 === 0) sender.sendWatermark(seq + 1);
      }
      sender.sendStatus(true);
      sender.end();
      const report = await nextMessage<StreamReport>(worker, 'stream-done');
      sender.close();
      equal(report.batches, 1000, 'batches received');
      ok(report.inOrder, 'batches and watermarks arrive in order');
      ok(report.maxHeld >= 1 && report.maxHeld <= credits, `receiver held at most ${report.maxHeld} batches`);
      deepEqual(report.watermarks, [250, 500, 750, 1000]);
      deepEqual(report.statuses, [true]);
      ok(stalls > 0, 'the sender had to wait for credit at least once');
    });
  });

  it('data port: no batch without credit; whenWritable waits for the grant', async () => {
    const { port1, port2 } = new MessageChannel();
    const sender = new DataSender(port1);
    try {
      equal(sender.canSend(), false, 'no credit before the receiver grants any');
      throws(() => sender.sendData(new ArrayBuffer(8)), /no credit/);
      const received: DataMessage[] = [];
      const receiver = new DataReceiver(port2, 1, (m) => received.push(m));
      await sender.whenWritable();
      sender.sendData(new ArrayBuffer(8));
      equal(sender.canSend(), false, 'the only credit is spent');
      const writable = sender.whenWritable();
      await until(() => received.length === 1);
      equal(receiver.held, 1);
      throws(() => receiver.consumed(2), /consumed\(2\) with 1 batch/);
      receiver.consumed();
      await writable;
      equal(sender.availableCredits, 1);
    } finally {
      sender.close();
    }
  });

  it('calls comlink-exposed methods in the worker: values back, a MessagePort moved in', async () => {
    await withWorker(CONTROL_WORKER, async (worker) => {
      const control = connectControl<ControlApi>(worker);
      equal(await within(control.add(2, 40), 'add()'), 42);
      equal(await within(control.platformName(), 'platformName()'), (await currentPlatform()).name);
      const { port1, port2 } = new MessageChannel();
      const greeting = new Promise((resolve) => port1.addEventListener('message', (e) => resolve(e.data)));
      port1.start();
      await within(control.greetOn(withTransfer(port2, [port2])), 'greetOn()');
      equal(port2 instanceof MessagePort && (await within(greeting, 'greeting')), 'hello over the transferred port');
      port1.close();
    });
  });

  it('a method throwing an OperatorError rejects with it rebuilt: class, message, fields, cause chain', async () => {
    await withWorker(CONTROL_WORKER, async (worker) => {
      const control = connectControl<ControlApi>(worker);
      const err = await rejects(within(control.failInOperator(), 'failInOperator()'), /^Operator 'tokenize'/);
      ok(err instanceof OperatorError, `rebuilt as OperatorError, got ${err.name}`);
      equal(err.name, 'OperatorError');
      equal(err.message, "Operator 'tokenize' (subtask 2/2) failed: bad token");
      deepEqual([err.operatorName, err.subtaskIndex, err.parallelism], ['tokenize', 1, 2]);
      ok(err.stack?.includes('control.worker.ts'), `the worker's stack is kept: ${err.stack}`);
      ok(err.cause instanceof TypeError, 'the cause is rebuilt as a TypeError');
      equal(err.cause.message, 'bad token');
      equal(err.cause.cause, 'line 7');
    });
  });

  it('a call pending when the worker crashes rejects with a WorkerCrashError', async () => {
    await withWorker(CONTROL_WORKER, async (worker) => {
      const control = connectControl<ControlApi>(worker);
      const err = await rejects(within(control.crashWhileCalled(), 'crashWhileCalled()'), /crash while a call/);
      ok(err instanceof WorkerCrashError, `got ${err.name}`);
    });
  });

  it('reports a worker that throws while its module loads', async () => {
    await withWorker(CRASH_ON_LOAD_WORKER, async (worker) => {
      const err = await within(nextError(worker), 'onError');
      ok(err instanceof WorkerCrashError);
      ok(/crash on load/.test(err.message), err.message);
      equal(err.workerUrl, CRASH_ON_LOAD_WORKER.href);
    });
  });

  it('reports a worker that throws after a message, also to a listener added afterwards', async () => {
    await withWorker(ECHO_WORKER, async (worker) => {
      post(worker, { kind: 'crash' });
      const err = await within(nextError(worker), 'onError');
      ok(/crash after a message/.test(err.message), err.message);
      equal(await within(nextError(worker), 'late onError'), err, 'a late listener gets the same error');
    });
  });

  it('reports a worker with an unhandled promise rejection', async () => {
    await withWorker(ECHO_WORKER, async (worker) => {
      post(worker, { kind: 'reject' });
      const err = await within(nextError(worker), 'onError');
      ok(/rejected and never handled/.test(err.message), err.message);
    });
  });

  it('error transfer keeps non-Error causes, AggregateError members and cuts cycles', () => {
    const inner = new Error('inner', { cause: { code: 42 } });
    const outer = new AggregateError([inner, 'plain'], 'many', { cause: inner });
    (inner as { cause: unknown }).cause = outer;
    const rebuilt = rebuildThrown(structuredClone(serializeThrown(outer))) as AggregateError;
    ok(rebuilt instanceof AggregateError);
    equal((rebuilt.errors[0] as Error).message, 'inner');
    equal(rebuilt.errors[1], 'plain');
    equal((rebuilt.cause as Error).message, 'inner');
    equal((rebuilt.cause as Error).cause, '[circular cause]', 'the cycle is cut where it closes');
    equal(rebuildThrown(structuredClone(serializeThrown('just text'))), 'just text');
  });
});

async function withWorker(url: URL, body: (worker: WorkerHandle) => Promise<void>): Promise<void> {
  const worker = (await currentPlatform()).spawnWorker(url);
  try {
    await body(worker);
  } finally {
    await worker.terminate();
  }
}

function post(worker: WorkerHandle, request: EchoRequest, transfer: Transferable[] = []): void {
  worker.postMessage(request, transfer);
}

/** The first message of `kind`; rejects if the worker crashes first or nothing comes within TIMEOUT_MS. */
function nextMessage<T>(worker: WorkerHandle, kind: string): Promise<T> {
  let stop = (): void => {};
  const message = new Promise<T>((resolve, reject) => {
    const stopErrors = worker.onError(reject);
    const stopMessages = worker.onMessage((m) => {
      if ((m as { kind?: unknown }).kind === kind) resolve(m as T);
    });
    stop = () => {
      stopErrors();
      stopMessages();
    };
  });
  return within(message, `a '${kind}' message`).finally(stop);
}

function nextError(worker: WorkerHandle): Promise<WorkerCrashError> {
  return new Promise((resolve) => worker.onError(resolve));
}

/** `promise`, or a rejection naming `what` after TIMEOUT_MS. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every millisecond; rejects if it is still false after TIMEOUT_MS. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition still false after ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
