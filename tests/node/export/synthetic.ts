/** Synthetic depth maps for the export tests: a slanted plane with a step, where every value is known. */
import type { DepthMap } from '../../../src/shared/depth';

/**
 * A floor-like plane rising from `near` at the bottom row to `far` at the top, slanted across x too,
 * with a box `stepMetres` nearer in the middle third (a depth discontinuity on each of its sides).
 */
export function slantedPlaneWithStep(
  width: number,
  height: number,
  { near = 1.25, far = 9.5, stepMetres = 0.8, photoWidth = width, photoHeight = height } = {}
): DepthMap {
  const metres = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = 1 - y / Math.max(1, height - 1);
      let depth = near + (far - near) * along * 0.8 + 0.2 * (far - near) * (x / Math.max(1, width - 1));
      const inBox = x >= width / 3 && x < (2 * width) / 3 && y >= height / 3 && y < (2 * height) / 3;
      if (inBox) depth -= stepMetres;
      metres[y * width + x] = depth;
    }
  }
  return {
    width,
    height,
    metres,
    photoWidth,
    photoHeight,
    modelId: 'test-synthetic',
    provider: 'cpu',
    options: { flip: true, pad: true },
    range: { min: 1e-3, max: 10 },
    timings: { decodeMs: 1, preprocessMs: 2, inferenceMs: 3, postprocessMs: 4, totalMs: 10 }
  };
}
