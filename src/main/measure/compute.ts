/**
 * A saved or drafted measurement's value with the app's measuring tools (src/shared/measure): one
 * measurement that cannot be measured (no depth under a point) gets its own error, the others
 * their values.
 */
import type { CameraPoint, ComputedMeasurement, MeasurementDraft, SavedMeasurement } from '../../shared/api/measure';
import { toErrorValue } from '../../shared/errors';
import {
  measureAngle,
  measureArea,
  measureDistance,
  measureHeight,
  measurePointDepth,
  measurePolyline,
  type MeasureContext,
  type MeasureResult
} from '../../shared/measure/measures';
import type { Vec3 } from '../../shared/measure/vector';

/** A measurement as computing needs it: a draft, or a saved one. */
export type MeasurementInput = Pick<MeasurementDraft, 'kind' | 'points' | 'ground'> & { id?: string; name?: string };

function cameraPoint(point: Vec3): CameraPoint {
  return [point[0], point[1], point[2]];
}

function pointAt<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new RangeError(`point ${index} is missing`);
  return item;
}

/** Runs the tool of one measurement. */
export function measureOne(context: MeasureContext, input: MeasurementInput): MeasureResult {
  const points = input.points;
  switch (input.kind) {
    case 'point-depth':
      return measurePointDepth(context, pointAt(points, 0));
    case 'distance':
      return measureDistance(context, pointAt(points, 0), pointAt(points, 1));
    case 'polyline':
      return measurePolyline(context, points);
    case 'area':
      return measureArea(context, points);
    case 'height':
      return measureHeight(context, input.ground ?? [], pointAt(points, 0));
    case 'angle':
      return measureAngle(context, pointAt(points, 0), pointAt(points, 1), pointAt(points, 2));
  }
}

function cameraPointsOf(result: MeasureResult): CameraPoint[] {
  switch (result.kind) {
    case 'point-depth':
      return [cameraPoint(result.point.camera)];
    case 'distance':
    case 'polyline':
    case 'angle':
      return result.points.map((point) => cameraPoint(point.camera));
    case 'area':
      return result.vertices.map(cameraPoint);
    case 'height':
      return [cameraPoint(result.point.camera), cameraPoint(result.foot)];
  }
}

/** The unit a tool's value is in. */
export function unitOf(kind: MeasurementInput['kind']): 'm' | 'm²' | '°' {
  return kind === 'area' ? 'm²' : kind === 'angle' ? '°' : 'm';
}

/** Values of measurements; each failure stays with its measurement. */
export function computeMeasurements(context: MeasureContext, inputs: readonly (MeasurementInput | SavedMeasurement)[]): ComputedMeasurement[] {
  return inputs.map((input) => {
    const label = { ...(input.id === undefined ? {} : { id: input.id }), ...(input.name === undefined ? {} : { name: input.name }), kind: input.kind };
    try {
      const result = measureOne(context, input);
      return { ...label, ok: true, value: result.value, unit: unitOf(input.kind), band: result.uncertainty?.band ?? null, cameraPoints: cameraPointsOf(result) };
    } catch (error) {
      return { ...label, ok: false, error: toErrorValue(error) };
    }
  });
}
