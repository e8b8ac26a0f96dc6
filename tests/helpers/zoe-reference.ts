/**
 * An independent, deliberately plain float64 re-implementation of ZoeDepth's `infer_pil` steps, to
 * check the engine against. It materialises every intermediate image (padded, resized, upsampled),
 * follows PyTorch's definitions literally, and shares no code with src/main/depth.
 *
 * Images are planes: `Float64Array[]`, one per channel, row-major, with explicit height and width.
 */

/** A multi-channel float64 image. */
export interface Planes {
  height: number;
  width: number;
  channels: Float64Array[];
}

function plane(height: number, width: number): Float64Array {
  return new Float64Array(height * width);
}

function at(p: Float64Array, width: number, y: number, x: number): number {
  const v = p[y * width + x];
  if (v === undefined) throw new Error(`read outside the image at (${x}, ${y})`);
  return v;
}

/** 8-bit interleaved RGB → three planes in [0,1] (`ToTensor`). */
export function rgbToPlanes(data: Uint8Array, width: number, height: number): Planes {
  const channels = [plane(height, width), plane(height, width), plane(height, width)];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const target = channels[c];
        const v = data[(y * width + x) * 3 + c];
        if (target === undefined || v === undefined) throw new Error('short RGB buffer');
        target[y * width + x] = v / 255;
      }
    }
  }
  return { height, width, channels };
}

/** `F.pad(x, [pw, pw, ph, ph], mode='reflect')`: mirror without repeating the edge; PyTorch requires pad < size. */
export function reflectPad(image: Planes, padRows: number, padColumns: number): Planes {
  if (padRows >= image.height || padColumns >= image.width) throw new Error('reflect padding must be smaller than the image');
  const height = image.height + 2 * padRows;
  const width = image.width + 2 * padColumns;
  const mirror = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  const channels = image.channels.map((source) => {
    const out = plane(height, width);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        out[y * width + x] = at(source, image.width, mirror(y - padRows, image.height), mirror(x - padColumns, image.width));
      }
    }
    return out;
  });
  return { height, width, channels };
}

/** `F.interpolate(x, (h, w), mode='bilinear', align_corners=True)`. */
export function bilinearAlignCorners(image: Planes, height: number, width: number): Planes {
  const sy = height > 1 ? (image.height - 1) / (height - 1) : 0;
  const sx = width > 1 ? (image.width - 1) / (width - 1) : 0;
  const channels = image.channels.map((source) => {
    const out = plane(height, width);
    for (let y = 0; y < height; y++) {
      const fy = y * sy;
      const y0 = Math.floor(fy);
      const y1 = Math.min(y0 + 1, image.height - 1);
      const ty = fy - y0;
      for (let x = 0; x < width; x++) {
        const fx = x * sx;
        const x0 = Math.floor(fx);
        const x1 = Math.min(x0 + 1, image.width - 1);
        const tx = fx - x0;
        out[y * width + x] =
          (1 - ty) * ((1 - tx) * at(source, image.width, y0, x0) + tx * at(source, image.width, y0, x1)) +
          ty * ((1 - tx) * at(source, image.width, y1, x0) + tx * at(source, image.width, y1, x1));
      }
    }
    return out;
  });
  return { height, width, channels };
}

/** PyTorch's cubic convolution kernel, a = −0.75, as a function of distance. */
export function cubicKernel(distance: number): number {
  const a = -0.75;
  const d = Math.abs(distance);
  if (d <= 1) return (a + 2) * d ** 3 - (a + 3) * d ** 2 + 1;
  if (d < 2) return a * d ** 3 - 5 * a * d ** 2 + 8 * a * d - 4 * a;
  return 0;
}

/**
 * One sample of `F.interpolate(x, (outH, outW), mode='bicubic', align_corners=False)` at a possibly
 * fractional output position (integer positions are the ordinary upsampled pixels); taps beyond
 * the border read the border pixel.
 */
export function bicubicSample(source: Float64Array, sourceHeight: number, sourceWidth: number, outHeight: number, outWidth: number, y: number, x: number): number {
  const fy = (y + 0.5) * (sourceHeight / outHeight) - 0.5;
  const fx = (x + 0.5) * (sourceWidth / outWidth) - 0.5;
  const y0 = Math.floor(fy);
  const x0 = Math.floor(fx);
  let sum = 0;
  for (let j = -1; j <= 2; j++) {
    const wy = cubicKernel(fy - (y0 + j));
    const yy = Math.min(Math.max(y0 + j, 0), sourceHeight - 1);
    for (let i = -1; i <= 2; i++) {
      const xx = Math.min(Math.max(x0 + i, 0), sourceWidth - 1);
      sum += wy * cubicKernel(fx - (x0 + i)) * at(source, sourceWidth, yy, xx);
    }
  }
  return sum;
}

/** The whole upsampled image. */
export function bicubicAlignCornersFalse(source: Float64Array, sourceHeight: number, sourceWidth: number, outHeight: number, outWidth: number): Float64Array {
  const out = plane(outHeight, outWidth);
  for (let y = 0; y < outHeight; y++) for (let x = 0; x < outWidth; x++) out[y * outWidth + x] = bicubicSample(source, sourceHeight, sourceWidth, outHeight, outWidth, y, x);
  return out;
}

/** `torch.flip(x, dims=[3])` of one plane. */
export function flipColumns(source: Float64Array, height: number, width: number): Float64Array {
  const out = plane(height, width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = at(source, width, y, width - 1 - x);
  return out;
}

/** `x[top:top+h, left:left+w]` of one plane. */
export function crop(source: Float64Array, sourceWidth: number, top: number, left: number, height: number, width: number): Float64Array {
  const out = plane(height, width);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = at(source, sourceWidth, top + y, left + x);
  return out;
}

/** `torch.clamp`. */
export function clamp(source: Float64Array, min: number, max: number): Float64Array {
  return source.map((v) => Math.min(Math.max(v, min), max));
}

/** The EXIF orientation transform (1–8) of interleaved RGB, applied by hand: stored → upright. */
export function applyExifOrientation(data: Uint8Array, width: number, height: number, orientation: number): { data: Uint8Array; width: number; height: number } {
  const swap = orientation >= 5;
  const outWidth = swap ? height : width;
  const outHeight = swap ? width : height;
  const out = new Uint8Array(outWidth * outHeight * 3);
  for (let v = 0; v < outHeight; v++) {
    for (let u = 0; u < outWidth; u++) {
      // Where upright pixel (u, v) is stored.
      let x: number;
      let y: number;
      switch (orientation) {
        case 2: [x, y] = [width - 1 - u, v]; break;
        case 3: [x, y] = [width - 1 - u, height - 1 - v]; break;
        case 4: [x, y] = [u, height - 1 - v]; break;
        case 5: [x, y] = [v, u]; break;
        case 6: [x, y] = [v, height - 1 - u]; break;
        case 7: [x, y] = [width - 1 - v, height - 1 - u]; break;
        case 8: [x, y] = [width - 1 - v, u]; break;
        default: [x, y] = [u, v];
      }
      for (let c = 0; c < 3; c++) out[(v * outWidth + u) * 3 + c] = data[(y * width + x) * 3 + c] ?? 0;
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}

/** The known function of a test model (mirrors tools/test-models.ts `DepthFunction`). */
export interface ReferenceDepthFunction {
  bias: number;
  red: number;
  green: number;
  blue: number;
  perColumn: number;
  perRow: number;
  /** Coefficients of the model-input pixel indices x and y (absent: 0). */
  perColumnPixel?: number;
  perRowPixel?: number;
  halfResolution: boolean;
}

/** What the test model computes on a model input in [0,1], in float64. */
export function referenceModel(input: Planes, fn: ReferenceDepthFunction, normalisation: { mean: number[]; std: number[] }): { height: number; width: number; depth: Float64Array } {
  const { height, width } = input;
  const full = plane(height, width);
  const coefficients = [fn.red, fn.green, fn.blue];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = fn.bias + (fn.perColumn * x) / width + (fn.perRow * y) / height + (fn.perColumnPixel ?? 0) * x + (fn.perRowPixel ?? 0) * y;
      for (let c = 0; c < 3; c++) {
        const channel = input.channels[c];
        if (channel === undefined) throw new Error('missing channel');
        v += (coefficients[c] ?? 0) * ((at(channel, width, y, x) - (normalisation.mean[c] ?? 0)) / (normalisation.std[c] ?? 1));
      }
      full[y * width + x] = v;
    }
  }
  if (!fn.halfResolution) return { height, width, depth: full };
  const h = Math.floor(height / 2);
  const w = Math.floor(width / 2);
  const pooled = plane(h, w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      pooled[y * w + x] = (at(full, width, 2 * y, 2 * x) + at(full, width, 2 * y, 2 * x + 1) + at(full, width, 2 * y + 1, 2 * x) + at(full, width, 2 * y + 1, 2 * x + 1)) / 4;
    }
  }
  return { height: h, width: w, depth: pooled };
}

/** Reference pipeline settings. */
export interface ReferenceSettings {
  fn: ReferenceDepthFunction;
  normalisation: { mean: number[]; std: number[] };
  /** The model input size for a padded size. */
  inputSize: (paddedHeight: number, paddedWidth: number) => { height: number; width: number };
  flip: boolean;
  pad: boolean;
  range: { min: number; max: number };
}

/**
 * ZoeDepth `infer_pil` on an upright photo with a test model, returning the function that gives
 * the (unclamped) depth at any photo position, and one making the full-resolution clamped map.
 */
export function referenceInferPil(photo: Planes, settings: ReferenceSettings): { at: (photoY: number, photoX: number) => number; full: () => Float64Array } {
  const padRows = settings.pad ? Math.floor(Math.sqrt(photo.height / 2) * 3) : 0;
  const padColumns = settings.pad ? Math.floor(Math.sqrt(photo.width / 2) * 3) : 0;
  const predict = (image: Planes): ((y: number, x: number) => number) => {
    const padded = padRows > 0 || padColumns > 0 ? reflectPad(image, padRows, padColumns) : image;
    const size = settings.inputSize(padded.height, padded.width);
    const input = bilinearAlignCorners(padded, size.height, size.width);
    const out = referenceModel(input, settings.fn, settings.normalisation);
    // Upsample to the padded size and crop, evaluated at photo coordinates.
    return (y, x) => bicubicSample(out.depth, out.height, out.width, padded.height, padded.width, y + padRows, x + padColumns);
  };
  const direct = predict(photo);
  let at: (y: number, x: number) => number = direct;
  if (settings.flip) {
    const flipped: Planes = { ...photo, channels: photo.channels.map((c) => flipColumns(c, photo.height, photo.width)) };
    const mirrored = predict(flipped);
    at = (y, x) => (direct(y, x) + mirrored(y, photo.width - 1 - x)) / 2;
  }
  const full = (): Float64Array => {
    const values = plane(photo.height, photo.width);
    for (let y = 0; y < photo.height; y++) for (let x = 0; x < photo.width; x++) values[y * photo.width + x] = at(y, x);
    return clamp(values, settings.range.min, settings.range.max);
  };
  return { at, full };
}

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
}
