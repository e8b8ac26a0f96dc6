/**
 * The model-resolution depth behind a display `DepthMap`, which `DepthEngine.toPhotoResolution`
 * needs to make the full-resolution map.
 *
 * It rides on the DepthMap as a non-enumerable property: `JSON.stringify`, spreading and IPC
 * (structured clone) leave it behind, so the renderer never receives it. Code that stores depth maps
 * (the depth cache) keeps it with `modelOutputOf` and puts it back with `attachModelOutput`.
 */
import type { DepthMap } from '../../shared/depth';
import type { Padding } from './geometry';

/** The flip-averaged model output of one photo and the geometry that places it on the photo. */
export interface ModelDepthOutput {
  /** Metres at model output resolution, row-major, not yet clamped. */
  metres: Float32Array;
  width: number;
  height: number;
  /** Reflect padding that was added around the photo before the model saw it. */
  padding: Padding;
  photoWidth: number;
  photoHeight: number;
  /** The model's valid range: upsampled values are clamped to it. */
  range: { min: number; max: number };
}

const MODEL_OUTPUT = Symbol.for('zoe-studio.depth.modelOutput');

/** Attaches (non-enumerably) the model output a display map was made from. */
export function attachModelOutput<T extends DepthMap>(depth: T, output: ModelDepthOutput): T {
  Object.defineProperty(depth, MODEL_OUTPUT, { value: output, enumerable: false, writable: false, configurable: true });
  return depth;
}

/** The model output behind a depth map, if it still carries it. */
export function modelOutputOf(depth: DepthMap): ModelDepthOutput | undefined {
  const value: unknown = Reflect.get(depth, MODEL_OUTPUT);
  return isModelDepthOutput(value) ? value : undefined;
}

function isModelDepthOutput(value: unknown): value is ModelDepthOutput {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ModelDepthOutput>;
  return v.metres instanceof Float32Array && typeof v.width === 'number' && typeof v.height === 'number' && v.metres.length === v.width * v.height;
}
