/**
 * The pure arithmetic behind the depth overlay: automatic range, histogram, the depth under the
 * cursor and unit conversion. No DOM, no WebGL, so every piece is unit-tested.
 */
import type { LengthUnit } from '../../../../shared/settings';

/** What the overlay needs of a depth map: a row-major grid of metres covering the upright photo. */
export interface DepthGrid {
  width: number;
  height: number;
  metres: Float32Array;
}

/** A depth interval in metres. */
export interface DepthRange {
  near: number;
  far: number;
}

/** Metres in one international foot. */
export const METRES_PER_FOOT = 0.3048;

/** The finite, positive depths of a map, sorted (a sampled subset for very large maps). */
function sortedDepths(metres: Float32Array, maxSamples = 1_000_000): Float32Array {
  const step = Math.max(1, Math.floor(metres.length / maxSamples));
  const values: number[] = [];
  for (let index = 0; index < metres.length; index += step) {
    const value = metres[index] as number;
    if (Number.isFinite(value) && value > 0) values.push(value);
  }
  return Float32Array.from(values).sort();
}

/**
 * Percentiles of the depths (fractions in [0, 1]), with linear interpolation between ranks, as
 * numpy's default. Non-finite and non-positive values are ignored; `null` when none is left.
 */
export function depthPercentiles(metres: Float32Array, fractions: readonly number[]): number[] | null {
  const sorted = sortedDepths(metres);
  if (sorted.length === 0) return null;
  return fractions.map((fraction) => {
    const rank = Math.min(1, Math.max(0, fraction)) * (sorted.length - 1);
    const below = Math.floor(rank);
    const above = Math.min(sorted.length - 1, below + 1);
    const weight = rank - below;
    return (sorted[below] as number) * (1 - weight) + (sorted[above] as number) * weight;
  });
}

/** The automatic display range: 2nd to 98th percentile, so a few outliers do not wash out the map. */
export function automaticRange(metres: Float32Array): DepthRange | null {
  const percentiles = depthPercentiles(metres, [0.02, 0.98]);
  if (percentiles === null) return null;
  const [near, far] = percentiles as [number, number];
  return far > near ? { near, far } : { near, far: near + 1e-3 };
}

/** Counts of depths in `bins` equal bins spanning `[min, max]`; values outside are left out. */
export function depthHistogram(metres: Float32Array, min: number, max: number, bins: number): Uint32Array {
  const counts = new Uint32Array(bins);
  if (!(max > min) || bins <= 0) return counts;
  const scale = bins / (max - min);
  for (let index = 0; index < metres.length; index += 1) {
    const value = metres[index] as number;
    if (!(value >= min && value <= max)) continue;
    counts[Math.min(bins - 1, Math.floor((value - min) * scale))] += 1;
  }
  return counts;
}

/** The smallest and largest finite positive depth, or `null`. */
export function depthExtent(metres: Float32Array): DepthRange | null {
  let near = Number.POSITIVE_INFINITY;
  let far = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < metres.length; index += 1) {
    const value = metres[index] as number;
    if (!(Number.isFinite(value) && value > 0)) continue;
    if (value < near) near = value;
    if (value > far) far = value;
  }
  return near <= far ? { near, far } : null;
}

/**
 * The depth under a point of the displayed photo, `u`, `v` in [0, 1] from its top-left corner,
 * interpolated bilinearly between grid samples (sample x sits at u = (x + 0.5) / width).
 * `null` outside the photo or where the map has no valid depth.
 */
export function depthAt(grid: DepthGrid, u: number, v: number): number | null {
  if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) return null;
  const x = Math.min(grid.width - 1, Math.max(0, u * grid.width - 0.5));
  const y = Math.min(grid.height - 1, Math.max(0, v * grid.height - 0.5));
  const left = Math.floor(x);
  const top = Math.floor(y);
  const right = Math.min(grid.width - 1, left + 1);
  const bottom = Math.min(grid.height - 1, top + 1);
  const wx = x - left;
  const wy = y - top;
  const at = (column: number, row: number): number => grid.metres[row * grid.width + column] as number;
  const corners = [at(left, top), at(right, top), at(left, bottom), at(right, bottom)];
  if (corners.some((value) => !(Number.isFinite(value) && value > 0))) return null;
  const [topLeft, topRight, bottomLeft, bottomRight] = corners as [number, number, number, number];
  return (topLeft * (1 - wx) + topRight * wx) * (1 - wy) + (bottomLeft * (1 - wx) + bottomRight * wx) * wy;
}

/** A length in metres expressed in the photographer's units. */
export function fromMetres(metres: number, unit: LengthUnit): number {
  return unit === 'feet' ? metres / METRES_PER_FOOT : metres;
}

/** A length in the photographer's units expressed in metres. */
export function toMetres(value: number, unit: LengthUnit): number {
  return unit === 'feet' ? value * METRES_PER_FOOT : value;
}

/** “2.35 m”, “12.4 m”, “7.7 ft”: two decimals below ten units, one above. */
export function formatLength(metres: number, unit: LengthUnit): string {
  const value = fromMetres(metres, unit);
  const digits = Math.abs(value) < 10 ? 2 : 1;
  return `${value.toFixed(digits)} ${unit === 'feet' ? 'ft' : 'm'}`;
}

/** Where a depth falls in a range, 0 at `near` and 1 at `far` (reversed when `invert`), clamped. */
export function normalisedDepth(metres: number, range: DepthRange, invert: boolean): number {
  const span = range.far - range.near;
  const t = span > 0 ? (metres - range.near) / span : 0;
  const clamped = Math.min(1, Math.max(0, t));
  return invert ? 1 - clamped : clamped;
}
