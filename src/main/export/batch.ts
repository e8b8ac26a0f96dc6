/**
 * Batch export in the main process: a selection (or a whole folder) of photos, each photo's depth
 * from the depth side (cached depth reused, missing depth computed), written by the export worker
 * into a hidden staging folder inside the output folder and only then renamed to its final names,
 * so a cancelled or failed photo never leaves a partial file under a final name. A broken photo
 * fails alone; the photos are only read.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ExportBatchStarted, ExportPhotoOutcome, ExportProgress } from '../../shared/api/export';
import type { PhotoCalibration } from '../../shared/api/measure';
import type { IntrinsicsOverride } from '../../shared/camera';
import { exportBatchRequest } from '../../shared/api/export';
import type { DepthMap } from '../../shared/depth';
import { toErrorValue, ZoeError } from '../../shared/errors';
import type { ExportFormat, ExportOptions } from '../../shared/export';
import { writeJsonAtomic } from '../fs/atomic';
import { readPhotoIntrinsics } from '../measure/intrinsics';
import { calibrationForDepth, scaleDepthMap, type ExportedCalibration } from './calibration';
import { chooseOutputNames, templateDate, type NamingContext, type OutputKind } from './batch-plan';
import { sidecarSchema } from './sidecar';
import { ExportWorker } from './worker/client';

/** A photo the batch may read, resolved from the id the renderer sent. */
export interface BatchPhoto {
  id: string;
  name: string;
  path: string;
}

/** Where a batch gets photos and depth from (the host's library and depth side). */
export interface BatchDepthSource {
  /** The photo behind an id; throws NOT_FOUND for an id no open folder has. */
  photo(photoId: string): BatchPhoto;
  /** The file whose pixels depth is estimated on and exports read: the photo, or a RAW file's upright preview. */
  pixelsOf(photo: BatchPhoto): Promise<string>;
  /** The id of the model depth is made with now (`{model}` in names). */
  modelId(): Promise<string>;
  /** The photo's depth at model resolution, from the cache or made now; rejects with CANCELLED once `signal` aborts. */
  depthOf(photo: BatchPhoto, signal: AbortSignal): Promise<DepthMap>;
  /** The same depth at the photo's full upright size. */
  toPhotoResolution(depth: DepthMap): Promise<DepthMap>;
  /** The calibration and camera correction the photographer set on the photo while measuring (`null` each when none). */
  measuringOf(photo: BatchPhoto): Promise<{ calibration: PhotoCalibration | null; intrinsicsOverride: IntrinsicsOverride | null }>;
}

/** A validated `export.start` request with its output folder resolved. */
export type BatchRequest = z.output<typeof exportBatchRequest> & { outputFolder: string };

interface RunningBatch {
  controller: AbortController;
  worker: ExportWorker | null;
  done: Promise<void>;
}

function cancelled(): ZoeError {
  return new ZoeError('CANCELLED', 'The export was cancelled.');
}

/** Runs export batches one photo at a time, each batch with its own export worker. */
export class ExportBatches {
  private readonly running = new Map<string, RunningBatch>();

  constructor(
    private readonly source: BatchDepthSource,
    private readonly emit: (progress: ExportProgress) => void
  ) {}

  /** Starts a batch and returns at once; `export.progress` events follow until it ends. */
  start(request: BatchRequest): ExportBatchStarted {
    const batchId = randomUUID();
    const batch: RunningBatch = { controller: new AbortController(), worker: null, done: Promise.resolve() };
    this.running.set(batchId, batch);
    batch.done = this.run(batchId, batch, request)
      .catch((error: unknown) => console.error('[zoe] export batch failed:', error))
      .finally(() => this.running.delete(batchId));
    return { batchId, photos: request.photoIds.length };
  }

  /** Stops a batch: the photo being written is dropped (its staged files removed), the rest are not started. False when none ran. */
  async cancel(batchId: string): Promise<boolean> {
    const batch = this.running.get(batchId);
    if (batch === undefined) return false;
    batch.controller.abort();
    await batch.worker?.terminate();
    await batch.done;
    return true;
  }

  /** Resolves when a batch has ended (tests, quitting). */
  async settled(batchId: string): Promise<void> {
    await this.running.get(batchId)?.done;
  }

  /** Cancels every batch. */
  async dispose(): Promise<void> {
    await Promise.all([...this.running.keys()].map((batchId) => this.cancel(batchId)));
  }

  private async run(batchId: string, batch: RunningBatch, request: BatchRequest): Promise<void> {
    const { signal } = batch.controller;
    const total = request.photoIds.length;
    const formats = [...new Set(request.formats)];
    const kinds: OutputKind[] = [...formats, 'json'];
    const photos = request.photoIds.map((photoId) => {
      try {
        return this.source.photo(photoId);
      } catch (error) {
        return { id: photoId, error: toErrorValue(error) };
      }
    });
    const naming: NamingContext = {
      folder: request.outputFolder,
      originals: new Set(photos.flatMap((photo) => ('path' in photo ? [path.resolve(photo.path)] : []))),
      claimed: new Set()
    };
    const date = templateDate();
    let modelId: string;
    let done = 0;
    let failed = 0;
    let bytesWritten = 0;
    const progress = (state: ExportProgress['state'], finished: ExportPhotoOutcome[], current?: ExportProgress['current'], within = 0): void => {
      this.emit({ batchId, state, photosDone: done, photosFailed: failed, photosTotal: total, fraction: Math.min(1, (done + failed + within) / total), bytesWritten, finished, ...(current === undefined ? {} : { current }) });
    };
    try {
      modelId = await this.source.modelId();
    } catch (error) {
      // No model: every photo fails with the reason (MODEL_NOT_INSTALLED), which the dialog shows once.
      const value = toErrorValue(error);
      const outcomes = photos.map((photo): ExportPhotoOutcome => ({ photoId: photo.id, photoName: 'name' in photo ? photo.name : photo.id, state: 'failed', error: value }));
      failed = total;
      progress('failed', outcomes);
      return;
    }
    progress('running', []);
    // The next photo's depth is asked for while this one is written, so the model and the writers overlap.
    const depthRequests = new Map<number, Promise<DepthMap>>();
    const depthOf = (index: number): Promise<DepthMap> | null => {
      const photo = photos[index];
      if (photo === undefined || !('path' in photo)) return null;
      let request = depthRequests.get(index);
      if (request === undefined) {
        request = this.source.depthOf(photo, signal);
        request.catch(() => undefined);
        depthRequests.set(index, request);
      }
      return request;
    };
    const leftOver = (from: number): ExportPhotoOutcome[] =>
      photos.slice(from).map((left) => ({ photoId: left.id, photoName: 'name' in left ? left.name : left.id, state: 'cancelled' }));
    try {
      for (const [index, photo] of photos.entries()) {
        if (signal.aborted) {
          progress('cancelled', leftOver(index));
          return;
        }
        if (!('path' in photo)) {
          failed += 1;
          progress('running', [{ photoId: photo.id, photoName: photo.id, state: 'failed', error: photo.error }]);
          continue;
        }
        let outcome: ExportPhotoOutcome;
        try {
          progress('running', [], { photoId: photo.id, photoName: photo.name, stage: 'depth' });
          const depth = await (depthOf(index) ?? this.source.depthOf(photo, signal));
          depthRequests.delete(index);
          if (signal.aborted) throw cancelled();
          const pixels = await this.source.pixelsOf(photo);
          const measuring = await this.source.measuringOf(photo);
          const intrinsics = await readPhotoIntrinsics(pixels, measuring.intrinsicsOverride ?? undefined);
          const calibration = calibrationForDepth(measuring.calibration, depth, intrinsics, request.applyCalibration);
          progress('running', [], { photoId: photo.id, photoName: photo.name, stage: 'writing' }, 0.5);
          batch.worker ??= new ExportWorker();
          void depthOf(index + 1);
          const values = { name: path.parse(photo.path).name, model: modelId, date };
          const exported = calibration.applied ? scaleDepthMap(depth, calibration.factor) : depth;
          const written = await this.writePhoto(batch.worker, { ...photo, path: pixels }, { depth: exported, calibration }, intrinsics, formats, kinds, request, values, naming, signal);
          if (written === null) outcome = { photoId: photo.id, photoName: photo.name, state: 'skipped' };
          else {
            bytesWritten += written.bytes;
            outcome = { photoId: photo.id, photoName: photo.name, state: 'done', files: written.files, bytes: written.bytes };
          }
        } catch (error) {
          if (signal.aborted) {
            progress('cancelled', leftOver(index));
            return;
          }
          outcome = { photoId: photo.id, photoName: photo.name, state: 'failed', error: toErrorValue(error) };
          // A worker that stopped (out of memory, crashed) is replaced for the next photo.
          if (outcome.error?.code === 'OUT_OF_MEMORY' || outcome.error?.code === 'CANCELLED') {
            await batch.worker?.terminate();
            batch.worker = null;
          }
        }
        if (outcome.state === 'failed') failed += 1;
        else done += 1;
        progress('running', [outcome]);
      }
      progress(signal.aborted ? 'cancelled' : 'done', []);
    } finally {
      await batch.worker?.terminate();
      batch.worker = null;
    }
  }

  /** Exports one photo (`photo.path`: the file its pixels are read from) into a staging folder, then renames its files into place (side-car last). */
  private async writePhoto(
    worker: ExportWorker,
    photo: BatchPhoto,
    { depth, calibration }: { depth: DepthMap; calibration: ExportedCalibration },
    intrinsics: Awaited<ReturnType<typeof readPhotoIntrinsics>>,
    formats: readonly ExportFormat[],
    kinds: readonly OutputKind[],
    request: BatchRequest,
    values: { name: string; model: string; date: string },
    naming: NamingContext,
    signal: AbortSignal
  ): Promise<{ files: string[]; bytes: number } | null> {
    const staging = await mkdtemp(path.join(request.outputFolder, '.zoe-export-')).catch((error: unknown) => {
      throw new ZoeError('IO_ERROR', `Zoe Studio cannot write into the export folder “${path.basename(request.outputFolder)}”. Check that it is still there and that you may write to it.`, {
        detail: error instanceof Error ? error.message : String(error),
        cause: error
      });
    });
    try {
      const options: ExportOptions = { ...request.options, onConflict: 'fail' };
      const result = await worker.exportDepth(depth, { path: photo.path, intrinsics }, formats, options, {
        folder: staging,
        toPhotoResolution: (map) => this.source.toPhotoResolution(map)
      });
      if (signal.aborted) throw cancelled();
      const names = await chooseOutputNames(request.namingTemplate, values, kinds, request.onConflict, naming);
      if (names === null) return null;
      const staged = new Map(result.files.map((file) => [file.format, file]));
      // The side-car lists the files by name: it gets the final names before it moves, and says whether the depths are calibrated.
      const sidecarFile = staged.get('json');
      if (sidecarFile === undefined) throw new ZoeError('INTERNAL', 'The export wrote no side-car.');
      const sidecar = sidecarSchema.parse(JSON.parse(await readFile(sidecarFile.path, 'utf8')));
      const renamed = { ...sidecar, calibration, files: sidecar.files.map((file) => ({ ...file, name: names.get(file.format) ?? file.name })) };
      await writeJsonAtomic(sidecarFile.path, renamed);
      const order = [...kinds.filter((kind) => kind !== 'json'), 'json' as const];
      let bytes = 0;
      const files: string[] = [];
      for (const kind of order) {
        const file = staged.get(kind);
        const finalName = names.get(kind);
        if (file === undefined || finalName === undefined) throw new ZoeError('INTERNAL', `The export did not write its ${kind} file.`);
        await rename(file.path, path.join(request.outputFolder, finalName));
        files.push(finalName);
        bytes += kind === 'json' ? (await stat(path.join(request.outputFolder, finalName))).size : file.bytes;
      }
      return { files, bytes };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}
