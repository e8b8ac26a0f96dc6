/**
 * The EXIF fields of the metadata panel and the library's summary, read with exifr and checked
 * field by field (EXIF is external data: a field of the wrong type is reported and ignored), and
 * the photo's own XMP packet as text, for the ratings reader.
 */
import exifr from 'exifr';
import { z } from 'zod';

/** What the metadata panel shows from EXIF; every field is optional. */
export interface ExifFields {
  make?: string;
  model?: string;
  lens?: string;
  lensInfo?: number[];
  focalLengthMm?: number;
  focalLength35mm?: number;
  exposureTimeSeconds?: number;
  fNumber?: number;
  iso?: number;
  biasEv?: number;
  /** EXIF's `YYYY:MM:DD HH:MM:SS`, as written. */
  dateTimeOriginal?: string;
  createDate?: string;
  offsetTimeOriginal?: string;
  latitude?: number;
  longitude?: number;
  altitudeMetres?: number;
  /** The photo's embedded XMP packet. */
  xmp?: string;
}

export interface ExifReading {
  fields: ExifFields;
  warnings: string[];
}

const section = z.record(z.string(), z.unknown()).optional();
const exifrSections = z.object({ ifd0: section, exif: section, gps: section, xmp: z.unknown().optional() });
const finite = z.number().finite();
const text = z.string().trim().min(1);
const numbers = z.array(finite).min(1);

type FieldSchema = z.ZodType<string | number | number[]>;
/** Field, the EXIF section and tag it comes from, and its type. */
const FIELDS: readonly (readonly [keyof ExifFields, 'ifd0' | 'exif' | 'gps', string, FieldSchema])[] = [
  ['make', 'ifd0', 'Make', text],
  ['model', 'ifd0', 'Model', text],
  ['lens', 'exif', 'LensModel', text],
  ['lensInfo', 'exif', 'LensInfo', numbers],
  ['focalLengthMm', 'exif', 'FocalLength', finite],
  ['focalLength35mm', 'exif', 'FocalLengthIn35mmFormat', finite],
  ['exposureTimeSeconds', 'exif', 'ExposureTime', finite],
  ['fNumber', 'exif', 'FNumber', finite],
  ['iso', 'exif', 'ISO', finite],
  ['biasEv', 'exif', 'ExposureCompensation', finite],
  ['dateTimeOriginal', 'exif', 'DateTimeOriginal', text],
  ['createDate', 'exif', 'CreateDate', text],
  ['offsetTimeOriginal', 'exif', 'OffsetTimeOriginal', text],
  ['latitude', 'gps', 'latitude', finite],
  ['longitude', 'gps', 'longitude', finite],
  ['altitudeMetres', 'gps', 'GPSAltitude', finite]
];

/** Lens tags some cameras use instead of `LensModel`, best first. */
const OTHER_LENS_TAGS = ['Lens', 'LensType'];

/**
 * Reads the fields from a photo: a path (exifr reads only the blocks it needs, so a library of
 * large files is summarised quickly) or the whole file's bytes.
 */
export async function readExifFields(photo: string | Uint8Array): Promise<ExifReading> {
  let parsed: unknown;
  try {
    parsed = await exifr.parse(photo, {
      tiff: true,
      ifd0: {},
      exif: {},
      gps: true,
      xmp: { parse: false },
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      interop: false,
      ifd1: false,
      mergeOutput: false,
      reviveValues: false,
      translateValues: false
    });
  } catch (error) {
    return { fields: {}, warnings: [`The photo's EXIF could not be read (${error instanceof Error ? error.message : String(error)}).`] };
  }
  if (parsed === undefined || parsed === null) return { fields: {}, warnings: [] };
  const sections = exifrSections.safeParse(parsed);
  if (!sections.success) return { fields: {}, warnings: ["The photo's EXIF is not in a form Zoe Studio understands."] };
  const fields: ExifFields = {};
  const warnings: string[] = [];
  const assign = fields as Record<string, unknown>;
  for (const [field, from, tag, schema] of FIELDS) {
    const value = sections.data[from]?.[tag];
    if (value === undefined || value === null || value === '') continue;
    const checked = schema.safeParse(value);
    if (checked.success) assign[field] = checked.data;
    else warnings.push(`EXIF ${tag} is unreadable (${JSON.stringify(value)?.slice(0, 80)}); it was ignored.`);
  }
  if (fields.lens === undefined) {
    for (const tag of OTHER_LENS_TAGS) {
      const lens = text.safeParse(sections.data.exif?.[tag]);
      if (lens.success) {
        fields.lens = lens.data;
        break;
      }
    }
  }
  const altitudeRef = sections.data.gps?.GPSAltitudeRef;
  if (fields.altitudeMetres !== undefined && isBelowSeaLevel(altitudeRef)) fields.altitudeMetres = -fields.altitudeMetres;
  if (typeof sections.data.xmp === 'string' && sections.data.xmp.trim() !== '') fields.xmp = sections.data.xmp;
  return { fields, warnings };
}

/** `GPSAltitudeRef` 1 means below sea level; exifr gives it as a byte array (or a number). */
function isBelowSeaLevel(ref: unknown): boolean {
  if (typeof ref === 'number') return ref === 1;
  if (ref instanceof Uint8Array) return ref[0] === 1;
  if (ref !== null && typeof ref === 'object') return (ref as Record<string, unknown>)['0'] === 1;
  return false;
}

/**
 * An EXIF or XMP date as `YYYY-MM-DDTHH:MM:SS` (the camera's clock) and its UTC offset when
 * written with it; null when it is not a date (`0000:00:00 00:00:00`, garbage).
 */
export function normaliseDate(value: string | undefined): { local: string; offset: string | null } | null {
  if (value === undefined) return null;
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (match === null) return null;
  const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match;
  if (year === '0000' || month === '00' || day === '00' || Number(month) > 12 || Number(day) > 31) return null;
  const offset = zone === undefined ? null : zone === 'Z' ? '+00:00' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return { local: `${year}-${month}-${day}T${hour}:${minute}:${second}`, offset };
}
