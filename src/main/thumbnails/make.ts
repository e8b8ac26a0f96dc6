/**
 * Makes upright JPEG thumbnails and previews of photos: from the preview the camera embedded when
 * it is good enough (EXIF thumbnail, RAW preview), else by decoding and resizing the photo.
 */
import exifr from 'exifr';
import type { FailOnOptions, Sharp } from 'sharp';
import { ZoeError } from '../../shared/errors';
import type { PhotoDamage, ThumbnailSource } from '../../shared/thumbnails';
import { shownName } from '../fs/file-errors';
import { containerHint, damagedMessage, describeUnreadablePhoto } from '../photos/describe';
import { assertPixelLimit, photoSharp, readPhoto } from '../photos/read';
import { findEmbeddedJpegs, readJpegFrameSize } from './jpeg-markers';

/** An upright JPEG ready to be cached and served. */
export interface MadeImage {
  jpeg: Buffer;
  width: number;
  height: number;
  source: ThumbnailSource;
  /** Set when the pixels are damaged (shown as far as they decode): the tile warns, depth refuses the photo. */
  damage?: PhotoDamage;
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

/** Re-encodes `jpeg` (or a region of it) upright and no larger than `longestSide`; damaged data is refused unless `failOn` is `none`. */
async function uprightJpeg(
  jpeg: Uint8Array,
  orientation: number,
  longestSide: number,
  source: ThumbnailSource,
  region?: Region,
  failOn: FailOnOptions = 'warning'
): Promise<MadeImage> {
  const decoded = photoSharp(jpeg, failOn);
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
  const { bytes: head, format } = await readPhoto(file, { headBytes: HEAD_BYTES });
  if (format !== 'jpeg') return null;
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
 * else the largest. Oriented by the RAW's own EXIF tag, else by the preview's. A truncated or
 * corrupt preview is passed over for the next one; when every preview is damaged, the chosen one
 * is shown as far as it decodes, marked damaged.
 */
async function fromRawPreview(file: string, longestSide: number): Promise<MadeImage> {
  const { bytes } = await readPhoto(file);
  const previews = findEmbeddedJpegs(bytes);
  if (previews.length === 0) {
    throw new ZoeError('UNSUPPORTED_IMAGE', `“${shownName(file)}” is a camera RAW file without a JPEG preview that Zoe Studio can show.`);
  }
  const covering = previews.filter((preview) => Math.max(preview.width, preview.height) >= longestSide);
  const chosen = covering[covering.length - 1] ?? previews[0];
  // The chosen preview first, then the others from the largest down.
  const candidates = [chosen, ...previews.filter((preview) => preview !== chosen)].filter((preview) => preview !== undefined);
  const rawTag = await exifr.orientation(bytes).catch(() => undefined);
  let firstFailure: unknown;
  for (const candidate of candidates) {
    const jpeg = bytes.subarray(candidate.offset, candidate.offset + candidate.length);
    const orientation = rawTag === undefined ? await readOrientation(jpeg) : orientationOf(rawTag);
    try {
      return await uprightJpeg(jpeg, orientation, longestSide, 'embedded');
    } catch (error) {
      firstFailure ??= error;
    }
  }
  const jpeg = bytes.subarray(chosen.offset, chosen.offset + chosen.length);
  const orientation = rawTag === undefined ? await readOrientation(jpeg) : orientationOf(rawTag);
  const subject = `The JPEG preview inside “${shownName(file)}”`;
  const shown = await uprightJpeg(jpeg, orientation, longestSide, 'embedded', undefined, 'none').catch(() => {
    throw describeUnreadablePhoto(file, firstFailure, { format: 'jpeg' });
  });
  return { ...shown, damage: { code: 'DAMAGED_IMAGE', message: damagedMessage(subject, 'jpeg') } };
}

/**
 * Decodes the whole photo with sharp, applies its EXIF orientation and resizes it. Damaged data is
 * shown as far as it decodes (the photographer should see what is left of it), marked damaged.
 */
async function fromFullDecode(file: string, longestSide: number): Promise<MadeImage> {
  const { bytes } = await readPhoto(file);
  const render = async (failOn: FailOnOptions): Promise<MadeImage> => {
    const image = photoSharp(bytes, failOn);
    assertPixelLimit(await image.metadata(), shownName(file));
    const { data, info } = await image
      .rotate()
      .resize(longestSide, longestSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#000000' })
      .jpeg({ quality: JPEG_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height, source: 'resized' };
  };
  try {
    return await render('warning');
  } catch (strictError) {
    const reason = describeUnreadablePhoto(file, strictError, await containerHint(bytes));
    if (reason.code !== 'DAMAGED_IMAGE') throw reason;
    const shown = await render('none').catch(() => {
      throw reason;
    });
    return { ...shown, damage: { code: 'DAMAGED_IMAGE', message: reason.message } };
  }
}

/**
 * An upright JPEG of `photo` no larger than `longestSide`: the embedded preview first, then a
 * full decode. Throws a `ZoeError` whose message says why a photo cannot be shown.
 */
export async function renderPhoto(photo: PhotoToRender, longestSide: number): Promise<MadeImage> {
  try {
    if (photo.kind === 'raw') return await fromRawPreview(photo.absolutePath, longestSide);
    const embedded = await fromExifThumbnail(photo.absolutePath, longestSide).catch((error: unknown) => {
      // A file that is no photo at all (or gone, or a pipe) is refused here; any other trouble with the EXIF thumbnail falls back to the photo.
      if (error instanceof ZoeError && ['UNSUPPORTED_IMAGE', 'NOT_A_FILE', 'NOT_FOUND', 'TOO_LARGE', 'PERMISSION_DENIED', 'DAMAGED_IMAGE'].includes(error.code)) throw error;
      return null;
    });
    if (embedded !== null) return embedded;
    return await fromFullDecode(photo.absolutePath, longestSide);
  } catch (error) {
    throw describeUnreadablePhoto(photo.absolutePath, error);
  }
}
