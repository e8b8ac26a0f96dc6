/**
 * Choosing pinhole intrinsics for an upright photo from what its EXIF says, best source first
 * (ARCHITECTURE.md, "Measuring"). Pure: the main process reads the EXIF (with exifr) and the
 * stored pixel size, this decides.
 *
 * Pixel convention: integer coordinates are pixel centres (as in `DepthMap`), so the principal
 * point, the image centre, is ((width − 1) / 2, (height − 1) / 2).
 */
import type { IntrinsicsOverride, IntrinsicsSource, IntrinsicsWithDescription } from '../camera';
import { ZoeError } from '../errors';
import { isExifOrientation, swapsAxes, uprightSize, type ExifOrientation } from './orientation';

/** The diagonal of a 36 × 24 mm frame, on which 35 mm equivalence is defined. */
export const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);

/**
 * The lens assumed when EXIF says nothing usable: a 28 mm equivalent, i.e. about 75° across the
 * diagonal, 63° across a 4:3 landscape photo, 65° across a 3:2 one. Photos without a usable focal
 * length are mostly phone pictures and compacts at their wide end (24–28 mm equivalents), and
 * 28 mm sits between those and a "normal" lens. Being defined on the diagonal, it gives the same
 * camera to a portrait and a landscape photo. A wrong guess scales sideways distances (X, Y) but
 * never depth itself; the photographer can set the real lens.
 */
export const DEFAULT_EQUIVALENT_FOCAL_MM = 28;

/** Plausible 35 mm equivalent focal lengths: an 8 mm fisheye to a 2000 mm super-telephoto. */
export const EQUIVALENT_FOCAL_RANGE_MM = { min: 8, max: 2000 } as const;
/** Sensors larger than 100 mm (bigger than any medium format back) are an EXIF error. */
export const MAX_SENSOR_SIDE_MM = 100;
/** Sensors smaller than 1 mm do not exist in cameras that write EXIF. */
export const MIN_SENSOR_SIDE_MM = 1;

/** The camera fields of EXIF that intrinsics depend on, already read and type-checked. */
export interface CameraExif {
  /** EXIF Orientation (IFD0); 1 when absent. */
  orientation?: number;
  /** FocalLength, millimetres. */
  focalLengthMm?: number;
  /** FocalPlaneXResolution / YResolution: sensor pixels per `focalPlaneResolutionUnit`. */
  focalPlaneXResolution?: number;
  focalPlaneYResolution?: number;
  /** FocalPlaneResolutionUnit: 2 inch, 3 centimetre (standard); 4 millimetre, 5 micrometre (seen in the wild). */
  focalPlaneResolutionUnit?: number;
  /** FocalLengthIn35mmFilm, millimetres. */
  focalLengthIn35mmFilm?: number;
  /**
   * PixelXDimension / PixelYDimension (exifr's ExifImageWidth/Height): the image size the focal
   * plane resolution refers to, in the stored orientation.
   */
  referenceWidth?: number;
  referenceHeight?: number;
}

/** Everything needed to decide: the EXIF fields, the pixel size as stored, an optional override. */
export interface IntrinsicsInput {
  exif: CameraExif;
  /** Pixel size of the image as stored in the file, before orientation. */
  storedWidth: number;
  storedHeight: number;
  /** Overrides every EXIF source when given. */
  override?: IntrinsicsOverride;
}

const MILLIMETRES_PER_UNIT: Readonly<Record<number, number>> = { 2: 25.4, 3: 10, 4: 1, 5: 0.001 };
const UNIT_NAMES: Readonly<Record<number, string>> = { 2: 'inches', 3: 'centimetres', 4: 'millimetres', 5: 'micrometres' };

interface StoredFocal {
  /** Focal length in pixels along the stored x and y axes. */
  fxStored: number;
  fyStored: number;
  source: IntrinsicsSource;
  description: string;
}

function isPositive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function equivalentFocalMm(focalLengthPx: number, width: number, height: number): number {
  return (focalLengthPx * FULL_FRAME_DIAGONAL_MM) / Math.hypot(width, height);
}

/**
 * The reference size of the focal plane resolution, in stored orientation. Some writers record
 * PixelX/YDimension upright; when the reference matches the stored size only with its sides
 * swapped, it is taken swapped.
 */
function referenceSize(exif: CameraExif, storedWidth: number, storedHeight: number): { width: number; height: number } {
  const width = isPositive(exif.referenceWidth) ? exif.referenceWidth : storedWidth;
  const height = isPositive(exif.referenceHeight) ? exif.referenceHeight : storedHeight;
  const storedAspect = storedWidth / storedHeight;
  const aspectMatches = Math.abs(width / height / storedAspect - 1) < 0.01;
  const swappedMatches = Math.abs(height / width / storedAspect - 1) < 0.01;
  return !aspectMatches && swappedMatches ? { width: height, height: width } : { width, height };
}

function fromFocalPlane(exif: CameraExif, storedWidth: number, storedHeight: number, warnings: string[]): StoredFocal | null {
  const f = exif.focalLengthMm;
  const unit = exif.focalPlaneResolutionUnit;
  const xRes = exif.focalPlaneXResolution;
  const yRes = exif.focalPlaneYResolution ?? exif.focalPlaneXResolution;
  if (xRes === undefined && unit === undefined) return null;
  if (!isPositive(f)) {
    if (f !== undefined) warnings.push(`EXIF focal length ${f} mm is impossible; it was ignored.`);
    return null;
  }
  if (!isPositive(xRes) || !isPositive(yRes)) {
    warnings.push('EXIF sensor resolution (focal plane resolution) is zero or negative; it was ignored.');
    return null;
  }
  const millimetresPerUnit = MILLIMETRES_PER_UNIT[unit ?? 2];
  if (millimetresPerUnit === undefined) {
    warnings.push(`EXIF sensor resolution has an unknown unit (${String(unit)}); it was ignored.`);
    return null;
  }
  const pixelsPerMmX = xRes / millimetresPerUnit;
  const pixelsPerMmY = yRes / millimetresPerUnit;
  const reference = referenceSize(exif, storedWidth, storedHeight);
  const sensorWidthMm = reference.width / pixelsPerMmX;
  const sensorHeightMm = reference.height / pixelsPerMmY;
  const largest = Math.max(sensorWidthMm, sensorHeightMm);
  const smallest = Math.min(sensorWidthMm, sensorHeightMm);
  if (largest > MAX_SENSOR_SIDE_MM || smallest < MIN_SENSOR_SIDE_MM) {
    warnings.push(
      `EXIF sensor resolution implies a ${round(sensorWidthMm, 2)} × ${round(sensorHeightMm, 2)} mm sensor, which no camera has; it was ignored.`
    );
    return null;
  }
  const equivalent = (f * FULL_FRAME_DIAGONAL_MM) / Math.hypot(sensorWidthMm, sensorHeightMm);
  if (equivalent < EQUIVALENT_FOCAL_RANGE_MM.min || equivalent > EQUIVALENT_FOCAL_RANGE_MM.max) {
    warnings.push(
      `EXIF focal length ${f} mm on a ${round(sensorWidthMm, 2)} mm-wide sensor would be a ${round(equivalent, 1)} mm equivalent lens, which is implausible; it was ignored.`
    );
    return null;
  }
  const scaleX = storedWidth / reference.width;
  const scaleY = storedHeight / reference.height;
  if (Math.abs(scaleX / scaleY - 1) > 0.02) {
    warnings.push('The photo was stretched or cropped after it was taken; the EXIF focal length may be off.');
  }
  return {
    fxStored: f * pixelsPerMmX * scaleX,
    fyStored: f * pixelsPerMmY * scaleY,
    source: 'focal-plane-resolution',
    description: `EXIF: ${round(f, 2)} mm lens on a ${round(sensorWidthMm, 2)} × ${round(sensorHeightMm, 2)} mm sensor (focal plane resolution in ${UNIT_NAMES[unit ?? 2] ?? 'inches'})`
  };
}

function fromEquivalentFocal(exif: CameraExif, storedWidth: number, storedHeight: number, warnings: string[]): StoredFocal | null {
  const f35 = exif.focalLengthIn35mmFilm;
  if (f35 === undefined) return null;
  if (!Number.isFinite(f35) || f35 < EQUIVALENT_FOCAL_RANGE_MM.min || f35 > EQUIVALENT_FOCAL_RANGE_MM.max) {
    warnings.push(`EXIF 35 mm equivalent focal length ${f35} mm is implausible; it was ignored.`);
    return null;
  }
  const focalLengthPx = (f35 * Math.hypot(storedWidth, storedHeight)) / FULL_FRAME_DIAGONAL_MM;
  return {
    fxStored: focalLengthPx,
    fyStored: focalLengthPx,
    source: 'focal-length-35mm',
    description: `EXIF: ${round(f35, 1)} mm equivalent focal length (35 mm film, on the diagonal)`
  };
}

function defaultFocal(storedWidth: number, storedHeight: number): StoredFocal {
  const focalLengthPx = (DEFAULT_EQUIVALENT_FOCAL_MM * Math.hypot(storedWidth, storedHeight)) / FULL_FRAME_DIAGONAL_MM;
  return {
    fxStored: focalLengthPx,
    fyStored: focalLengthPx,
    source: 'default-fov',
    description: `Assumed: a ${DEFAULT_EQUIVALENT_FOCAL_MM} mm equivalent lens (no usable focal length in EXIF; set the real lens for accurate sideways distances)`
  };
}

/** Focal length in pixels for a field of view across the given extent (pixels) of the upright photo. */
export function focalLengthForFieldOfView(degrees: number, extentPx: number): number {
  return extentPx / 2 / Math.tan((degrees * Math.PI) / 360);
}

/** Intrinsics of the upright photo from the photographer's own numbers; throws on impossible ones. */
function fromOverride(override: IntrinsicsOverride, width: number, height: number): { fx: number; fy: number; description: string } {
  if (override.kind === 'focal-length') {
    const { focalLengthMm, sensorWidthMm } = override;
    if (!(focalLengthMm > 0 && focalLengthMm <= 5000) || !(sensorWidthMm >= MIN_SENSOR_SIDE_MM && sensorWidthMm <= MAX_SENSOR_SIDE_MM)) {
      throw new ZoeError(
        'INVALID_ARGUMENT',
        `A ${focalLengthMm} mm lens on a ${sensorWidthMm} mm-wide sensor is not possible. Enter the lens focal length and the sensor width in millimetres.`
      );
    }
    // The sensor's width is its long side; it spans the long side of the photo.
    const focalLengthPx = (focalLengthMm * Math.max(width, height)) / sensorWidthMm;
    return { fx: focalLengthPx, fy: focalLengthPx, description: `Set by you: ${focalLengthMm} mm lens, ${sensorWidthMm} mm-wide sensor` };
  }
  const axis = override.axis ?? 'horizontal';
  if (!(override.degrees > 0 && override.degrees < 180)) {
    throw new ZoeError('INVALID_ARGUMENT', `A field of view of ${override.degrees}° is not possible. Enter an angle between 1° and 179°.`);
  }
  const extent = axis === 'horizontal' ? width : axis === 'vertical' ? height : Math.hypot(width, height);
  const focalLengthPx = focalLengthForFieldOfView(override.degrees, extent);
  return { fx: focalLengthPx, fy: focalLengthPx, description: `Set by you: ${override.degrees}° field of view (${axis})` };
}

/**
 * Intrinsics of the upright photo: the user's override, else EXIF FocalLength with the focal plane
 * resolution, else FocalLengthIn35mmFilm on the diagonal, else {@link DEFAULT_EQUIVALENT_FOCAL_MM}.
 * Absurd EXIF values are skipped with a warning and the next source is used. Orientation is
 * applied first: for orientations 5–8 width and height swap, and fx and fy with them.
 */
export function chooseIntrinsics(input: IntrinsicsInput): IntrinsicsWithDescription {
  const { exif, storedWidth, storedHeight, override } = input;
  if (!(storedWidth > 0 && storedHeight > 0)) {
    throw new ZoeError('INVALID_ARGUMENT', 'The photo has no pixels to measure.', { detail: `${storedWidth}×${storedHeight}` });
  }
  const warnings: string[] = [];
  let orientation: ExifOrientation = 1;
  if (exif.orientation !== undefined) {
    if (isExifOrientation(exif.orientation)) {
      orientation = exif.orientation;
    } else {
      warnings.push(`EXIF orientation ${exif.orientation} is not a valid value; the photo is taken as stored.`);
    }
  }
  const { width, height } = uprightSize(orientation, storedWidth, storedHeight);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;

  if (override !== undefined) {
    const chosen = fromOverride(override, width, height);
    return { fx: chosen.fx, fy: chosen.fy, cx, cy, width, height, source: 'user', warnings, sourceDescription: chosen.description };
  }

  const stored =
    fromFocalPlane(exif, storedWidth, storedHeight, warnings) ??
    fromEquivalentFocal(exif, storedWidth, storedHeight, warnings) ??
    defaultFocal(storedWidth, storedHeight);
  if (stored.source === 'default-fov' && isPositive(exif.focalLengthMm) && exif.focalPlaneXResolution === undefined) {
    warnings.push(`EXIF gives the focal length (${exif.focalLengthMm} mm) but not the sensor size, so it cannot be used on its own.`);
  }
  const stated = exif.focalLengthIn35mmFilm;
  if (stored.source === 'focal-plane-resolution' && stated !== undefined && stated >= EQUIVALENT_FOCAL_RANGE_MM.min && stated <= EQUIVALENT_FOCAL_RANGE_MM.max) {
    // Tools that resize a photo often update PixelXDimension but keep the sensor resolution.
    const implied = equivalentFocalMm(Math.sqrt(stored.fxStored * stored.fyStored), storedWidth, storedHeight);
    if (Math.abs(implied / stated - 1) > 0.1) {
      warnings.push(
        `EXIF disagrees with itself: the sensor resolution gives a ${round(implied, 1)} mm equivalent lens, the 35 mm field says ${stated} mm. The photo may have been resized or cropped; set the lens if measurements look off.`
      );
    }
  }
  const swap = swapsAxes(orientation);
  const fx = swap ? stored.fyStored : stored.fxStored;
  const fy = swap ? stored.fxStored : stored.fyStored;
  return { fx, fy, cx, cy, width, height, source: stored.source, warnings, sourceDescription: stored.description };
}

/** The 35 mm equivalent focal length of intrinsics, on the diagonal (for display). */
export function equivalentFocalLengthMm(intrinsics: { fx: number; fy: number; width: number; height: number }): number {
  return equivalentFocalMm(Math.sqrt(intrinsics.fx * intrinsics.fy), intrinsics.width, intrinsics.height);
}

/** Horizontal field of view of intrinsics in degrees (for display). */
export function horizontalFieldOfViewDeg(intrinsics: { fx: number; width: number }): number {
  return (2 * Math.atan(intrinsics.width / 2 / intrinsics.fx) * 180) / Math.PI;
}
