/**
 * The per-pixel math of ZoeDepth's pre- and post-processing, written to touch each pixel once:
 * - the model input is sampled (PyTorch bilinear, align_corners=True) straight from the 8-bit photo
 *   through the reflect-padding index map, so no padded float image is ever made;
 * - the output is upsampled (PyTorch bicubic, align_corners=False, a = −0.75) only at the samples
 *   asked for (a display grid or every photo pixel), the padding crop folded into the coordinates.
 * Pure functions over typed arrays; the worker threads call them (see depth-worker.ts).
 */
import type { Padding, PixelSize } from './geometry';
import { reflectIndex } from './geometry';

/** An upright 8-bit RGB photo, row-major, 3 bytes per pixel. */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** How input values are normalised before the model: in the graph (nothing to do) or here. */
export type InputNormalisation = { kind: 'in-graph' } | { kind: 'external'; mean: [number, number, number]; std: [number, number, number] };

interface LinearTaps {
  first: Int32Array;
  second: Int32Array;
  weight: Float64Array;
}

/** Bilinear align_corners=True taps along one axis, already mapped to photo pixels through the reflection. */
function linearTaps(outputCount: number, paddedCount: number, padding: number, photoCount: number): LinearTaps {
  const first = new Int32Array(outputCount);
  const second = new Int32Array(outputCount);
  const weight = new Float64Array(outputCount);
  const scale = outputCount > 1 ? (paddedCount - 1) / (outputCount - 1) : 0;
  for (let i = 0; i < outputCount; i++) {
    const source = scale * i;
    const lower = Math.min(Math.floor(source), paddedCount - 1);
    const upper = lower < paddedCount - 1 ? lower + 1 : lower;
    first[i] = reflectIndex(lower - padding, photoCount);
    second[i] = reflectIndex(upper - padding, photoCount);
    weight[i] = source - lower;
  }
  return { first, second, weight };
}

/**
 * The NCHW float32 model input for a photo: reflect-padded by `padding`, resized to `input` with
 * bilinear align_corners=True, values in [0,1] (then normalised when the manifest says so).
 */
export function modelInputFromPhoto(photo: RgbPixels, padding: Padding, input: PixelSize, normalisation: InputNormalisation): Float32Array {
  const paddedHeight = photo.height + 2 * padding.rows;
  const paddedWidth = photo.width + 2 * padding.columns;
  const rows = linearTaps(input.height, paddedHeight, padding.rows, photo.height);
  const cols = linearTaps(input.width, paddedWidth, padding.columns, photo.width);
  const plane = input.height * input.width;
  const tensor = new Float32Array(3 * plane);
  const scale = new Float64Array(3);
  const offset = new Float64Array(3);
  for (let c = 0; c < 3; c++) {
    const mean = normalisation.kind === 'external' ? normalisation.mean[c] : 0;
    const std = normalisation.kind === 'external' ? normalisation.std[c] : 1;
    scale[c] = 1 / (255 * std);
    offset[c] = -mean / std;
  }
  const data = photo.data;
  const stride = photo.width * 3;
  const colFirst = new Int32Array(input.width);
  const colSecond = new Int32Array(input.width);
  for (let x = 0; x < input.width; x++) {
    colFirst[x] = (cols.first[x]) * 3;
    colSecond[x] = (cols.second[x]) * 3;
  }
  for (let y = 0; y < input.height; y++) {
    const top = (rows.first[y]) * stride;
    const bottom = (rows.second[y]) * stride;
    const wy = rows.weight[y];
    const out = y * input.width;
    for (let x = 0; x < input.width; x++) {
      const left = colFirst[x];
      const right = colSecond[x];
      const wx = cols.weight[x];
      for (let c = 0; c < 3; c++) {
        const a = (data[top + left + c]) + ((data[top + right + c]) - (data[top + left + c])) * wx;
        const b = (data[bottom + left + c]) + ((data[bottom + right + c]) - (data[bottom + left + c])) * wx;
        tensor[c * plane + out + x] = (a + (b - a) * wy) * (scale[c]) + (offset[c]);
      }
    }
  }
  return tensor;
}

/** Each row of each plane mirrored left-right: the model input of the horizontally flipped photo. */
export function mirrorColumns(values: Float32Array, planes: number, height: number, width: number): Float32Array {
  const mirrored = new Float32Array(values.length);
  for (let p = 0; p < planes * height; p++) {
    const row = p * width;
    const end = row + width - 1;
    for (let x = 0; x < width; x++) mirrored[row + x] = values[end - x];
  }
  return mirrored;
}

/** (a + mirror(b)) / 2 for one plane: ZoeDepth's flip averaging, done at model resolution. */
export function averageWithMirrored(direct: Float32Array, mirroredPrediction: Float32Array, height: number, width: number): Float32Array {
  const averaged = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const end = row + width - 1;
    for (let x = 0; x < width; x++) averaged[row + x] = ((direct[row + x]) + (mirroredPrediction[end - x])) / 2;
  }
  return averaged;
}

const CUBIC_A = -0.75;

/** PyTorch's cubic convolution weights for the four taps around a fraction `t` in [0,1). */
export function cubicWeights(t: number): [number, number, number, number] {
  const near = (x: number): number => ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
  const far = (x: number): number => ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/** Four source indices and weights per output sample along one axis. */
export interface CubicTaps {
  count: number;
  index: Int32Array;
  weight: Float64Array;
}

/**
 * Bicubic (align_corners=False) taps for `sampleCount` grid samples covering a photo axis of
 * `photoCount` pixels, where the model output (`sourceCount` samples) covers the padded axis
 * (`photoCount + 2 * padding`). Sample i sits at photo pixel (i + 0.5) * photoCount / sampleCount − 0.5.
 */
export function cubicTaps(sampleCount: number, photoCount: number, padding: number, sourceCount: number): CubicTaps {
  const index = new Int32Array(4 * sampleCount);
  const weight = new Float64Array(4 * sampleCount);
  const paddedCount = photoCount + 2 * padding;
  const scale = sourceCount / paddedCount;
  const photoStep = photoCount / sampleCount;
  for (let i = 0; i < sampleCount; i++) {
    const paddedPixel = (i + 0.5) * photoStep - 0.5 + padding;
    const source = (paddedPixel + 0.5) * scale - 0.5;
    const base = Math.floor(source);
    const w = cubicWeights(source - base);
    for (let k = 0; k < 4; k++) {
      index[4 * i + k] = Math.min(Math.max(base - 1 + k, 0), sourceCount - 1);
      weight[4 * i + k] = w[k];
    }
  }
  return { count: sampleCount, index, weight };
}

/**
 * Separable bicubic evaluation of a model-resolution map at the given taps, clamped to
 * [min, max]: rows first into a float64 buffer, then columns.
 */
export function resampleBicubic(
  source: Float32Array,
  sourceSize: PixelSize,
  rows: CubicTaps,
  cols: CubicTaps,
  range: { min: number; max: number }
): Float32Array {
  const outWidth = cols.count;
  const horizontal = new Float64Array(sourceSize.height * outWidth);
  for (let r = 0; r < sourceSize.height; r++) {
    const src = r * sourceSize.width;
    const dst = r * outWidth;
    for (let x = 0; x < outWidth; x++) {
      const t = 4 * x;
      horizontal[dst + x] =
        (source[src + (cols.index[t])]) * (cols.weight[t]) +
        (source[src + (cols.index[t + 1])]) * (cols.weight[t + 1]) +
        (source[src + (cols.index[t + 2])]) * (cols.weight[t + 2]) +
        (source[src + (cols.index[t + 3])]) * (cols.weight[t + 3]);
    }
  }
  const out = new Float32Array(rows.count * outWidth);
  const { min, max } = range;
  for (let y = 0; y < rows.count; y++) {
    const t = 4 * y;
    const r0 = (rows.index[t]) * outWidth;
    const r1 = (rows.index[t + 1]) * outWidth;
    const r2 = (rows.index[t + 2]) * outWidth;
    const r3 = (rows.index[t + 3]) * outWidth;
    const w0 = rows.weight[t];
    const w1 = rows.weight[t + 1];
    const w2 = rows.weight[t + 2];
    const w3 = rows.weight[t + 3];
    const dst = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      const v = (horizontal[r0 + x]) * w0 + (horizontal[r1 + x]) * w1 + (horizontal[r2 + x]) * w2 + (horizontal[r3 + x]) * w3;
      out[dst + x] = v < min ? min : v > max ? max : v;
    }
  }
  return out;
}
