/**
 * The geometry of ZoeDepth's inference: how much padding, what size the model sees, and where the
 * display grid samples sit. Pure functions, no IO (see ARCHITECTURE.md, ZoeDepth facts).
 */
import type { ModelManifest } from '../../shared/manifest';

/** Reflect padding added on each side of the upright photo, in photo pixels. */
export interface Padding {
  /** Rows added above and below. */
  rows: number;
  /** Columns added left and right. */
  columns: number;
}

/** ZoeDepth's padding: `int(sqrt(h/2)*3)` rows and `int(sqrt(w/2)*3)` columns on each side. */
export function zoePadding(photoHeight: number, photoWidth: number, pad: boolean): Padding {
  if (!pad) return { rows: 0, columns: 0 };
  return {
    rows: Math.trunc(Math.sqrt(photoHeight / 2) * 3),
    columns: Math.trunc(Math.sqrt(photoWidth / 2) * 3)
  };
}

/** A size in pixels, height first as in NCHW tensors. */
export interface PixelSize {
  height: number;
  width: number;
}

/** NumPy's `np.round`: halves go to the even neighbour. */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function constrainToMultiple(value: number, multipleOf: number, min: number, max?: number): number {
  let y = roundHalfToEven(value / multipleOf) * multipleOf;
  if (max !== undefined && y > max) y = Math.floor(value / multipleOf) * multipleOf;
  if (y < min) y = Math.ceil(value / multipleOf) * multipleOf;
  return y;
}

/**
 * The size the model is fed for a (padded) image: exactly the manifest's size for fixed-input
 * exports; for dynamic inputs, MiDaS's `Resize(keep_aspect_ratio=True, ensure_multiple_of=32)` with
 * its `minimal`, `upper_bound` or `lower_bound` policy.
 */
export function modelInputSize(manifest: ModelManifest, paddedHeight: number, paddedWidth: number): PixelSize {
  const size = manifest.input.size;
  if (size.kind === 'fixed') return { height: size.height, width: size.width };
  let scaleHeight = size.targetHeight / paddedHeight;
  let scaleWidth = size.targetWidth / paddedWidth;
  if (size.policy === 'lower_bound') {
    if (scaleWidth > scaleHeight) scaleHeight = scaleWidth;
    else scaleWidth = scaleHeight;
  } else if (size.policy === 'upper_bound') {
    if (scaleWidth < scaleHeight) scaleHeight = scaleWidth;
    else scaleWidth = scaleHeight;
  } else if (Math.abs(1 - scaleWidth) < Math.abs(1 - scaleHeight)) {
    scaleHeight = scaleWidth;
  } else {
    scaleWidth = scaleHeight;
  }
  const m = size.multipleOf;
  if (size.policy === 'lower_bound') {
    return {
      height: constrainToMultiple(scaleHeight * paddedHeight, m, size.targetHeight),
      width: constrainToMultiple(scaleWidth * paddedWidth, m, size.targetWidth)
    };
  }
  if (size.policy === 'upper_bound') {
    return {
      height: constrainToMultiple(scaleHeight * paddedHeight, m, 0, size.targetHeight),
      width: constrainToMultiple(scaleWidth * paddedWidth, m, 0, size.targetWidth)
    };
  }
  // MiDaS would produce a zero-sized input for a photo a few pixels tall; one multiple is the floor.
  return {
    height: Math.max(m, constrainToMultiple(scaleHeight * paddedHeight, m, 0)),
    width: Math.max(m, constrainToMultiple(scaleWidth * paddedWidth, m, 0))
  };
}

/**
 * PyTorch's `reflect` padding index: the photo row/column read for padded position `i - pad`.
 * Reflection repeats (with period 2(n−1)) if the padding is larger than the photo, where PyTorch
 * itself would refuse; a one-pixel side reads its only pixel.
 */
export function reflectIndex(index: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * (size - 1);
  let i = index % period;
  if (i < 0) i += period;
  return i < size ? i : period - i;
}

/**
 * The display grid for a photo: its aspect ratio at about `pixelCount` samples (the model's output
 * size), never more samples than the photo has pixels.
 */
export function displayGridSize(photoHeight: number, photoWidth: number, pixelCount: number): PixelSize {
  if (photoHeight * photoWidth <= pixelCount) return { height: photoHeight, width: photoWidth };
  const aspect = photoWidth / photoHeight;
  const height = Math.min(photoHeight, Math.max(1, Math.round(Math.sqrt(pixelCount / aspect))));
  const width = Math.min(photoWidth, Math.max(1, Math.round(height * aspect)));
  return { height, width };
}
