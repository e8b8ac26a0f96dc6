/** Depth samples inside a polygon drawn on the photo, as camera-space points for plane fitting. */
import type { Intrinsics } from '../camera';
import { isInsidePolygon, unproject, type PhotoPoint } from './geometry';
import { gridToPhoto, isValidDepth, photoToGrid, type DepthGrid } from './sampling';
import type { Vec3 } from './vector';

/** More samples than this add time, not accuracy: larger regions are sampled on a coarser lattice. */
export const MAX_REGION_SAMPLES = 20_000;

/**
 * Every valid depth cell whose centre lies inside the polygon (photo pixels), unprojected with the
 * depth multiplied by `depthFactor` (the calibration).
 */
export function collectRegionSamples(grid: DepthGrid, intrinsics: Intrinsics, polygon: readonly PhotoPoint[], depthFactor: number): Vec3[] {
  const corners = polygon.map((p) => photoToGrid(grid, p.u, p.v));
  const minX = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.x))));
  const maxX = Math.min(grid.width - 1, Math.ceil(Math.max(...corners.map((c) => c.x))));
  const minY = Math.max(0, Math.floor(Math.min(...corners.map((c) => c.y))));
  const maxY = Math.min(grid.height - 1, Math.ceil(Math.max(...corners.map((c) => c.y))));
  if (maxX < minX || maxY < minY) return [];
  const cells = (maxX - minX + 1) * (maxY - minY + 1);
  const stride = Math.max(1, Math.ceil(Math.sqrt(cells / MAX_REGION_SAMPLES)));
  const samples: Vec3[] = [];
  for (let y = minY; y <= maxY; y += stride) {
    for (let x = minX; x <= maxX; x += stride) {
      const value = grid.metres[y * grid.width + x];
      if (!isValidDepth(grid, value)) continue;
      const photo = gridToPhoto(grid, x, y);
      if (!isInsidePolygon(polygon, photo.u, photo.v)) continue;
      samples.push(unproject(intrinsics, photo, value * depthFactor));
    }
  }
  return samples;
}
