/**
 * The depth engine: one long-lived session per model (in its own worker thread), photos queued one
 * at a time per session and cancellable, full-resolution maps made on demand in another worker.
 */
import type { DepthMap, DepthOptions, DevicePreference } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';
import type { ModelManifest } from '../../shared/manifest';
import { LoadProgressTicker, modelBytes } from './load-progress';
import { attachModelOutput, modelOutputOf } from './model-output';
import type { LoadedModelInfo, LoadProgress } from './session-host';
import { DepthWorker } from './worker/client';
import type { EstimateReply } from './worker/protocol';

/** A model file on disk and its manifest. */
export interface InstalledModel {
  manifest: ModelManifest;
  /** The `.onnx` file (external weights, if any, beside it). */
  modelPath: string;
}

/** Options of `DepthEngine.estimate`: each depth option defaults to the manifest's `defaults`. */
export type EstimateOptions = Partial<DepthOptions> & { signal?: AbortSignal };

interface QueuedJob {
  photo: string | Uint8Array;
  options: DepthOptions;
  signal: AbortSignal | undefined;
  resolve: (depth: DepthMap) => void;
  reject: (error: Error) => void;
}

interface ModelSlot {
  key: string;
  worker: DepthWorker;
  loading: Promise<LoadedModelInfo>;
  progressListeners: Set<(progress: LoadProgress) => void>;
  queue: QueuedJob[];
  running: boolean;
  /** Set by `dispose`: a photo still running is answered with CANCELLED. */
  closed: boolean;
}

function cancelled(): ZoeError {
  return new ZoeError('CANCELLED', 'Depth estimation was cancelled.');
}

/** The engine the Electron main process, the CLI and the test host share. */
export class DepthEngine {
  private readonly slots = new Map<string, ModelSlot>();
  private resampler: DepthWorker | undefined;
  private readonly optimisedCacheDir: string;
  private readonly device: DevicePreference;
  private disposed = false;

  constructor(options: { optimisedCacheDir: string; device?: DevicePreference }) {
    this.optimisedCacheDir = options.optimisedCacheDir;
    this.device = options.device ?? 'auto';
  }

  /** Creates (once) and returns the long-lived session for a model; concurrent callers share one load. */
  load(model: InstalledModel, onProgress?: (progress: LoadProgress) => void): Promise<LoadedModelInfo> {
    if (this.disposed) return Promise.reject(new ZoeError('INTERNAL', 'The depth engine has been shut down.'));
    const key = `${model.manifest.id}\u0000${model.modelPath}`;
    const existing = this.slots.get(key);
    if (existing !== undefined) {
      if (onProgress !== undefined) existing.progressListeners.add(onProgress);
      return existing.loading.finally(() => {
        if (onProgress !== undefined) existing.progressListeners.delete(onProgress);
      });
    }
    const worker = new DepthWorker(() => {
      // A thread that ended (crash, out of memory) takes its session with it: forget the slot so
      // the next call loads the model again.
      if (this.slots.get(key)?.worker === worker) this.slots.delete(key);
    });
    const progressListeners = new Set<(progress: LoadProgress) => void>();
    if (onProgress !== undefined) progressListeners.add(onProgress);
    let bytes = 0;
    void modelBytes(model.modelPath, (model.manifest.source?.externalData ?? []).map((f) => f.fileName)).then((b) => (bytes = b));
    const ticker = new LoadProgressTicker(
      () => bytes,
      (progress) => progressListeners.forEach((listener) => listener(progress))
    );
    const loading = worker.request(
      {
        kind: 'load',
        load: { modelId: model.manifest.id, modelPath: model.modelPath, optimisedCacheDir: this.optimisedCacheDir, device: this.device },
        manifest: model.manifest
      },
      { onProgress: (progress) => ticker.report(progress) }
    );
    const slot: ModelSlot = { key, worker, loading, progressListeners, queue: [], running: false, closed: false };
    this.slots.set(key, slot);
    loading.then(
      () => {
        ticker.stop();
        progressListeners.clear();
      },
      () => {
        ticker.stop();
        // A failed load is forgotten so a later call (after a fix or reinstall) tries again.
        if (this.slots.get(key) === slot) this.slots.delete(key);
        void worker.terminate();
      }
    );
    return loading;
  }

  /** Decodes, pre-processes, runs (queued: one run at a time per session) and post-processes one photo. */
  async estimate(photo: string | Buffer, model: InstalledModel, options: EstimateOptions = {}): Promise<DepthMap> {
    const signal = options.signal;
    if (signal?.aborted) throw cancelled();
    const depthOptions: DepthOptions = { flip: options.flip ?? model.manifest.defaults.flip, pad: options.pad ?? model.manifest.defaults.pad };
    await this.load(model);
    if (signal?.aborted) throw cancelled();
    const slot = this.slots.get(`${model.manifest.id}\u0000${model.modelPath}`);
    if (slot === undefined) throw new ZoeError('INTERNAL', 'The depth model was unloaded while a photo waited for it.');
    return new Promise<DepthMap>((resolve, reject) => {
      const job: QueuedJob = { photo, options: depthOptions, signal, resolve, reject };
      slot.queue.push(job);
      signal?.addEventListener(
        'abort',
        () => {
          const index = slot.queue.indexOf(job);
          if (index >= 0) {
            slot.queue.splice(index, 1);
            reject(cancelled());
          }
        },
        { once: true }
      );
      this.pump(slot, model);
    });
  }

  /** The same depth at the photo's full upright resolution (for export), made in a worker thread. */
  async toPhotoResolution(depth: DepthMap): Promise<DepthMap> {
    if (depth.width === depth.photoWidth && depth.height === depth.photoHeight) return depth;
    const output = modelOutputOf(depth);
    if (output === undefined) {
      throw new ZoeError('INVALID_ARGUMENT', 'This depth map no longer carries the model output needed for full resolution; estimate the photo again.');
    }
    if (this.disposed) throw new ZoeError('INTERNAL', 'The depth engine has been shut down.');
    this.resampler ??= new DepthWorker();
    const started = performance.now();
    const grid = { height: output.photoHeight, width: output.photoWidth };
    const metres = await this.resampler.request({ kind: 'upsample', output, grid });
    const upsampleMs = performance.now() - started;
    // The full-resolution upsampling is post-processing: it counts in both its own stage and the total.
    const timings = { ...depth.timings, postprocessMs: depth.timings.postprocessMs + upsampleMs, totalMs: depth.timings.totalMs + upsampleMs };
    const full: DepthMap = { ...depth, width: grid.width, height: grid.height, metres, timings };
    return attachModelOutput(full, output);
  }

  /** Releases every session and stops the worker threads. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const slots = [...this.slots.values()];
    this.slots.clear();
    for (const slot of slots) {
      slot.closed = true;
      for (const job of slot.queue.splice(0)) job.reject(cancelled());
      try {
        await slot.loading;
        await slot.worker.request({ kind: 'dispose' });
      } catch {
        // A load that failed has nothing to release.
      }
      await slot.worker.terminate();
    }
    await this.resampler?.terminate();
    this.resampler = undefined;
  }

  private pump(slot: ModelSlot, model: InstalledModel): void {
    if (slot.running) return;
    const job = slot.queue.shift();
    if (job === undefined) return;
    slot.running = true;
    const started = performance.now();
    slot.worker
      .request({ kind: 'estimate', photo: job.photo, options: job.options })
      .then(
        (reply) => {
          if (job.signal?.aborted || slot.closed) job.reject(cancelled());
          else job.resolve(this.toDepthMap(reply, model, job.options, performance.now() - started));
        },
        (error: unknown) => job.reject(slot.closed ? cancelled() : error instanceof Error ? error : new Error(String(error)))
      )
      .finally(() => {
        slot.running = false;
        if (!slot.closed) this.pump(slot, model);
      });
  }

  private toDepthMap(reply: EstimateReply, model: InstalledModel, options: DepthOptions, totalMs: number): DepthMap {
    const depth: DepthMap = {
      width: reply.grid.width,
      height: reply.grid.height,
      metres: reply.metres,
      photoWidth: reply.modelOutput.photoWidth,
      photoHeight: reply.modelOutput.photoHeight,
      modelId: model.manifest.id,
      provider: reply.provider,
      ...(reply.providerFallbackReason === undefined ? {} : { providerFallbackReason: reply.providerFallbackReason }),
      options,
      range: { min: model.manifest.depthRange.min, max: model.manifest.depthRange.max },
      timings: { ...reply.timings, totalMs }
    };
    return attachModelOutput(depth, reply.modelOutput);
  }
}
