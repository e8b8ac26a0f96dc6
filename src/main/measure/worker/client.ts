/**
 * The main-thread side of the measuring worker: one thread, started when first needed and again
 * after it ended, requests matched to replies by id, error values turned back into `ZoeError`s.
 * The entry is `measure-worker.js` beside the bundle, or `measure-worker.ts` beside this file from
 * sources (src/main/workers/locate.ts).
 *
 * `zoe measure` does not use it: the command measures one distance (two sampled points, no plane
 * fit) and nothing else runs in that process while it does.
 */
import type { Worker } from 'node:worker_threads';
import type { ComputedMeasurement, SavedMeasurement } from '../../../shared/api/measure';
import { ZoeError } from '../../../shared/errors';
import type { MeasureContext } from '../../../shared/measure/measures';
import type { DepthGrid } from '../../../shared/measure/sampling';
import { startWorkerThread } from '../../workers/locate';
import { PendingRequests } from '../../workers/pending';
import type { MeasurementInput } from '../compute';
import type { MeasureReply, MeasureRequest } from './protocol';

/** The depth grid alone, with its values in a buffer of their own (which is moved, not copied, to the thread). */
function gridForThread(depth: DepthGrid): { grid: DepthGrid; transfer: ArrayBuffer } {
  const metres: Float32Array<ArrayBuffer> = new Float32Array(depth.metres);
  const grid: DepthGrid = {
    width: depth.width,
    height: depth.height,
    metres,
    photoWidth: depth.photoWidth,
    photoHeight: depth.photoHeight,
    ...(depth.range === undefined ? {} : { range: { min: depth.range.min, max: depth.range.max } })
  };
  return { grid, transfer: metres.buffer };
}

function inputForThread(input: MeasurementInput | SavedMeasurement): MeasurementInput {
  return {
    kind: input.kind,
    points: input.points,
    ...(input.ground === undefined ? {} : { ground: input.ground }),
    ...(input.id === undefined ? {} : { id: input.id }),
    ...(input.name === undefined ? {} : { name: input.name })
  };
}

/** Computes measurements on a worker thread; one per host, disposed with it. */
export class MeasureWorker {
  private thread: Worker | null = null;
  private readonly pending = new PendingRequests<ComputedMeasurement[]>();
  private stopping = false;

  /**
   * `computeMeasurements` (src/main/measure/compute.ts) on the thread: the same values, each
   * failure kept with its measurement. The depth values are copied once for the thread.
   */
  compute(context: MeasureContext, inputs: readonly (MeasurementInput | SavedMeasurement)[]): Promise<ComputedMeasurement[]> {
    if (this.stopping) return Promise.reject(new ZoeError('CANCELLED', 'Measuring was stopped because Zoe Studio is closing.'));
    const thread = this.running();
    const { grid, transfer } = gridForThread(context.depth);
    if (this.pending.size === 0) thread.ref();
    return this.pending.open({}, (id) => {
      const request: MeasureRequest = { id, kind: 'compute', context: { ...context, depth: grid }, inputs: inputs.map(inputForThread) };
      thread.postMessage(request, [transfer]);
    });
  }

  /** Stops the thread; measurements under way fail with CANCELLED. */
  async dispose(): Promise<void> {
    this.stopping = true;
    const thread = this.thread;
    if (thread === null) return;
    await thread.terminate();
  }

  private running(): Worker {
    if (this.thread !== null) return this.thread;
    const thread = startWorkerThread({ directory: __dirname, name: 'measure-worker', part: 'measuring' });
    // An idle thread must not keep a process (a test run, the CLI) alive: it holds the event loop
    // only while a measurement is pending.
    thread.unref();
    thread.on('message', (message: MeasureReply) => this.receive(message));
    thread.on('error', (error) => this.pending.failAll(new ZoeError('INTERNAL', 'Measuring stopped unexpectedly.', { detail: error.stack ?? error.message, cause: error })));
    thread.on('exit', (code) => {
      if (this.thread === thread) this.thread = null;
      this.pending.failAll(
        this.stopping
          ? new ZoeError('CANCELLED', 'Measuring was stopped because Zoe Studio is closing.')
          : new ZoeError('OUT_OF_MEMORY', 'Measuring stopped unexpectedly (it may have run out of memory). Try again with fewer or smaller areas.', {
              detail: `worker exit code ${code}`
            })
      );
    });
    this.thread = thread;
    return thread;
  }

  private receive(message: MeasureReply): void {
    if (this.pending.settle(message) && this.pending.size === 0) this.thread?.unref();
  }
}
