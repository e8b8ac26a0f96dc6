/**
 * A depth map from anywhere (a file, the model) laid over the upright photo it belongs to. The
 * measuring code samples it at photo pixels: a grid of any resolution is resampled on the fly —
 * bilinearly (in inverse depth) on smooth surfaces, by a robust window near depth edges — so a
 * depth file never needs to be resized first.
 */
import { ZoeError } from '../../shared/errors';
import type { DepthGrid } from '../../shared/measure/sampling';

/** Aspect ratios that differ by more than this are not the same picture. */
const ASPECT_TOLERANCE = 0.02;

/** The grid over a photo of `photoWidth` × `photoHeight`; refuses a grid of another shape. */
export function depthGridOverPhoto(
  raster: { width: number; height: number; metres: Float32Array },
  photo: { width: number; height: number },
  depthName: string
): DepthGrid {
  const aspect = raster.width / raster.height;
  const photoAspect = photo.width / photo.height;
  if (Math.abs(aspect / photoAspect - 1) > ASPECT_TOLERANCE) {
    const sideways = Math.abs(1 / aspect / photoAspect - 1) <= ASPECT_TOLERANCE && raster.width !== raster.height;
    throw new ZoeError(
      'INVALID_ARGUMENT',
      sideways
        ? `The depth map “${depthName}” (${raster.width} × ${raster.height}) is turned a quarter from the upright photo (${photo.width} × ${photo.height}). Use depth made for the photo as it is shown (EXIF orientation applied).`
        : `The depth map “${depthName}” (${raster.width} × ${raster.height}) does not have the shape of the photo (${photo.width} × ${photo.height}). Is it the depth of another photo, or cropped?`
    );
  }
  return { width: raster.width, height: raster.height, metres: raster.metres, photoWidth: photo.width, photoHeight: photo.height };
}

/** How a grid is read at photo pixels, in one sentence for the photographer. */
export function describeResampling(grid: DepthGrid): string {
  if (grid.width === grid.photoWidth && grid.height === grid.photoHeight) return `depth ${grid.width} × ${grid.height}, one value per photo pixel`;
  return `depth ${grid.width} × ${grid.height} resampled to the ${grid.photoWidth} × ${grid.photoHeight} photo: bilinear (in inverse depth) on smooth surfaces, a robust 5 × 5 window near depth edges`;
}
