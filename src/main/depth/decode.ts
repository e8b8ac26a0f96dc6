/**
 * Photo decoding for the depth engine: sharp (libvips) to upright 8-bit sRGB RGB, with errors a
 * photographer can act on. The original photo is only ever read.
 */
import { ZoeError } from '../../shared/errors';
import { shownName } from '../fs/file-errors';
import { containerHint, describeUnreadablePhoto } from '../photos/describe';
import { assertPixelLimit, photoBytesOf, photoSharp } from '../photos/read';

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

/**
 * Decodes a photo (a path, read through `readPhoto`, or the file's bytes) once, upright and as
 * 8-bit sRGB RGB. The pixel limit is checked on the header before anything is decoded, and damaged
 * data is refused (`failOn: 'warning'`) rather than turned into a half-grey picture.
 */
export async function decodePhoto(photo: string | Uint8Array): Promise<DecodedPhoto> {
  const name = typeof photo === 'string' ? shownName(photo) : '';
  const bytes = await photoBytesOf(photo);
  try {
    const image = photoSharp(bytes, 'warning');
    const metadata = await image.metadata();
    assertPixelLimit(metadata, name);
    const { data, info } = await image
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new ZoeError('UNSUPPORTED_IMAGE', `${name === '' ? 'The photo' : `“${name}”`} has ${info.channels} colour channels after conversion; expected RGB.`);
    }
    return { data, width: info.width, height: info.height, orientation: metadata.orientation ?? 1, format: metadata.format };
  } catch (error) {
    if (error instanceof ZoeError) throw error;
    throw describeUnreadablePhoto(typeof photo === 'string' ? photo : '', error, await containerHint(bytes));
  }
}
