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
import { PendingRequests } from '../../workers/pending';
import type { LoadProgress } from '../session-host';
import type { WorkerReplies, WorkerReply, WorkerRequest } from './protocol';

type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Kept with each waiting request: who hears of its loading progress. */
interface ProgressListener {
  onProgress: ((progress: LoadProgress) => void) | undefined;
}

function startWorker(): Worker {
  return startWorkerThread({ directory: __dirname, name: 'depth-worker', part: 'the depth engine' });
}

/** One depth worker thread. */
export class DepthWorker {
  private readonly worker: Worker;
  private readonly pending = new PendingRequests<WorkerReplies[keyof WorkerReplies], ProgressListener>();
  private exited = false;
  private terminating = false;

  /** `onExit` is told when the thread ends for any reason (so a crashed session can be reloaded). */
  constructor(onExit?: () => void) {
    this.worker = startWorker();
    // An idle engine must not keep a command-line process alive: the thread holds the event loop
    // only while a request is pending.
    this.worker.unref();
    this.worker.on('message', (message: WorkerReply) => this.receive(message));
    this.worker.on('error', (error) => this.pending.failAll(new ZoeError('INTERNAL', 'The depth engine stopped unexpectedly.', { detail: error.stack ?? error.message, cause: error })));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.pending.failAll(
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
    if (this.pending.size === 0) this.worker.ref();
    const reply = this.pending.open({ onProgress: options.onProgress }, (id) => this.worker.postMessage({ ...body, id }, options.transfer ?? []));
    // The worker answers a request of kind K with the value of kind K (./protocol.ts).
    return reply as Promise<WorkerReplies[K]>;
  }

  /** Stops the thread (pending requests fail with CANCELLED). */
  async terminate(): Promise<void> {
    if (this.exited) return;
    this.terminating = true;
    await this.worker.terminate();
  }

  private receive(message: WorkerReply): void {
    if (message.kind === 'progress') {
      this.pending.extra(message.id)?.onProgress?.(message.progress);
      return;
    }
    if (this.pending.settle(message) && this.pending.size === 0) this.worker.unref();
  }
}
