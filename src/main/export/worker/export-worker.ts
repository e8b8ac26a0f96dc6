/**
 * Export worker thread entry: the writers' per-pixel loops (quantising, colouring, unprojecting,
 * meshing, compressing) run here so the main event loop never waits for them.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorValue } from '../../../shared/errors';
import { exportDepth } from '../export-depth';
import type { ExportReply, ExportRequest } from './protocol';

function reply(message: ExportReply): void {
  parentPort?.postMessage(message);
}

async function handle(request: ExportRequest): Promise<void> {
  try {
    const destination = request.folder === undefined ? {} : { folder: request.folder };
    const value = await exportDepth(request.depth, request.photo, request.formats, request.options, destination);
    reply({ id: request.id, kind: 'done', value });
  } catch (error) {
    reply({ id: request.id, kind: 'error', error: toErrorValue(error) });
  }
}

parentPort?.on('message', (request: ExportRequest) => {
  void handle(request);
});
