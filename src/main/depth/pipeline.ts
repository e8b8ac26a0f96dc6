/**
 * ZoeDepth's `infer_pil` for one photo, as the depth worker runs it: decode once, reflect-pad and
 * resize straight from the 8-bit pixels, run (twice with flip averaging: the flipped input is the
 * mirrored model input because the padding is symmetric), average at model resolution (resize and
 * crop are linear and commute with the flip), then evaluate the bicubic upsampling only on the
 * display grid. The model-resolution result is kept so the full-resolution map can be made later.
 */
import type { DepthOptions, DepthTimings } from '../../shared/depth';
import type { ModelManifest } from '../../shared/manifest';
import { ZoeError } from '../../shared/errors';
import { decodePhoto } from './decode';
import type { Padding, PixelSize } from './geometry';
import { displayGridSize, modelInputSize, zoePadding } from './geometry';
import type { ModelDepthOutput } from './model-output';
import { averageWithMirrored, cubicTaps, mirrorColumns, modelInputFromPhoto, resampleBicubic } from './resample';
import type { OutputTensor } from './session-host';

/** Runs the model once on an NCHW input; the session host does it in the worker. */
export type ModelRunner = (input: Float32Array, dims: readonly number[]) => Promise<OutputTensor>;

/** A depth estimate as the worker returns it, before it becomes a `DepthMap`. */
export interface WorkerDepthResult {
  grid: PixelSize;
  /** Metres on the display grid, clamped. */
  metres: Float32Array;
  modelOutput: ModelDepthOutput;
  orientation: number;
  timings: Omit<DepthTimings, 'totalMs'>;
}

/** The depth plane of an output tensor: its last two dimensions, everything before them of size 1. */
export function depthPlane(output: OutputTensor): PixelSize {
  const dims = output.dims;
  const height = dims[dims.length - 2];
  const width = dims[dims.length - 1];
  const leading = dims.slice(0, -2).reduce((a, b) => a * b, 1);
  if (height === undefined || width === undefined || leading !== 1 || height * width !== output.data.length) {
    throw new ZoeError('MODEL_INVALID', 'The model output is not a single depth map; check the output named in its manifest.', {
      detail: `output dims [${dims.join(', ')}]`
    });
  }
  return { height, width };
}

/** Makes the display-grid (or any grid) map from a model-resolution output. */
export function upsampleModelOutput(output: ModelDepthOutput, grid: PixelSize): Float32Array {
  const rows = cubicTaps(grid.height, output.photoHeight, output.padding.rows, output.height);
  const cols = cubicTaps(grid.width, output.photoWidth, output.padding.columns, output.width);
  return resampleBicubic(output.metres, { height: output.height, width: output.width }, rows, cols, output.range);
}

/** The whole per-photo pipeline; `run` is the session's bare run. */
export async function estimateDepth(
  photo: string | Uint8Array,
  manifest: ModelManifest,
  options: DepthOptions,
  run: ModelRunner
): Promise<WorkerDepthResult> {
  let mark = performance.now();
  const decoded = await decodePhoto(photo);
  const decodeMs = performance.now() - mark;

  mark = performance.now();
  const padding: Padding = zoePadding(decoded.height, decoded.width, options.pad);
  const input = modelInputSize(manifest, decoded.height + 2 * padding.rows, decoded.width + 2 * padding.columns);
  const pixels = { data: decoded.data, width: decoded.width, height: decoded.height };
  const tensor = modelInputFromPhoto(pixels, padding, input, manifest.input.normalisation);
  const dims = [1, 3, input.height, input.width];
  const mirrored = options.flip ? mirrorColumns(tensor, 3, input.height, input.width) : undefined;
  const preprocessMs = performance.now() - mark;

  mark = performance.now();
  const direct = await run(tensor, dims);
  let inferenceMs = performance.now() - mark;
  let flipped: OutputTensor | undefined;
  if (mirrored !== undefined) {
    mark = performance.now();
    flipped = await run(mirrored, dims);
    inferenceMs += performance.now() - mark;
  }

  mark = performance.now();
  const plane = depthPlane(direct);
  const metres = flipped === undefined ? direct.data : averageWithMirrored(direct.data, flipped.data, plane.height, plane.width);
  const modelOutput: ModelDepthOutput = {
    metres,
    width: plane.width,
    height: plane.height,
    padding,
    photoWidth: decoded.width,
    photoHeight: decoded.height,
    range: { min: manifest.depthRange.min, max: manifest.depthRange.max }
  };
  const grid = displayGridSize(decoded.height, decoded.width, plane.height * plane.width);
  const display = upsampleModelOutput(modelOutput, grid);
  const postprocessMs = performance.now() - mark;

  return { grid, metres: display, modelOutput, orientation: decoded.orientation, timings: { decodeMs, preprocessMs, inferenceMs, postprocessMs } };
}
