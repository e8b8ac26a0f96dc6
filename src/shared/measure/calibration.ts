/**
 * Calibration with a reference length. Monocular metric depth is often off in overall scale by a
 * few per cent; a length the photographer knows (a door, 2.00 m) fixes it. Because every camera
 * point is depth × ray, scaling depth by a factor s scales every point by s: lengths and heights
 * by s, areas by s², angles not at all. A reset returns the factor to 1.
 */
import type { DepthGrid } from './sampling';
import { ZoeError } from '../errors';

/** The depth scale of one photo's measurements. */
export interface Calibration {
  /** Multiplies every depth value; 1 when not calibrated. */
  factor: number;
  /** The reference that set it: what was measured (before this calibration) and what it really is. */
  reference?: { measuredMetres: number; knownMetres: number };
}

export const NO_CALIBRATION: Calibration = { factor: 1 };

/** A factor outside this range means the wrong length was typed or the wrong line was drawn. */
export const CALIBRATION_FACTOR_RANGE = { min: 0.2, max: 5 } as const;

/**
 * The calibration that makes a length measured as `measuredMetres` (with the `current`
 * calibration already applied) come out as `knownMetres`.
 */
export function calibrateWithKnownLength(measuredMetres: number, knownMetres: number, current: Calibration = NO_CALIBRATION): Calibration {
  if (!(knownMetres > 0) || !Number.isFinite(knownMetres)) {
    throw new ZoeError('INVALID_ARGUMENT', 'Enter the real length of the reference as a positive number.');
  }
  if (!(measuredMetres > 0) || !Number.isFinite(measuredMetres)) {
    throw new ZoeError('INVALID_ARGUMENT', 'The reference line has no length; draw it between two different points.');
  }
  const step = knownMetres / measuredMetres;
  const factor = current.factor * step;
  if (factor < CALIBRATION_FACTOR_RANGE.min || factor > CALIBRATION_FACTOR_RANGE.max) {
    throw new ZoeError(
      'INVALID_ARGUMENT',
      `That reference would rescale the depth ×${factor.toFixed(2)}, far beyond the model's usual error. Check the length you entered and the line you drew.`
    );
  }
  return { factor, reference: { measuredMetres: measuredMetres / current.factor, knownMetres } };
}

/** Back to the depth as the model gave it. */
export function resetCalibration(): Calibration {
  return NO_CALIBRATION;
}

/** A copy of a depth grid with the calibration applied to every value (and to its valid range). */
export function calibratedDepth<T extends DepthGrid>(grid: T, calibration: Calibration): T {
  const metres = new Float32Array(grid.metres.length);
  for (let i = 0; i < metres.length; i++) metres[i] = grid.metres[i] * calibration.factor;
  const range = grid.range === undefined ? undefined : { min: grid.range.min * calibration.factor, max: grid.range.max * calibration.factor };
  return range === undefined ? { ...grid, metres } : { ...grid, metres, range };
}
