/**
 * The main-thread side of a depth worker: starts the thread, matches replies to requests by id,
 * turns error values back into `ZoeError`s.
 *
 * Where the worker entry is (`depth-worker.js` beside the bundle, or `depth-worker.ts` beside this
 * file from sources): src/main/workers/locate.ts.
 */
import type { Worker } from 'node:worker_threads';
import { ZoeError } from '../../../shared/errors';
import { startWorkerThread } from '../../workers/locate';
import type { LoadProgress } from '../session-host';
import type { WorkerReplies, WorkerReply, WorkerRequest } from './protocol';

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress: ((progress: LoadProgress) => void) | undefined;
}

function startWorker(): Worker {
  return startWorkerThread({ directory: __dirname, name: 'depth-worker', part: 'the depth engine' });
}

/** One depth worker thread. */
export class DepthWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private exited = false;
  private terminating = false;

  /** `onExit` is told when the thread ends for any reason (so a crashed session can be reloaded). */
  constructor(onExit?: () => void) {
    this.worker = startWorker();
    // An idle engine must not keep a command-line process alive: the thread holds the event loop
    // only while a request is pending.
    this.worker.unref();
    this.worker.on('message', (message: WorkerReply) => this.receive(message));
    this.worker.on('error', (error) => this.failAll(new ZoeError('INTERNAL', 'The depth engine stopped unexpectedly.', { detail: error.stack ?? error.message, cause: error })));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.failAll(
        this.terminating
          ? new ZoeError('CANCELLED', 'The depth engine was closed before the photo was done.')
          : new ZoeError('OUT_OF_MEMORY', 'The depth engine stopped unexpectedly (it may have run out of memory). Try again; close other applications if it happens again.', {
              detail: `worker exit code ${code}`
            })
      );
      onExit?.();
    });
  }

  /** Sends one request and resolves with its reply. */
  request<K extends RequestBody['kind']>(
    body: Extract<RequestBody, { kind: K }>,
    options: { transfer?: ArrayBuffer[]; onProgress?: (progress: LoadProgress) => void } = {}
  ): Promise<WorkerReplies[K]> {
    if (this.exited) return Promise.reject(new ZoeError('INTERNAL', 'The depth engine is not running.'));
    const id = this.nextId++;
    return new Promise<WorkerReplies[K]>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress: options.onProgress });
      this.worker.postMessage({ ...body, id }, options.transfer ?? []);
    });
  }

  /** Stops the thread (pending requests fail with CANCELLED). */
  async terminate(): Promise<void> {
    if (this.exited) return;
    this.terminating = true;
    await this.worker.terminate();
  }

  private receive(message: WorkerReply): void {
    const pending = this.pending.get(message.id);
    if (pending === undefined) return;
    if (message.kind === 'progress') {
      pending.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.kind === 'done') pending.resolve(message.value);
    else {
      const { code, message: text, detail } = message.error;
      pending.reject(new ZoeError(code, text, detail === undefined ? undefined : { detail }));
    }
  }

  private failAll(error: ZoeError): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
