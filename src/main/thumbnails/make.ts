/**
 * Makes upright JPEG thumbnails and previews of photos: from the preview the camera embedded when
 * it is good enough (EXIF thumbnail, RAW preview), else by decoding and resizing the photo.
 */
import exifr from 'exifr';
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { ZoeError } from '../../shared/errors';
import type { ThumbnailSource } from '../../shared/thumbnails';
import { findEmbeddedJpegs, readJpegFrameSize } from './jpeg-markers';

/** An upright JPEG ready to be cached and served. */
export interface MadeImage {
  jpeg: Buffer;
  width: number;
  height: number;
  source: ThumbnailSource;
}

/** What a maker needs to know about a photo. */
export interface PhotoToRender {
  absolutePath: string;
  kind: 'image' | 'raw';
}

/** EXIF keeps the APP1 segment within the first 64 KiB after a few small segments. */
const HEAD_BYTES = 192 * 1024;
const JPEG_QUALITY = 82;

/** EXIF orientation 1–8, anything else counts as 1. */
function orientationOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 8 ? value : 1;
}

/**
 * Applies an EXIF orientation explicitly, for pixels whose orientation is stored somewhere else
 * than in their own EXIF (an embedded thumbnail follows the photo's tag; a RAW preview the RAW's).
 */
export function orient(image: Sharp, orientation: number): Sharp {
  switch (orientation) {
    case 2:
      return image.flop();
    case 3:
      return image.rotate(180);
    case 4:
      return image.flip();
    case 5:
      return image.rotate(270).flop();
    case 6:
      return image.rotate(90);
    case 7:
      return image.rotate(90).flop();
    case 8:
      return image.rotate(270);
    default:
      return image;
  }
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readOrientation(bytes: Uint8Array): Promise<number> {
  try {
    return orientationOf(await exifr.orientation(bytes));
  } catch {
    return 1;
  }
}

/** A region of an image, in its stored (not yet oriented) pixels. */
interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Re-encodes `jpeg` (or a region of it) upright and no larger than `longestSide`. */
async function uprightJpeg(
  jpeg: Uint8Array,
  orientation: number,
  longestSide: number,
  source: ThumbnailSource,
  region?: Region
): Promise<MadeImage> {
  const decoded = sharp(jpeg, { failOn: 'error' });
  const cropped = region === undefined ? decoded : decoded.extract(region);
  const { data, info } = await orient(cropped, orientation)
    .resize(longestSide, longestSide, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: JPEG_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height, source };
}

/**
 * The part of a thumbnail that shows the photo: cameras that shoot 3:2 or 16:9 often store a 4:3
 * thumbnail with black bars above and below (or beside) the picture.
 */
export function pictureRegion(thumbnail: { width: number; height: number }, photo: { width: number; height: number }): Region {
  const photoAspect = photo.width / photo.height;
  const thumbnailAspect = thumbnail.width / thumbnail.height;
  if (photoAspect > thumbnailAspect) {
    const height = Math.max(1, Math.round(thumbnail.width / photoAspect));
    return { left: 0, top: Math.floor((thumbnail.height - height) / 2), width: thumbnail.width, height };
  }
  const width = Math.max(1, Math.round(thumbnail.height * photoAspect));
  return { left: Math.floor((thumbnail.width - width) / 2), top: 0, width, height: thumbnail.height };
}

/**
 * The EXIF thumbnail of a JPEG, upright and without letterbox bars, when it is at least half of
 * `longestSide`; `null` otherwise.
 */
async function fromExifThumbnail(file: string, longestSide: number): Promise<MadeImage | null> {
  const head = await readHead(file);
  const photoSize = readJpegFrameSize(head);
  if (photoSize === null) return null;
  let thumbnail: Uint8Array | undefined;
  try {
    thumbnail = await exifr.thumbnail(head);
  } catch {
    return null;
  }
  if (thumbnail === undefined) return null;
  const thumbnailSize = readJpegFrameSize(thumbnail);
  if (thumbnailSize === null) return null;
  const aspectMismatch = Math.abs(photoSize.width / photoSize.height / (thumbnailSize.width / thumbnailSize.height) - 1);
  const region = aspectMismatch > 0.02 ? pictureRegion(thumbnailSize, photoSize) : undefined;
  const shown = region ?? thumbnailSize;
  if (Math.max(shown.width, shown.height) < longestSide / 2) return null;
  const orientation = await readOrientation(head);
  const fitsAsIs = region === undefined && orientation === 1 && Math.max(shown.width, shown.height) <= longestSide;
  if (fitsAsIs) {
    return { jpeg: Buffer.from(thumbnail), width: thumbnailSize.width, height: thumbnailSize.height, source: 'embedded' };
  }
  return uprightJpeg(thumbnail, orientation, longestSide, 'embedded', region);
}

/**
 * The JPEG preview embedded in a camera RAW file: the smallest one that covers `longestSide`,
 * else the largest. Oriented by the RAW's own EXIF tag, else by the preview's.
 */
async function fromRawPreview(file: string, longestSide: number): Promise<MadeImage> {
  const bytes = await readFile(file);
  const previews = findEmbeddedJpegs(bytes);
  const largest = previews[0];
  if (largest === undefined) {
    throw new ZoeError('UNSUPPORTED_IMAGE', `“${path.basename(file)}” is a camera RAW file without a JPEG preview that Zoe Studio can show.`);
  }
  const covering = previews.filter((preview) => Math.max(preview.width, preview.height) >= longestSide);
  const chosen = covering[covering.length - 1] ?? largest;
  const jpeg = bytes.subarray(chosen.offset, chosen.offset + chosen.length);
  const rawTag = await exifr.orientation(bytes).catch(() => undefined);
  const orientation = rawTag === undefined ? await readOrientation(jpeg) : orientationOf(rawTag);
  return uprightJpeg(jpeg, orientation, longestSide, 'embedded');
}

/** Decodes the whole photo with sharp, applies its EXIF orientation and resizes it. */
async function fromFullDecode(file: string, longestSide: number): Promise<MadeImage> {
  const { data, info } = await sharp(file, { failOn: 'error', limitInputPixels: 30_000 * 30_000 })
    .rotate()
    .resize(longestSide, longestSide, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#000000' })
    .jpeg({ quality: JPEG_QUALITY })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height, source: 'resized' };
}

/** What a file's header says it is, read without decoding pixels (`sharp().metadata()`). */
export interface ContainerHint {
  format: string;
  /** For HEIF: `hevc` (iPhone HEIC) or `av1` (AVIF). */
  compression?: string;
}

/** Formats whose failed decode, after a readable header, means damaged data rather than a missing codec. */
const PLAIN_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif']);

/** Whether this build of sharp (its libheif) decodes HEVC; the prebuilt one decodes only AV1 (AVIF). */
function decodesHevc(): boolean {
  const suffixes: readonly string[] = sharp.format.heif.input.fileSuffix ?? [];
  return suffixes.some((suffix) => suffix === '.heic' || suffix === '.heif');
}

/**
 * Turns a decoder failure into a reason a photographer understands. libvips keeps one error
 * buffer for all its threads, so under load the message may be another file's or empty: the
 * header `hint` (null when the header itself is unreadable) decides first, the text second.
 */
export function describeUnreadablePhoto(file: string, error: unknown, hint?: ContainerHint | null): ZoeError {
  if (error instanceof ZoeError) return error;
  const name = path.basename(file);
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || /input file is missing/i.test(detail)) return new ZoeError('NOT_FOUND', `“${name}” is no longer there.`, { detail, cause: error });
  if (code === 'EACCES' || code === 'EPERM') {
    return new ZoeError('IO_ERROR', `Zoe Studio is not allowed to read “${name}”.`, { detail, cause: error });
  }
  const hevc = hint?.format === 'heif' && hint.compression === 'hevc' && !decodesHevc();
  let message = `Zoe Studio could not read “${name}”.`;
  if (hevc || (hint === undefined && /HEVC|compression format has not been built in/i.test(detail))) {
    message = `“${name}” is compressed with HEVC, a codec the image library inside Zoe Studio does not include. Export it as JPEG (for example from Photos) to use it here.`;
  } else if (hint === null || (hint === undefined && /unsupported image format|not a known file format/i.test(detail))) {
    message = `“${name}” is not in an image format Zoe Studio can read.`;
  } else if (/pixel limit/i.test(detail)) {
    message = `“${name}” is too large for Zoe Studio to open.`;
  } else if ((hint !== undefined && PLAIN_FORMATS.has(hint.format)) || /corrupt|premature end|truncated|bad huffman|invalid (jpeg|png)|read error|vipsjpeg/i.test(detail)) {
    message = `“${name}” is damaged: its image data is incomplete or corrupt. Try copying it again from the card or the camera.`;
  }
  return new ZoeError('UNSUPPORTED_IMAGE', message, { detail, cause: error });
}

/** The header hint of a file, `null` when sharp does not recognise it as an image. */
export async function containerHint(file: string): Promise<ContainerHint | null> {
  try {
    const { format, compression } = await sharp(file).metadata();
    return compression === undefined ? { format } : { format, compression };
  } catch {
    return null;
  }
}

/**
 * An upright JPEG of `photo` no larger than `longestSide`: the embedded preview first, then a
 * full decode. Throws a `ZoeError` whose message says why a photo cannot be shown.
 */
export async function renderPhoto(photo: PhotoToRender, longestSide: number): Promise<MadeImage> {
  try {
    if (photo.kind === 'raw') return await fromRawPreview(photo.absolutePath, longestSide);
    const embedded = await fromExifThumbnail(photo.absolutePath, longestSide).catch(() => null);
    if (embedded !== null) return embedded;
    return await fromFullDecode(photo.absolutePath, longestSide);
  } catch (error) {
    if (error instanceof ZoeError) throw error;
    const present = await stat(photo.absolutePath).then(
      () => true,
      () => false
    );
    if (!present) throw new ZoeError('NOT_FOUND', `“${path.basename(photo.absolutePath)}” is no longer there.`, { cause: error });
    throw describeUnreadablePhoto(photo.absolutePath, error, photo.kind === 'raw' ? undefined : await containerHint(photo.absolutePath));
  }
}
