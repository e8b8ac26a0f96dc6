/**
 * A triangle mesh from the depth grid: one vertex per kept sample (every `step`-th along x and y),
 * two triangles per grid cell, and no triangle that would bridge a foreground edge and the
 * background behind it.
 */
import { isValidDepth } from '../../shared/colormaps';
import type { DepthMap } from '../../shared/depth';
import type { GridRays } from './unproject';

/** Mesh arrays in glTF's axes (x right, y up, looking down −z from the camera at the origin). */
export interface DepthMesh {
  /** x y z per vertex, metres. */
  positions: Float32Array;
  /** u v per vertex in [0, 1], v downward from the top of the photo (glTF's convention). */
  uvs: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from the camera. */
  indices: Uint32Array;
  /** Triangles left out because they spanned a depth discontinuity. */
  cutTriangles: number;
}

/**
 * A surface tilted by θ from facing the camera changes depth by about d·tan θ per radian of view, so
 * a triangle whose relative depth change across its `angularSize` exceeds tan θ is steeper than θ.
 */
function spansDiscontinuity(a: number, b: number, c: number, maxRelativeChange: number): boolean {
  const near = Math.min(a, b, c);
  return Math.max(a, b, c) - near > near * maxRelativeChange;
}

/**
 * The mesh of the depth grid; triangles steeper than `cutAngleDegrees` from facing the camera are
 * cut (see {@link spansDiscontinuity}).
 */
export function buildDepthMesh(depth: DepthMap, rays: GridRays, step: number, cutAngleDegrees: number): DepthMesh {
  const { width, height, metres } = depth;
  // The view angle one grid step spans (rays are evenly spaced in tangent, so near the centre this is exact).
  const spacingX = width > 1 ? Math.abs(rays.xOverZ[1] - rays.xOverZ[0]) : 0;
  const spacingY = height > 1 ? Math.abs(rays.yOverZ[1] - rays.yOverZ[0]) : spacingX;
  const angularSize = step * Math.max(spacingX, spacingY);
  const maxRelativeJump = angularSize * Math.tan((cutAngleDegrees * Math.PI) / 180);
  const columns = Math.floor((width - 1) / step) + 1;
  const rows = Math.floor((height - 1) / step) + 1;
  const sampleAt = (column: number, row: number): number => row * step * width + column * step;

  // Pass 1: the triangles to keep, as grid-vertex numbers (row * columns + column).
  const kept: number[] = [];
  let cutTriangles = 0;
  const consider = (a: number, b: number, c: number, da: number, db: number, dc: number): void => {
    if (!isValidDepth(da) || !isValidDepth(db) || !isValidDepth(dc)) return;
    if (spansDiscontinuity(da, db, dc, maxRelativeJump)) cutTriangles++;
    else kept.push(a, b, c);
  };
  for (let row = 0; row + 1 < rows; row++) {
    for (let column = 0; column + 1 < columns; column++) {
      const topLeft = row * columns + column;
      const topRight = topLeft + 1;
      const bottomLeft = topLeft + columns;
      const bottomRight = bottomLeft + 1;
      const dTopLeft = metres[sampleAt(column, row)];
      const dTopRight = metres[sampleAt(column + 1, row)];
      const dBottomLeft = metres[sampleAt(column, row + 1)];
      const dBottomRight = metres[sampleAt(column + 1, row + 1)];
      consider(topLeft, bottomLeft, topRight, dTopLeft, dBottomLeft, dTopRight);
      consider(topRight, bottomLeft, bottomRight, dTopRight, dBottomLeft, dBottomRight);
    }
  }

  // Pass 2: number only the vertices some kept triangle uses.
  const vertexOf = new Int32Array(rows * columns).fill(-1);
  let vertexCount = 0;
  for (const gridVertex of kept) if (vertexOf[gridVertex] < 0) vertexOf[gridVertex] = vertexCount++;
  const positions = new Float32Array(vertexCount * 3);
  const uvs = new Float32Array(vertexCount * 2);
  for (let gridVertex = 0; gridVertex < vertexOf.length; gridVertex++) {
    const vertex = vertexOf[gridVertex];
    if (vertex < 0) continue;
    const column = gridVertex % columns;
    const row = (gridVertex - column) / columns;
    const x = column * step;
    const y = row * step;
    const z = metres[y * width + x];
    // OpenCV camera axes (x right, y down, z forward) to glTF's (x right, y up, z backward).
    positions[vertex * 3] = rays.xOverZ[x] * z;
    positions[vertex * 3 + 1] = -rays.yOverZ[y] * z;
    positions[vertex * 3 + 2] = -z;
    uvs[vertex * 2] = (x + 0.5) / width;
    uvs[vertex * 2 + 1] = (y + 0.5) / height;
  }
  const indices = Uint32Array.from(kept, (gridVertex) => vertexOf[gridVertex]);
  return { positions, uvs, indices, cutTriangles };
}

/** The smallest grid step that keeps the mesh within `maxVertices` vertices. */
export function meshStepFor(depth: DepthMap, maxVertices: number): number {
  let step = 1;
  while ((Math.floor((depth.width - 1) / step) + 1) * (Math.floor((depth.height - 1) / step) + 1) > maxVertices) step++;
  return step;
}
