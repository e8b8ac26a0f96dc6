/**
 * Messages between the main thread and the measuring worker thread. Both ends are this code base;
 * each request carries an id and gets exactly one `done` or `error` reply.
 */
import type { ComputedMeasurement } from '../../../shared/api/measure';
import type { ZoeErrorValue } from '../../../shared/errors';
import type { MeasureContext } from '../../../shared/measure/measures';
import type { MeasurementInput } from '../compute';

/** Values of measurements on one photo: its depth grid, camera and calibration, and the measurements. */
export interface MeasureRequest {
  id: number;
  kind: 'compute';
  context: MeasureContext;
  inputs: MeasurementInput[];
}

export type MeasureReply = { id: number; kind: 'done'; value: ComputedMeasurement[] } | { id: number; kind: 'error'; error: ZoeErrorValue };
