/** The photo as the 3-D and GDepth exports need it: upright (EXIF orientation applied), read only. */
import { containerHint, describeUnreadablePhoto } from '../photos/describe';
import { photoSharp, readPhoto } from '../photos/read';
import type { PhotoRaster } from './unproject';

/** Reads the photo (through `readPhoto`, never by path in libvips) and runs `work` on its bytes, explaining a decode failure. */
async function decodeOrExplain<T>(photoPath: string, work: (bytes: Uint8Array) => Promise<T>): Promise<T> {
  const { bytes } = await readPhoto(photoPath);
  try {
    return await work(bytes);
  } catch (error) {
    throw describeUnreadablePhoto(photoPath, error, await containerHint(bytes));
  }
}

/** The upright photo resampled to `width`×`height` RGB, to colour a depth grid of that size. */
export async function uprightRaster(photoPath: string, width: number, height: number): Promise<PhotoRaster> {
  return decodeOrExplain(photoPath, async (bytes) => {
    const { data, info } = await photoSharp(bytes)
      .rotate()
      .resize(width, height, { fit: 'fill' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: 3, data };
  });
}

/**
 * The upright photo as JPEG, its longest side at most `maxSide` when given. `keepExif` carries the
 * camera's EXIF over (sharp sets its orientation to upright).
 */
export async function uprightJpeg(photoPath: string, options: { quality: number; maxSide?: number; keepExif: boolean }): Promise<Buffer> {
  return decodeOrExplain(photoPath, async (bytes) => {
    let image = photoSharp(bytes).rotate();
    if (options.maxSide !== undefined) {
      image = image.resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true });
    }
    if (options.keepExif) image = image.keepExif();
    return image.toColourspace('srgb').jpeg({ quality: options.quality }).toBuffer();
  });
}
