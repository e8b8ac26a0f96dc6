/**
 * Depth at a point of the photo, robustly. A single depth value is fragile (model noise, a depth
 * edge under the cursor, invalid values), so the depth at a photo pixel is read from a small window
 * of the depth grid around it:
 *
 * - invalid values (NaN, infinite, ≤ 0, outside the model's range) are ignored;
 * - when the window is smooth, the depth is interpolated bilinearly at the exact sub-pixel
 *   position; "smooth" (the "flat" window) means an affine fit of inverse depth over the window's
 *   valid values leaves no residual above `smoothTolerance` (2 %) of the window's median inverse
 *   depth. Inverse depth is used because on any plane it is exactly affine in image coordinates, so
 *   bilinear interpolation of it is exact on flat surfaces however steeply they are seen, where
 *   interpolating depth itself would bow. (If a bilinear corner is invalid, the fit is evaluated.)
 * - near a depth edge (a box's top edge against the floor far behind), the samples of the surface
 *   under the point are picked out, grown from the valid cell nearest to it (inverse depth within
 *   15 % of it, then those an affine fit explains within `smoothTolerance`), and that fit is
 *   evaluated at the sub-pixel position: a point picked just inside an object's outline gets the
 *   object's depth, not a blend;
 * - otherwise (a thin object, a speck of noise), the median of the valid values is used, so the
 *   result is a depth of one surface or the other, never a blend floating between them.
 */
import type { DepthMap } from '../depth';

/** The part of a {@link DepthMap} that sampling needs; any depth grid over an upright photo. */
export type DepthGrid = Pick<DepthMap, 'width' | 'height' | 'metres' | 'photoWidth' | 'photoHeight'> & {
  /** Valid depth range; values outside it are ignored. */
  range?: { min: number; max: number };
};

/** How a depth was read. */
export interface DepthSampleOptions {
  /** Half size of the window in grid cells: 2 gives a 5 × 5 window. */
  windowRadius: number;
  /** Largest residual of the inverse-depth fit, relative to inverse depth, for a smooth window. */
  smoothTolerance: number;
}

export const DEFAULT_SAMPLE_OPTIONS: DepthSampleOptions = { windowRadius: 2, smoothTolerance: 0.02 };

/** A depth read at a photo pixel. */
export interface DepthSample {
  /** Depth (z-distance) in metres, before any calibration. */
  metres: number;
  /** `bilinear` on a smooth window, `surface-fit` beside a depth edge, `median` otherwise. */
  method: 'bilinear' | 'surface-fit' | 'median';
  /** Valid values in the window. */
  validCount: number;
}

/** Grid coordinates of a photo pixel (pixel centres at integer coordinates in both). */
export function photoToGrid(grid: DepthGrid, u: number, v: number): { x: number; y: number } {
  return {
    x: ((u + 0.5) * grid.width) / grid.photoWidth - 0.5,
    y: ((v + 0.5) * grid.height) / grid.photoHeight - 0.5
  };
}

/** Photo pixel of grid coordinates (the inverse of {@link photoToGrid}). */
export function gridToPhoto(grid: DepthGrid, x: number, y: number): { u: number; v: number } {
  return {
    u: ((x + 0.5) * grid.photoWidth) / grid.width - 0.5,
    v: ((y + 0.5) * grid.photoHeight) / grid.height - 0.5
  };
}

/** True when a depth value can be measured with. */
export function isValidDepth(grid: DepthGrid, value: number): boolean {
  if (!Number.isFinite(value) || value <= 0) return false;
  return grid.range === undefined || (value >= grid.range.min && value <= grid.range.max);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Solves the 3 × 3 system `m · s = r` by Cramer's rule; null when singular. */
function solve3(m: number[], r: number[]): [number, number, number] | null {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  if (Math.abs(det) < 1e-12) return null;
  const [r0, r1, r2] = r;
  return [
    (r0 * (e * i - f * h) - b * (r1 * i - f * r2) + c * (r1 * h - e * r2)) / det,
    (a * (r1 * i - f * r2) - r0 * (d * i - f * g) + c * (d * r2 - r1 * g)) / det,
    (a * (e * r2 - r1 * h) - b * (d * r2 - r1 * g) + r0 * (d * h - e * g)) / det
  ];
}

/** Least-squares affine fit z ≈ a + b·x + c·y over the chosen samples; null when degenerate. */
function affineFit(xs: readonly number[], ys: readonly number[], zs: readonly number[], members: readonly number[]): [number, number, number] | null {
  if (members.length < 4) return null;
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, sz = 0, sxz = 0, syz = 0;
  for (const k of members) {
    const x = xs[k], y = ys[k], z = zs[k];
    n++; sx += x; sy += y; sxx += x * x; sxy += x * y; syy += y * y; sz += z; sxz += x * z; syz += y * z;
  }
  return solve3([n, sx, sy, sx, sxx, sxy, sy, sxy, syy], [sz, sxz, syz]);
}

/** The samples an affine fit explains within `tolerance × reference`. */
function explained(fit: [number, number, number], xs: readonly number[], ys: readonly number[], zs: readonly number[], limit: number): number[] {
  const members: number[] = [];
  for (let k = 0; k < zs.length; k++) if (Math.abs(zs[k] - (fit[0] + fit[1] * xs[k] + fit[2] * ys[k])) <= limit) members.push(k);
  return members;
}

/**
 * The depth at photo pixel (u, v) of the upright photo (sub-pixel positions allowed), or null when
 * the point is off the photo or no valid depth lies near it.
 */
export function sampleDepth(grid: DepthGrid, u: number, v: number, options: DepthSampleOptions = DEFAULT_SAMPLE_OPTIONS): DepthSample | null {
  const { x, y } = photoToGrid(grid, u, v);
  if (!(x >= -0.5 && y >= -0.5 && x <= grid.width - 0.5 && y <= grid.height - 0.5)) return null;
  const centreX = Math.min(grid.width - 1, Math.max(0, Math.round(x)));
  const centreY = Math.min(grid.height - 1, Math.max(0, Math.round(y)));
  const radius = Math.max(0, Math.floor(options.windowRadius));
  const xs: number[] = [];
  const ys: number[] = [];
  const values: number[] = [];
  for (let gy = Math.max(0, centreY - radius); gy <= Math.min(grid.height - 1, centreY + radius); gy++) {
    for (let gx = Math.max(0, centreX - radius); gx <= Math.min(grid.width - 1, centreX + radius); gx++) {
      const value = grid.metres[gy * grid.width + gx];
      if (!isValidDepth(grid, value)) continue;
      xs.push(gx - centreX);
      ys.push(gy - centreY);
      values.push(value);
    }
  }
  if (values.length === 0) return null;
  const inverse = values.map((value) => 1 / value);
  const everyone = inverse.map((_, k) => k);
  const limit = options.smoothTolerance * median(inverse);
  const fit = affineFit(xs, ys, inverse, everyone);
  const dx = x - centreX;
  const dy = y - centreY;
  if (fit !== null && explained(fit, xs, ys, inverse, limit).length === inverse.length) {
    const bilinear = bilinearInverseDepth(grid, x, y);
    if (bilinear !== null) return { metres: 1 / bilinear, method: 'bilinear', validCount: values.length };
    const value = fit[0] + fit[1] * dx + fit[2] * dy;
    if (value > 0) return { metres: 1 / value, method: 'surface-fit', validCount: values.length };
  }
  // The surface under the point: grown from the valid sample nearest to it.
  let seed = 0;
  for (let k = 1; k < inverse.length; k++) {
    if (Math.hypot(xs[k] - dx, ys[k] - dy) < Math.hypot(xs[seed] - dx, ys[seed] - dy)) seed = k;
  }
  const seedInverse = inverse[seed];
  let members = everyone.filter((k) => Math.abs(inverse[k] - seedInverse) <= 0.15 * seedInverse);
  for (let round = 0; round < 3 && members.length >= 6; round++) {
    const surface = affineFit(xs, ys, inverse, members);
    if (surface === null) break;
    const next = explained(surface, xs, ys, inverse, options.smoothTolerance * seedInverse);
    if (next.length === members.length && next.every((k, i) => k === members[i])) {
      const value = surface[0] + surface[1] * dx + surface[2] * dy;
      if (next.includes(seed) && value > 0) return { metres: 1 / value, method: 'surface-fit', validCount: values.length };
      break;
    }
    members = next;
  }
  return { metres: median(values), method: 'median', validCount: values.length };
}

/** Bilinear interpolation of inverse depth at grid position (x, y); null if a corner is invalid. */
function bilinearInverseDepth(grid: DepthGrid, x: number, y: number): number | null {
  const cx = Math.min(Math.max(x, 0), grid.width - 1);
  const cy = Math.min(Math.max(y, 0), grid.height - 1);
  const x0 = Math.min(Math.floor(cx), Math.max(0, grid.width - 2));
  const y0 = Math.min(Math.floor(cy), Math.max(0, grid.height - 2));
  const x1 = Math.min(x0 + 1, grid.width - 1);
  const y1 = Math.min(y0 + 1, grid.height - 1);
  const tx = cx - x0;
  const ty = cy - y0;
  const corners = [grid.metres[y0 * grid.width + x0], grid.metres[y0 * grid.width + x1], grid.metres[y1 * grid.width + x0], grid.metres[y1 * grid.width + x1]];
  if (!corners.every((value) => isValidDepth(grid, value))) return null;
  const [a, b, c, d] = corners.map((value) => 1 / value);
  return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
}
