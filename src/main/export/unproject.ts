/**
 * From depth samples to 3-D points with the pinhole camera of ARCHITECTURE.md: X = (u − cx)·Z/fx,
 * Y = (v − cy)·Z/fy, in OpenCV camera axes: x right, y down, z forward along the optical axis, metres.
 */
import type { Intrinsics } from '../../shared/camera';
import type { DepthMap } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';

/** The upright photo's pixels at the depth grid's size, for colouring points. */
export interface PhotoRaster {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA, alpha ignored), interleaved, row-major, 8 bits. */
  channels: 3 | 4;
  data: Uint8Array;
}

/** Per-column x/z and per-row y/z ratios of the depth grid's rays: X = xOverZ[x]·Z, Y = yOverZ[y]·Z. */
export interface GridRays {
  xOverZ: Float64Array;
  yOverZ: Float64Array;
}

/**
 * The ray through each depth sample. Sample (x, y) sits at pixel ((x + 0.5)·W/width − 0.5, …) of the
 * photo the intrinsics describe (W its width), whatever the grid's own resolution.
 */
export function gridRays(depth: DepthMap, intrinsics: Intrinsics): GridRays {
  const { fx, fy, cx, cy } = intrinsics;
  if (!(fx > 0 && fy > 0 && Number.isFinite(cx) && Number.isFinite(cy) && intrinsics.width > 0 && intrinsics.height > 0)) {
    throw new ZoeError('INVALID_ARGUMENT', 'The camera intrinsics are not usable for 3-D export.', {
      detail: JSON.stringify({ fx, fy, cx, cy, width: intrinsics.width, height: intrinsics.height })
    });
  }
  const photoAspect = depth.photoWidth / depth.photoHeight;
  const intrinsicsAspect = intrinsics.width / intrinsics.height;
  if (Math.abs(photoAspect / intrinsicsAspect - 1) > 0.01) {
    throw new ZoeError('INVALID_ARGUMENT', 'The camera intrinsics belong to a photo of another shape.', {
      detail: `photo ${depth.photoWidth}×${depth.photoHeight}, intrinsics ${intrinsics.width}×${intrinsics.height}`
    });
  }
  const xOverZ = new Float64Array(depth.width);
  const yOverZ = new Float64Array(depth.height);
  for (let x = 0; x < depth.width; x++) xOverZ[x] = ((x + 0.5) * (intrinsics.width / depth.width) - 0.5 - cx) / fx;
  for (let y = 0; y < depth.height; y++) yOverZ[y] = ((y + 0.5) * (intrinsics.height / depth.height) - 0.5 - cy) / fy;
  return { xOverZ, yOverZ };
}

/** Refuses photo pixels that do not match the depth grid sample for sample. */
export function assertRasterMatches(depth: DepthMap, photo: PhotoRaster): void {
  if (photo.width !== depth.width || photo.height !== depth.height || photo.data.length !== photo.width * photo.height * photo.channels) {
    throw new ZoeError('INVALID_ARGUMENT', 'The photo’s pixels do not line up with its depth map.', {
      detail: `depth ${depth.width}×${depth.height}, photo ${photo.width}×${photo.height}×${photo.channels} (${photo.data.length} bytes)`
    });
  }
}
