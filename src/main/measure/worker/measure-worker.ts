/**
 * Measuring worker thread entry: the per-pixel work of the measuring tools (RANSAC plane fits over
 * an area's depth, sampling a region for a height's ground) runs here so the main event loop, and
 * with it the interface, never waits for it.
 */
import { parentPort } from 'node:worker_threads';
import { toErrorValue } from '../../../shared/errors';
import { computeMeasurements } from '../compute';
import type { MeasureReply, MeasureRequest } from './protocol';

function reply(message: MeasureReply): void {
  parentPort?.postMessage(message);
}

parentPort?.on('message', (request: MeasureRequest) => {
  try {
    reply({ id: request.id, kind: 'done', value: computeMeasurements(request.context, request.inputs) });
  } catch (error) {
    reply({ id: request.id, kind: 'error', error: toErrorValue(error) });
  }
});
