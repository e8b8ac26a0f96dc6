/** The photo as the 3-D and GDepth exports need it: upright (EXIF orientation applied), read only. */
import sharp from 'sharp';
import { ZoeError } from '../../shared/errors';
import type { PhotoRaster } from './unproject';

async function decodeOrExplain<T>(photoPath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ZoeError) throw error;
    throw new ZoeError('UNSUPPORTED_IMAGE', 'Zoe Studio could not read this photo to export it.', {
      detail: `${photoPath}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error
    });
  }
}

/** The upright photo resampled to `width`×`height` RGB, to colour a depth grid of that size. */
export async function uprightRaster(photoPath: string, width: number, height: number): Promise<PhotoRaster> {
  return decodeOrExplain(photoPath, async () => {
    const { data, info } = await sharp(photoPath)
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
  return decodeOrExplain(photoPath, async () => {
    let image = sharp(photoPath).rotate();
    if (options.maxSide !== undefined) {
      image = image.resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true });
    }
    if (options.keepExif) image = image.keepExif();
    return image.toColourspace('srgb').jpeg({ quality: options.quality }).toBuffer();
  });
}
