/**
 * Reads the camera fields of a photo's EXIF with exifr and checks their types: EXIF is external
 * data, so nothing reaches the geometry unvalidated.
 */
import exifr from 'exifr';
import { z } from 'zod';
import type { CameraExif } from '../../shared/measure/intrinsics';

/** EXIF tag names as exifr reports them, for each field of {@link CameraExif}. */
const TAGS: readonly (readonly [keyof CameraExif, string])[] = [
  ['orientation', 'Orientation'],
  ['focalLengthMm', 'FocalLength'],
  ['focalPlaneXResolution', 'FocalPlaneXResolution'],
  ['focalPlaneYResolution', 'FocalPlaneYResolution'],
  ['focalPlaneResolutionUnit', 'FocalPlaneResolutionUnit'],
  ['focalLengthIn35mmFilm', 'FocalLengthIn35mmFormat'],
  ['referenceWidth', 'ExifImageWidth'],
  ['referenceHeight', 'ExifImageHeight']
];

const exifrOutput = z.record(z.string(), z.unknown());
const finiteNumber = z.number().finite();

/** The camera fields of the EXIF, with warnings for fields present but unreadable. */
export interface CameraExifReading {
  exif: CameraExif;
  /** Camera make and model, for display, when EXIF names them. */
  camera?: string;
  warnings: string[];
}

/**
 * Reads the camera fields from a photo's bytes. The whole file is handed to exifr (its chunked
 * file reading misses EXIF blocks that follow a large ICC profile). A photo without EXIF, or with
 * an EXIF block exifr cannot parse, gives empty fields and, for the latter, a warning.
 */
export async function readCameraExif(photoBytes: Uint8Array): Promise<CameraExifReading> {
  let parsed: unknown;
  try {
    parsed = await exifr.parse(photoBytes, {
      pick: [...TAGS.map(([, tag]) => tag), 'Make', 'Model'],
      translateValues: false,
      reviveValues: true,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false
    });
  } catch (error) {
    return { exif: {}, warnings: [`The photo's EXIF could not be read (${error instanceof Error ? error.message : String(error)}).`] };
  }
  if (parsed === undefined || parsed === null) return { exif: {}, warnings: [] };
  const record = exifrOutput.safeParse(parsed);
  if (!record.success) return { exif: {}, warnings: ["The photo's EXIF is not in a form Zoe Studio understands."] };
  const fields = record.data;
  const exif: CameraExif = {};
  const warnings: string[] = [];
  for (const [field, tag] of TAGS) {
    const value = fields[tag];
    if (value === undefined || value === null) continue;
    const number = finiteNumber.safeParse(value);
    if (number.success) exif[field] = number.data;
    else warnings.push(`EXIF ${tag} is unreadable (${JSON.stringify(value)}); it was ignored.`);
  }
  const make = typeof fields.Make === 'string' ? fields.Make.trim() : '';
  const model = typeof fields.Model === 'string' ? fields.Model.trim() : '';
  const camera = model.startsWith(make) ? model : `${make} ${model}`.trim();
  return camera === '' ? { exif, warnings } : { exif, camera, warnings };
}
