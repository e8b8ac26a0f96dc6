/**
 * A photo's calibration (a reference line of known length, kept by the measuring side) applied to
 * its exported depth, the same way the measurements apply it: the reference line measured again on
 * this depth and camera, so the factor follows another model or a corrected camera.
 */
import type { PhotoCalibration } from '../../shared/api/measure';
import type { Intrinsics } from '../../shared/camera';
import type { DepthMap } from '../../shared/depth';
import { calibrationFromReference } from '../../shared/measure/measures';
import { attachModelOutput, modelOutputOf } from '../depth/model-output';

/** What the side-car records about calibration. */
export interface ExportedCalibration {
  /** Whether the exported depths are the model's multiplied by `factor`. */
  applied: boolean;
  /** The factor for this depth (1 when the photo has no calibration). */
  factor: number;
  /** The reference the photographer gave, when there is one. */
  reference: { knownLengthMetres: number; measuredMetres: number; calibratedOnModel: string } | null;
  /** True when the factor was worked out again because the depth comes from another model than the calibration's. */
  recomputed: boolean;
}

/** No calibration kept for the photo: the model's own scale. */
export const UNCALIBRATED: ExportedCalibration = { applied: false, factor: 1, reference: null, recomputed: false };

/** The factor of `stored` for this depth map, and the side-car's record of it. */
export function calibrationForDepth(stored: PhotoCalibration | null, depth: DepthMap, intrinsics: Intrinsics, apply: boolean): ExportedCalibration {
  if (stored === null) return UNCALIBRATED;
  const reference = { knownLengthMetres: stored.knownLengthMetres, measuredMetres: stored.measuredMetres, calibratedOnModel: stored.modelId };
  const { factor } = calibrationFromReference({ depth, intrinsics }, { from: stored.from, to: stored.to, knownMetres: stored.knownLengthMetres });
  return { applied: apply && factor !== 1, factor, reference, recomputed: stored.modelId !== depth.modelId };
}

function scaled(metres: Float32Array, factor: number): Float32Array {
  const result = new Float32Array(metres.length);
  for (let index = 0; index < result.length; index += 1) result[index] = (metres[index] as number) * factor;
  return result;
}

/**
 * The depth map with every depth (and the valid range) multiplied by `factor`; the same map for 1.
 * The model output it carries for full resolution is scaled too, so the full-resolution map is calibrated alike.
 */
export function scaleDepthMap(depth: DepthMap, factor: number): DepthMap {
  if (factor === 1) return depth;
  const range = { min: depth.range.min * factor, max: depth.range.max * factor };
  const result: DepthMap = { ...depth, metres: scaled(depth.metres, factor), range };
  const output = modelOutputOf(depth);
  return output === undefined ? result : attachModelOutput(result, { ...output, metres: scaled(output.metres, factor), range: { min: output.range.min * factor, max: output.range.max * factor } });
}
