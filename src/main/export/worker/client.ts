/**
 * The main-thread side of the export worker: one thread, requests matched to replies by id, error
 * values turned back into `ZoeError`s. The entry is `export-worker.js` beside the bundle in the
 * electron-vite build, or `export-worker.ts` beside this file from sources (src/main/workers/locate.ts).
 */
import type { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { DepthMap } from '../../../shared/depth';
import { ZoeError } from '../../../shared/errors';
import { exportFormatSchema, exportOptionsSchema, type ExportFormat } from '../../../shared/export';
import type { ExportDestination, ExportPhoto, ExportResult } from '../export-depth';
import { startWorkerThread } from '../../workers/locate';
import { PendingRequests } from '../../workers/pending';
import type { ExportReply, ExportRequest } from './protocol';

function startWorker(): Worker {
  return startWorkerThread({ directory: __dirname, name: 'export-worker', part: 'the exporter' });
}

/** A thread that runs exports one message at a time; start one per window or batch and reuse it. */
export class ExportWorker {
  private readonly worker: Worker;
  private readonly pending = new PendingRequests<ExportResult>();
  private exited = false;
  private stopping = false;

  constructor() {
    this.worker = startWorker();
    this.worker.on('message', (message: ExportReply) => this.pending.settle(message));
    this.worker.on('error', (error) =>
      this.pending.failAll(new ZoeError('INTERNAL', 'The exporter stopped unexpectedly.', { detail: error.stack ?? error.message, cause: error }))
    );
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.pending.failAll(
        code === 0 || this.stopping
          ? new ZoeError('CANCELLED', 'The export was stopped.', { detail: 'worker exit code 0' })
          : new ZoeError('OUT_OF_MEMORY', 'The exporter stopped (it may have run out of memory).', { detail: `worker exit code ${code}` })
      );
    });
  }

  /**
   * `exportDepth` on the worker thread. Full resolution is reached here first (the depth engine's
   * `toPhotoResolution` runs where the engine lives); the depth is copied, not moved, to the thread.
   */
  async exportDepth(
    depth: DepthMap,
    photo: ExportPhoto,
    formats: readonly ExportFormat[],
    options: z.input<typeof exportOptionsSchema> = {},
    destination: ExportDestination = {}
  ): Promise<ExportResult> {
    const settings = exportOptionsSchema.safeParse(options);
    if (!settings.success) throw new ZoeError('INVALID_ARGUMENT', 'Some export settings are not valid.', { detail: z.prettifyError(settings.error) });
    const wanted = z.array(exportFormatSchema).safeParse(formats);
    if (!wanted.success) throw new ZoeError('INVALID_ARGUMENT', 'Choose only known export formats.', { detail: z.prettifyError(wanted.error) });
    let exported = depth;
    const atPhotoSize = depth.width === depth.photoWidth && depth.height === depth.photoHeight;
    if (settings.data.resolution === 'photo' && !atPhotoSize && destination.toPhotoResolution !== undefined) {
      exported = await destination.toPhotoResolution(depth);
    }
    if (this.exited) throw new ZoeError('INTERNAL', 'The exporter is not running.');
    return this.pending.open({}, (id) => {
      const request: ExportRequest = { id, kind: 'export', depth: exported, photo, formats: wanted.data, options: settings.data, folder: destination.folder };
      this.worker.postMessage(request);
    });
  }

  /** Stops the thread; exports under way fail with CANCELLED (files already renamed into place stay). */
  async terminate(): Promise<void> {
    if (this.exited) return;
    this.stopping = true;
    await this.worker.terminate();
  }
}
