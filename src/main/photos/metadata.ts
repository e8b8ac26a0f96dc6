/** A photo's metadata for the info panel, and the short summary the library sorts and filters by. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PhotoMetadata, PhotoSummary } from '../../shared/api/photos';
import type { PhotoCamera } from '../../shared/api/measure';
import { ZoeError } from '../../shared/errors';
import type { ScannedPhoto } from '../library/scan';
import { normaliseDate, readExifFields, type ExifFields } from './exif-fields';
import { readPhotoTags, type FolderListingCache } from './sidecars';

/** File formats by extension, as the panel names them. */
const FORMATS: Record<string, string> = {
  '.jpg': 'JPEG',
  '.jpeg': 'JPEG',
  '.png': 'PNG',
  '.tif': 'TIFF',
  '.tiff': 'TIFF',
  '.webp': 'WebP',
  '.avif': 'AVIF',
  '.heic': 'HEIF (HEIC)',
  '.heif': 'HEIF',
  '.cr2': 'Canon RAW (CR2)',
  '.cr3': 'Canon RAW (CR3)',
  '.nef': 'Nikon RAW (NEF)',
  '.arw': 'Sony RAW (ARW)',
  '.raf': 'Fujifilm RAW (RAF)',
  '.orf': 'Olympus RAW (ORF)',
  '.rw2': 'Panasonic RAW (RW2)',
  '.dng': 'Adobe DNG'
};

export function formatOf(fileName: string): string {
  const extension = path.extname(fileName).toLowerCase();
  return FORMATS[extension] ?? (extension.slice(1).toUpperCase() || 'unknown');
}

/** “NIKON COOLPIX P6000”, “Canon EOS 5D” (no make twice). */
export function cameraName(fields: ExifFields): string | null {
  const make = fields.make ?? '';
  const model = fields.model ?? '';
  const name = model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`;
  return name.trim() === '' ? null : name.trim();
}

/** `LensModel`, else the lens's range from `LensInfo`: “24–120 mm f/3.5–5.6”. */
export function lensName(fields: ExifFields): string | null {
  if (fields.lens !== undefined) return fields.lens;
  const [shortest, longest, widestShort, widestLong] = fields.lensInfo ?? [];
  if (shortest === undefined || !(shortest > 0)) return null;
  const focal = longest !== undefined && longest > shortest ? `${shortest}–${longest} mm` : `${shortest} mm`;
  if (widestShort === undefined || !(widestShort > 0)) return focal;
  const aperture = widestLong !== undefined && widestLong > widestShort ? `f/${widestShort}–${widestLong}` : `f/${widestShort}`;
  return `${focal} ${aperture}`;
}

function dateTakenOf(fields: ExifFields): { local: string; offset: string | null } | null {
  const date = normaliseDate(fields.dateTimeOriginal) ?? normaliseDate(fields.createDate);
  if (date === null) return null;
  return { local: date.local, offset: date.offset ?? normaliseOffset(fields.offsetTimeOriginal) };
}

function normaliseOffset(offset: string | undefined): string | null {
  return offset !== undefined && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : null;
}

/** The library's summary of one photo: a light read (exifr reads only the blocks it needs). */
export async function summarisePhoto(photo: ScannedPhoto, listings: FolderListingCache): Promise<PhotoSummary> {
  const { fields } = await readExifFields(photo.absolutePath);
  const { tags } = await readPhotoTags(photo.absolutePath, fields.xmp, listings);
  return {
    photoId: photo.id,
    dateTaken: dateTakenOf(fields)?.local ?? null,
    hasFocalLength: (fields.focalLengthMm ?? 0) > 0 || (fields.focalLength35mm ?? 0) > 0,
    tags
  };
}

/** What the panel needs beyond EXIF: the camera measurements use (or why there is none). */
export type CameraOf = () => Promise<PhotoCamera>;

/** The metadata panel's contents for one photo. The photo is only read. */
export async function photoMetadata(photo: ScannedPhoto, camera: CameraOf): Promise<PhotoMetadata> {
  let bytes: Buffer;
  try {
    bytes = await readFile(photo.absolutePath);
  } catch (error) {
    throw new ZoeError('NOT_FOUND', `The photo “${photo.name}” could not be read. It may have been moved or deleted.`, { detail: String(error), cause: error });
  }
  const { fields, warnings } = await readExifFields(bytes);
  const { tags, warnings: tagWarnings } = await readPhotoTags(photo.absolutePath, fields.xmp);
  let measured: PhotoCamera | null = null;
  try {
    measured = await camera();
  } catch (error) {
    warnings.push(`The picture's size and the focal length measurements use are not known: ${error instanceof Error ? error.message : String(error)}`);
  }
  const date = dateTakenOf(fields);
  return {
    photoId: photo.id,
    file: {
      name: photo.name,
      relativePath: photo.relativePath,
      sizeBytes: bytes.byteLength,
      modifiedMs: photo.modifiedMs,
      format: formatOf(photo.name),
      width: measured?.width ?? null,
      height: measured?.height ?? null
    },
    camera: cameraName(fields),
    lens: lensName(fields),
    focalLength: {
      mm: fields.focalLengthMm !== undefined && fields.focalLengthMm > 0 ? fields.focalLengthMm : null,
      equivalent35mm: fields.focalLength35mm !== undefined && fields.focalLength35mm > 0 ? fields.focalLength35mm : null,
      pixels: measured?.fx ?? null,
      source: measured?.source ?? null,
      sourceDescription: measured?.sourceDescription ?? null
    },
    exposure: {
      exposureTimeSeconds: positiveOrNull(fields.exposureTimeSeconds),
      fNumber: positiveOrNull(fields.fNumber),
      iso: positiveOrNull(fields.iso),
      biasEv: fields.biasEv ?? null
    },
    dateTaken: date?.local ?? null,
    dateTakenOffset: date?.offset ?? null,
    gps: fields.latitude !== undefined && fields.longitude !== undefined ? { latitude: fields.latitude, longitude: fields.longitude, altitudeMetres: fields.altitudeMetres ?? null } : null,
    tags,
    warnings: [...warnings, ...tagWarnings, ...(measured?.warnings ?? [])]
  };
}

function positiveOrNull(value: number | undefined): number | null {
  return value !== undefined && value > 0 ? value : null;
}
