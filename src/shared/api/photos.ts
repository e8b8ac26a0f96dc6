/**
 * The photo information part of the contract: a photo's metadata for the info panel (camera, lens,
 * focal length and the source measurements use, exposure, date taken, GPS, file), the short
 * summary the library sorts and filters by, and ratings, pick/reject flags and colour labels,
 * read from and written to XMP side-cars beside the photos (never into the photos themselves).
 */
import { z } from 'zod';
import type { IntrinsicsSource } from '../camera';
import type { ZoeErrorValue } from '../errors';

const photoId = z.string().min(1).max(64);

/** Stars, as Lightroom, Bridge, Capture One and darktable count them (0: none). */
export const RATINGS = [0, 1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

/** Lightroom's pick flags: picked, rejected, or neither. */
export const PICK_FLAGS = ['none', 'pick', 'reject'] as const;
export type PickFlag = (typeof PICK_FLAGS)[number];

/** The colour labels Lightroom and Bridge name in `xmp:Label` (and darktable numbers 0–4 in `darktable:colorlabels`). */
export const COLOUR_LABELS = ['Red', 'Yellow', 'Green', 'Blue', 'Purple'] as const;
export type ColourLabel = (typeof COLOUR_LABELS)[number];

/** A photo's rating, flag and label, and where they were read from. */
export interface PhotoTags {
  rating: Rating;
  flag: PickFlag;
  label: ColourLabel | null;
  /** The side-car(s) they were read from (file names beside the photo), or none: then the photo's own XMP, if any. */
  sidecars: string[];
}

/** What the library sorts, filters and badges a photo by. */
export interface PhotoSummary {
  photoId: string;
  /**
   * When the photo was taken, as the camera's clock said it (EXIF has no time zone unless an
   * offset is recorded), as `YYYY-MM-DDTHH:MM:SS`; null when the photo does not say.
   */
  dateTaken: string | null;
  /** EXIF gives a focal length (so measurements need no default field of view). */
  hasFocalLength: boolean;
  tags: PhotoTags;
}

export const photoSummariesRequest = z.strictObject({ photoIds: z.array(photoId).min(1).max(500) });
export const photoMetadataRequest = z.strictObject({ photoId });

/** The metadata panel's contents. Every field the photo does not record is null. */
export interface PhotoMetadata {
  photoId: string;
  file: {
    name: string;
    /** Relative to the opened folder, `/`-separated, for display. */
    relativePath: string;
    sizeBytes: number;
    modifiedMs: number;
    /** E.g. `JPEG`, `TIFF`, `Canon RAW (CR2)`. */
    format: string;
    /** Size of the upright picture (a RAW file's embedded preview for RAW files). */
    width: number | null;
    height: number | null;
  };
  /** Make and model, e.g. “NIKON COOLPIX P6000”. */
  camera: string | null;
  lens: string | null;
  focalLength: {
    /** The lens focal length in millimetres, from EXIF. */
    mm: number | null;
    /** From EXIF `FocalLengthIn35mmFormat`. */
    equivalent35mm: number | null;
    /** The focal length in pixels measurements use, and where it came from (as `measure.intrinsics` says). */
    pixels: number | null;
    source: IntrinsicsSource | null;
    sourceDescription: string | null;
  };
  exposure: {
    /** Shutter time in seconds. */
    exposureTimeSeconds: number | null;
    fNumber: number | null;
    iso: number | null;
    /** Exposure compensation in EV. */
    biasEv: number | null;
  };
  /** As in {@link PhotoSummary.dateTaken}, with the offset from UTC when the camera recorded one (`+02:00`). */
  dateTaken: string | null;
  dateTakenOffset: string | null;
  gps: { latitude: number; longitude: number; altitudeMetres: number | null } | null;
  tags: PhotoTags;
  /** Fields present but unreadable, and parts that could not be read (e.g. the picture's size). */
  warnings: string[];
}

/**
 * Sets the rating, flag and/or label of photos (the fields given; the others stay). Setting stars
 * on a rejected photo takes the reject away, as in Lightroom.
 */
export const photoTagsRequest = z
  .strictObject({
    photoIds: z.array(photoId).min(1).max(10_000),
    rating: z.literal(RATINGS).optional(),
    flag: z.enum(PICK_FLAGS).optional(),
    label: z.enum(COLOUR_LABELS).nullable().optional()
  })
  .refine((request) => request.rating !== undefined || request.flag !== undefined || request.label !== undefined, {
    message: 'Say which of rating, flag or label to set.'
  });

/** One photo's tags after `photos.setTags`, or why its side-car could not be written. */
export type PhotoTagsOutcome = { photoId: string; ok: true; tags: PhotoTags } | { photoId: string; ok: false; error: ZoeErrorValue };
