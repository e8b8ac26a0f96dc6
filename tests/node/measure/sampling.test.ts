/** Robust depth sampling on depth grids whose true depth is known at every position. */
import { describe, expect, it } from 'vitest';
import { gridToPhoto, photoToGrid, sampleDepth, type DepthGrid } from '../../../src/shared/measure/sampling';

/**
 * A grid over a `photoWidth` × `photoHeight` photo whose depth is a slanted plane: inverse depth
 * affine in photo pixels, as any plane is under a pinhole camera.
 */
function slantedPlane(width: number, height: number, photoWidth: number, photoHeight: number): { grid: DepthGrid; depthAt: (u: number, v: number) => number } {
  const depthAt = (u: number, v: number): number => 1 / (0.4 - 0.0004 * u + 0.0009 * v);
  const metres = new Float32Array(width * height);
  const grid: DepthGrid = { width, height, metres, photoWidth, photoHeight };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const { u, v } = gridToPhoto(grid, x, y);
      metres[y * width + x] = depthAt(u, v);
    }
  }
  return { grid, depthAt };
}

describe('depth sampling', () => {
  it('maps photo pixels to the grid with pixel centres aligned (DepthMap convention)', () => {
    const grid: DepthGrid = { width: 100, height: 75, metres: new Float32Array(7500), photoWidth: 400, photoHeight: 300 };
    // Grid cell 0 covers photo pixels 0-3: its centre is at photo 1.5.
    expect(gridToPhoto(grid, 0, 0)).toEqual({ u: 1.5, v: 1.5 });
    expect(photoToGrid(grid, 1.5, 1.5)).toEqual({ x: 0, y: 0 });
    expect(photoToGrid(grid, -0.5, -0.5)).toEqual({ x: -0.5, y: -0.5 });
    expect(photoToGrid(grid, 399.5, 299.5)).toEqual({ x: 99.5, y: 74.5 });
  });

  it('is exact at sub-pixel positions on a slanted plane, at model resolution below the photo', () => {
    const { grid, depthAt } = slantedPlane(128, 96, 512, 384);
    for (const [u, v] of [[100.3, 50.7], [255.5, 191.5], [10.2, 370.9], [500.1, 3.3]] as const) {
      const sample = sampleDepth(grid, u, v);
      expect(sample?.method).toBe('bilinear');
      expect(Math.abs((sample?.metres ?? 0) / depthAt(u, v) - 1)).toBeLessThan(1e-5);
    }
  });

  it('ignores NaN, zero, negative and out-of-range values', () => {
    const { grid, depthAt } = slantedPlane(64, 48, 64, 48);
    const ranged: DepthGrid = { ...grid, metres: grid.metres.slice(), range: { min: 0.001, max: 10 } };
    const broken = [[20, 20, Number.NaN], [21, 20, 0], [20, 21, -1], [22, 22, 80], [19, 19, Number.POSITIVE_INFINITY]] as const;
    for (const [x, y, value] of broken) ranged.metres[y * 64 + x] = value;
    const sample = sampleDepth(ranged, 20.4, 20.6);
    expect(sample).not.toBeNull();
    expect(sample?.validCount).toBe(25 - broken.length);
    expect(Math.abs((sample?.metres ?? 0) / depthAt(20.4, 20.6) - 1)).toBeLessThan(1e-4);
  });

  it('beside a depth edge it gives the depth of the surface under the point, never a blend', () => {
    const width = 40;
    const metres = new Float32Array(width * 30);
    // A box 2 m away on the left half, a wall 5 m away on the right: the edge between x = 19 and 20.
    for (let y = 0; y < 30; y++) for (let x = 0; x < width; x++) metres[y * width + x] = x < 20 ? 2 : 5;
    const grid: DepthGrid = { width, height: 30, metres, photoWidth: width, photoHeight: 30 };
    expect(sampleDepth(grid, 18.8, 10)?.metres).toBeCloseTo(2, 6);
    expect(sampleDepth(grid, 19.4, 10)?.metres).toBeCloseTo(2, 6);
    expect(sampleDepth(grid, 19.6, 10)?.metres).toBeCloseTo(5, 6);
    expect(sampleDepth(grid, 20.2, 10)?.metres).toBeCloseTo(5, 6);
    expect(sampleDepth(grid, 19.4, 10)?.method).not.toBe('bilinear');
  });

  it('a lone speck of noise does not move the result (median)', () => {
    const metres = new Float32Array(25 * 25).fill(3);
    metres[12 * 25 + 12] = 0.5;
    metres[12 * 25 + 13] = 9;
    const sample = sampleDepth({ width: 25, height: 25, metres, photoWidth: 25, photoHeight: 25 }, 12, 12);
    expect(sample?.metres).toBe(3);
  });

  it('returns null off the photo or where no depth is valid', () => {
    const { grid } = slantedPlane(16, 16, 16, 16);
    expect(sampleDepth(grid, -1, 4)).toBeNull();
    expect(sampleDepth(grid, 4, 16)).toBeNull();
    const empty: DepthGrid = { ...grid, metres: new Float32Array(256).fill(Number.NaN) };
    expect(sampleDepth(empty, 8, 8)).toBeNull();
  });
});
