/**
 * Photo decoding for the depth engine: sharp (libvips) to upright 8-bit sRGB RGB, with errors a
 * photographer can act on. The original photo is only ever read.
 */
import sharp from 'sharp';
import { ZoeError } from '../../shared/errors';

/** An upright (EXIF orientation applied) sRGB photo as 8-bit RGB, 3 bytes per pixel, row-major. */
export interface DecodedPhoto {
  data: Buffer;
  width: number;
  height: number;
  /** The EXIF orientation (1–8) that was applied; 1 when the file has none. */
  orientation: number;
  /** The container format sharp recognised, e.g. `jpeg`, `tiff`. */
  format: string;
}

/** Turns a libvips/sharp failure into UNSUPPORTED_IMAGE (or NOT_FOUND) with a specific reason. */
export function photoDecodeError(error: unknown, label: string): ZoeError {
  const text = error instanceof Error ? error.message : String(error);
  const detail = `${label}: ${text}`;
  if (/Input file is missing|ENOENT|no such file/i.test(text)) {
    return new ZoeError('NOT_FOUND', `The photo ${label} could not be found.`, { detail, cause: error });
  }
  if (/HEVC|libde265|compression format has not been built in/i.test(text)) {
    return new ZoeError(
      'UNSUPPORTED_IMAGE',
      `${label} is an HEIC photo compressed with HEVC, which this build cannot decode. Export it as JPEG (or set your camera to "Most Compatible") and try again.`,
      { detail, cause: error }
    );
  }
  if (/unsupported image format/i.test(text)) {
    return new ZoeError('UNSUPPORTED_IMAGE', `${label} is not an image Zoe Studio can read (JPEG, PNG, TIFF, WebP, AVIF).`, { detail, cause: error });
  }
  if (/VipsJpeg|Corrupt JPEG|premature end|JPEG datastream|bad Huffman|truncated/i.test(text)) {
    return new ZoeError('UNSUPPORTED_IMAGE', `${label} is a damaged or incomplete JPEG file; it cannot be decoded.`, { detail, cause: error });
  }
  return new ZoeError('UNSUPPORTED_IMAGE', `${label} could not be decoded as an image; the file may be damaged.`, { detail, cause: error });
}

/** A short name for a photo in messages: its file name, or "the photo" for in-memory bytes. */
export function photoLabel(photo: string | Uint8Array): string {
  if (typeof photo !== 'string') return 'The photo';
  const parts = photo.split(/[/\\]/);
  return parts[parts.length - 1] ?? photo;
}

/**
 * Decodes a photo (a path or the file's bytes) once, upright and as 8-bit sRGB RGB. Damaged data is
 * refused (`failOn: 'warning'`) rather than turned into a half-grey picture.
 */
export async function decodePhoto(photo: string | Uint8Array): Promise<DecodedPhoto> {
  const label = photoLabel(photo);
  try {
    const image = sharp(photo, { failOn: 'warning', limitInputPixels: 600_000_000 });
    const metadata = await image.metadata();
    const { data, info } = await image
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new ZoeError('UNSUPPORTED_IMAGE', `${label} has ${info.channels} colour channels after conversion; expected RGB.`);
    }
    return { data, width: info.width, height: info.height, orientation: metadata.orientation ?? 1, format: metadata.format };
  } catch (error) {
    if (error instanceof ZoeError) throw error;
    throw photoDecodeError(error, label);
  }
}
