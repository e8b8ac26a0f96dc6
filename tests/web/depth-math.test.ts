import { describe, expect, it } from 'vitest';
import {
  automaticRange,
  depthAt,
  depthExtent,
  depthHistogram,
  depthPercentiles,
  formatLength,
  fromMetres,
  normalisedDepth,
  toMetres
} from '../../src/renderer/src/features/viewer/depth-math';

/** 1, 2, …, n in a shuffled order, so sorting is exercised. */
function shuffledRamp(n: number): Float32Array {
  const values = Array.from({ length: n }, (_, index) => index + 1);
  for (let index = n - 1; index > 0; index -= 1) {
    const other = (index * 7919) % (index + 1);
    [values[index], values[other]] = [values[other] as number, values[index] as number];
  }
  return Float32Array.from(values);
}

describe('depth percentiles and range', () => {
  it('interpolate between ranks like numpy’s default (linear) method', () => {
    // For 1..100, rank = p * 99, so the p-th percentile is 1 + 99 p.
    const [p2, p50, p98] = depthPercentiles(shuffledRamp(100), [0.02, 0.5, 0.98]) ?? [];
    expect(p2).toBeCloseTo(1 + 99 * 0.02, 5);
    expect(p50).toBeCloseTo(50.5, 5);
    expect(p98).toBeCloseTo(1 + 99 * 0.98, 5);
  });

  it('ignore missing depths (NaN, zero, negative) and give up on a map without any', () => {
    const metres = Float32Array.from([Number.NaN, 0, -1, 4, 2, Number.POSITIVE_INFINITY, 3]);
    expect(depthPercentiles(metres, [0, 1])).toEqual([2, 4]);
    expect(depthPercentiles(Float32Array.from([Number.NaN, 0]), [0.5])).toBeNull();
    expect(automaticRange(Float32Array.from([0, Number.NaN]))).toBeNull();
  });

  it('automatic range leaves the extreme 2 % on each side out', () => {
    const metres = shuffledRamp(1000);
    metres[0] = 5000; // one wild outlier does not stretch the range
    const range = automaticRange(metres);
    expect(range?.near).toBeGreaterThan(15);
    expect(range?.far).toBeLessThan(1000);
    expect(depthExtent(metres)?.far).toBe(5000);
  });
});

describe('depth histogram', () => {
  it('counts every depth in its bin and leaves out what is outside', () => {
    const metres = Float32Array.from([1, 1.5, 2.49, 2.5, 3.99, 4, 7, Number.NaN]);
    const counts = depthHistogram(metres, 1, 4, 3);
    // Bins [1,2), [2,3), [3,4]: 4 falls in the last bin, 7 and NaN nowhere.
    expect(Array.from(counts)).toEqual([2, 2, 2]);
  });
});

describe('depth under the cursor', () => {
  const grid = { width: 2, height: 2, metres: Float32Array.from([1, 3, 5, 7]) };

  it('is the sample’s value at a sample centre and interpolated between them', () => {
    expect(depthAt(grid, 0.25, 0.25)).toBeCloseTo(1);
    expect(depthAt(grid, 0.75, 0.75)).toBeCloseTo(7);
    expect(depthAt(grid, 0.5, 0.25)).toBeCloseTo(2);
    expect(depthAt(grid, 0.5, 0.5)).toBeCloseTo(4);
    // Beyond the outer sample centres the edge value holds.
    expect(depthAt(grid, 0, 0)).toBeCloseTo(1);
  });

  it('is nothing outside the photo or where depth is missing', () => {
    expect(depthAt(grid, -0.01, 0.5)).toBeNull();
    expect(depthAt(grid, 0.5, 1.01)).toBeNull();
    expect(depthAt({ width: 2, height: 1, metres: Float32Array.from([2, Number.NaN]) }, 0.6, 0.5)).toBeNull();
  });
});

describe('units', () => {
  it('convert with the international foot (0.3048 m) both ways', () => {
    expect(fromMetres(0.3048, 'feet')).toBeCloseTo(1, 10);
    expect(toMetres(10, 'feet')).toBeCloseTo(3.048, 10);
    expect(toMetres(fromMetres(2.5, 'feet'), 'feet')).toBeCloseTo(2.5, 10);
    expect(fromMetres(2.5, 'metres')).toBe(2.5);
  });

  it('format lengths for a photographer', () => {
    expect(formatLength(2.345, 'metres')).toBe('2.35 m');
    expect(formatLength(12.34, 'metres')).toBe('12.3 m');
    expect(formatLength(3.048, 'feet')).toBe('10.0 ft');
    expect(formatLength(1, 'feet')).toBe('3.28 ft');
  });

  it('place depths in the colour range, inverted on request', () => {
    expect(normalisedDepth(5, { near: 0, far: 10 }, false)).toBe(0.5);
    expect(normalisedDepth(2, { near: 0, far: 10 }, true)).toBeCloseTo(0.8);
    expect(normalisedDepth(20, { near: 0, far: 10 }, false)).toBe(1);
  });
});
