/**
 * Camera intrinsics of a photo on disk: EXIF read with exifr, pixel size read by sharp, the choice
 * made by the pure `chooseIntrinsics` in src/shared.
 */
import type { IntrinsicsOverride, IntrinsicsWithDescription } from '../../shared/camera';
import { ZoeError } from '../../shared/errors';
import { chooseIntrinsics } from '../../shared/measure/intrinsics';
import { assertPixelLimit, photoSharp, readPhoto } from '../photos/read';
import { readCameraExif } from './exif';

/** Intrinsics with the camera's name, when EXIF gives it. */
export interface PhotoIntrinsics extends IntrinsicsWithDescription {
  camera?: string;
}

/**
 * Intrinsics of the upright photo at `photoPath`, at its full resolution, with the source used and
 * the warnings met (absurd EXIF values skipped, unreadable fields). The photo is only read.
 */
export async function readPhotoIntrinsics(photoPath: string, override?: IntrinsicsOverride): Promise<PhotoIntrinsics> {
  const { bytes } = await readPhoto(photoPath);
  return intrinsicsOfPhotoBytes(bytes, override);
}

/** As {@link readPhotoIntrinsics}, for a photo already in memory. */
export async function intrinsicsOfPhotoBytes(bytes: Uint8Array, override?: IntrinsicsOverride): Promise<PhotoIntrinsics> {
  let storedWidth: number | undefined;
  let storedHeight: number | undefined;
  try {
    const metadata = await photoSharp(bytes).metadata();
    storedWidth = metadata.width;
    storedHeight = metadata.height;
  } catch (error) {
    throw new ZoeError('UNSUPPORTED_IMAGE', 'Zoe Studio cannot read the size of this photo.', { cause: error });
  }
  if (storedWidth === undefined || storedHeight === undefined) {
    throw new ZoeError('UNSUPPORTED_IMAGE', 'Zoe Studio cannot read the size of this photo.');
  }
  assertPixelLimit({ width: storedWidth, height: storedHeight }, '');
  const reading = await readCameraExif(bytes);
  const chosen = chooseIntrinsics({ exif: reading.exif, storedWidth, storedHeight, override });
  const result: PhotoIntrinsics = { ...chosen, warnings: [...reading.warnings, ...chosen.warnings] };
  if (reading.camera !== undefined) result.camera = reading.camera;
  return result;
}
