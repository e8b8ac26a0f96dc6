/**
 * The one way a photo file is read: a regular file within the size limit, read into memory as one
 * consistent version (see `readRegularFile`), and a real photo format by its first bytes. Every
 * decoder (thumbnails, previews, depth, measuring, export, EXIF) works on these bytes, never on
 * the path, so a photo rewritten or truncated while it is decoded cannot crash the process.
 */
import sharp, { type FailOnOptions, type Sharp } from 'sharp';
import { ZoeError } from '../../shared/errors';
import { shownName } from '../fs/file-errors';
import { readRegularFile, type FileSnapshot } from '../fs/read-file';
import { sniffPhotoFormat, type PhotoFormat } from './format';

/** Photo files larger than this are refused before they are read (a 150 MP 16-bit TIFF is ~900 MB). */
export const MAX_PHOTO_BYTES = 1024 ** 3;

/**
 * The largest photo Zoe Studio decodes, in pixels (width × height): one limit for thumbnails,
 * depth, measuring and export, checked from the header before anything runs. 250 MP covers
 * every camera sensor and most stitched panoramas; a full-resolution depth map of it is 1 GB.
 */
export const MAX_PHOTO_PIXELS = 250_000_000;

/** A photo's bytes, the identity of the version they came from, and the format they are in. */
export interface PhotoFile extends FileSnapshot {
  format: PhotoFormat;
}

/** The format of photo bytes, or UNSUPPORTED_IMAGE (DAMAGED_IMAGE when empty) saying what the file is instead. */
export function photoFormatOf(bytes: Uint8Array, name: string): PhotoFormat {
  const sniffed = sniffPhotoFormat(bytes);
  if (sniffed.format !== undefined) return sniffed.format;
  const subject = name === '' ? 'The photo' : `“${name}”`;
  if (bytes.length === 0) {
    throw new ZoeError('DAMAGED_IMAGE', `${subject} is empty (0 bytes): the copy was probably interrupted. Copy it again from the card or the camera.`);
  }
  throw new ZoeError('UNSUPPORTED_IMAGE', `${subject} is ${sniffed.refused}, not a photo Zoe Studio can read.`);
}

/**
 * Reads the photo at `filePath` (or only its first `headBytes`) and checks that it is one.
 * Typed errors: NOT_FOUND, NOT_A_FILE, TOO_LARGE, FILE_CHANGED, PERMISSION_DENIED, NAME_TOO_LONG,
 * UNSUPPORTED_IMAGE, DAMAGED_IMAGE.
 */
export async function readPhoto(filePath: string, options: { headBytes?: number } = {}): Promise<PhotoFile> {
  const snapshot = await readRegularFile(filePath, {
    maxBytes: MAX_PHOTO_BYTES,
    what: 'photo',
    ...(options.headBytes === undefined ? {} : { headBytes: options.headBytes })
  });
  return { ...snapshot, format: photoFormatOf(snapshot.bytes, shownName(filePath)) };
}

/** Reads the bytes of the photo at `photo`, or checks bytes already in memory; refuses what is no photo. */
export async function photoBytesOf(photo: string | Uint8Array): Promise<Uint8Array> {
  if (typeof photo === 'string') return (await readPhoto(photo)).bytes;
  photoFormatOf(photo, '');
  return photo;
}

/**
 * A sharp pipeline on photo bytes, with the one pixel limit. `failOn`: `warning` refuses damaged
 * data (corrupt entropy-coded blocks, truncation), `none` decodes whatever is there.
 */
export function photoSharp(bytes: Uint8Array, failOn: FailOnOptions = 'warning'): Sharp {
  return sharp(bytes, { failOn, limitInputPixels: MAX_PHOTO_PIXELS });
}

/** Throws TOO_LARGE when `width`×`height` is over {@link MAX_PHOTO_PIXELS}. */
export function assertPixelLimit(size: { width?: number | undefined; height?: number | undefined }, name: string): void {
  const subject = name === '' ? 'The photo' : `“${name}”`;
  const pixels = (size.width ?? 0) * (size.height ?? 0);
  if (pixels <= MAX_PHOTO_PIXELS) return;
  throw new ZoeError(
    'TOO_LARGE',
    `${subject} is too large: ${size.width}×${size.height} pixels (${Math.round(pixels / 1e6)} megapixels); Zoe Studio handles photos of up to ${MAX_PHOTO_PIXELS / 1e6} megapixels. Make a smaller copy to use it here.`,
    { detail: `${pixels} pixels > ${MAX_PHOTO_PIXELS}` }
  );
}
