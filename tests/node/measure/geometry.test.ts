/** Pinhole geometry, plane fitting and formatting, on inputs whose answers are known by construction. */
import { describe, expect, it } from 'vitest';
import {
  angleAtDeg,
  intersectRayWithPlane,
  isInsidePolygon,
  planarPolygonArea,
  project,
  unproject,
  type Pinhole
} from '../../../src/shared/measure/geometry';
import { fitPlane, leastSquaresPlane } from '../../../src/shared/measure/plane-fit';
import { formatArea, formatLength, formatWithBand, parseLength } from '../../../src/shared/measure/units';
import type { Vec3 } from '../../../src/shared/measure/vector';

const camera: Pinhole = { fx: 800, fy: 820, cx: 319.5, cy: 239.5 };

describe('pinhole geometry', () => {
  it('unprojects with depth as z-distance, and projects back', () => {
    const point = unproject(camera, { u: 719.5, v: 239.5 }, 4);
    // 400 px right of centre at fx 800 is half the depth sideways; z stays the depth.
    expect(point).toEqual([2, 0, 4]);
    const pixel = project(camera, [-0.7, 1.3, 5.2]);
    expect(pixel).not.toBeNull();
    const back = unproject(camera, pixel ?? { u: 0, v: 0 }, 5.2);
    back.forEach((value, k) => expect(value).toBeCloseTo([-0.7, 1.3, 5.2][k] ?? NaN, 12));
    expect(project(camera, [0, 0, -1])).toBeNull();
  });

  it('intersects rays with a plane and measures planar polygons', () => {
    // The floor 1.5 m below the camera: y = 1.5 (y points down), normal (0, 1, 0), offset −1.5.
    const floor = { normal: [0, 1, 0] as Vec3, offset: -1.5 };
    const corners: Vec3[] = [[-1, 1.5, 3], [1, 1.5, 3], [1, 1.5, 6], [-1, 1.5, 6]];
    const hits = corners.map((corner) => intersectRayWithPlane(camera, project(camera, corner) ?? { u: 0, v: 0 }, floor));
    hits.forEach((hit, i) => hit?.forEach((value, k) => expect(value).toBeCloseTo(corners[i]?.[k] ?? NaN, 9)));
    expect(planarPolygonArea(corners)).toBeCloseTo(6, 12);
    // Above the horizon the ray never meets the floor.
    expect(intersectRayWithPlane(camera, { u: 319.5, v: 100 }, floor)).toBeNull();
    expect(angleAtDeg([1, 0, 0], [0, 0, 0], [0, 0, 1])).toBeCloseTo(90, 12);
    expect(angleAtDeg([1, 0, 0], [0, 0, 0], [1, 1e-9, 0])).toBeCloseTo(0, 6);
  });

  it('tests points inside a polygon drawn on the photo', () => {
    const square = [{ u: 0, v: 0 }, { u: 10, v: 0 }, { u: 10, v: 10 }, { u: 0, v: 10 }];
    expect(isInsidePolygon(square, 5, 5)).toBe(true);
    expect(isInsidePolygon(square, 11, 5)).toBe(false);
    const notch = [{ u: 0, v: 0 }, { u: 10, v: 0 }, { u: 10, v: 10 }, { u: 5, v: 2 }, { u: 0, v: 10 }];
    expect(isInsidePolygon(notch, 5, 6)).toBe(false);
    expect(isInsidePolygon(notch, 2, 3)).toBe(true);
  });
});

describe('plane fitting', () => {
  /** A deterministic scatter: points of a tilted plane with a third of outliers in front of it. */
  function tiltedPlaneWithOutliers(): { points: Vec3[]; normal: Vec3; offset: number } {
    const normal: Vec3 = [0.2, -0.9, -0.3];
    const length = Math.hypot(...normal);
    const unit: Vec3 = [normal[0] / length, normal[1] / length, normal[2] / length];
    const offset = 2;
    const points: Vec3[] = [];
    for (let i = 0; i < 600; i++) {
      const x = ((i * 37) % 100) / 25 - 2;
      const z = 2 + ((i * 53) % 97) / 20;
      const y = -(offset + unit[0] * x + unit[2] * z) / unit[1];
      points.push(i % 3 === 0 ? [x, y - 0.3 - ((i * 7) % 11) / 10, z] : [x, y, z]);
    }
    return { points, normal: unit, offset };
  }

  it('finds a plane among a third of outliers, exactly', () => {
    const { points, normal, offset } = tiltedPlaneWithOutliers();
    const fit = fitPlane(points);
    expect(fit).not.toBeNull();
    const sign = Math.sign(fit?.plane.offset ?? 0) * Math.sign(offset);
    fit?.plane.normal.forEach((value, k) => expect(value * sign).toBeCloseTo(normal[k] ?? NaN, 9));
    expect((fit?.plane.offset ?? 0) * sign).toBeCloseTo(offset, 9);
    expect(fit?.inlierCount).toBe(400);
    // Plain least squares is pulled off by the outliers.
    const naive = leastSquaresPlane(points);
    expect(Math.abs(Math.abs(naive?.offset ?? 0) - offset)).toBeGreaterThan(0.01);
  });

  it('gives nothing for points that do not span a plane', () => {
    expect(fitPlane([[0, 0, 1], [0, 0, 2]])).toBeNull();
    expect(fitPlane([[0, 0, 1], [0, 0, 2], [0, 0, 3], [0, 0, 4]])).toBeNull();
  });
});

describe('units', () => {
  it('formats lengths and areas in metres and in feet and inches', () => {
    expect(formatLength(2.345, 'metric')).toBe('2.35 m');
    expect(formatLength(0.853, 'metric')).toBe('85.3 cm');
    expect(formatLength(2.032, 'imperial')).toBe('6 ft 8.0 in');
    expect(formatLength(0.2667, 'imperial')).toBe('10.5 in');
    expect(formatArea(3, 'metric')).toBe('3.00 m²');
    expect(formatArea(3, 'imperial')).toBe('32.3 ft²');
    expect(formatWithBand('length', 2.35, 0.18, 'metric')).toBe('2.35 m ± 18.0 cm');
    expect(formatWithBand('angle', 90, null, 'metric')).toBe('90.0°');
  });

  it('reads the lengths photographers type', () => {
    expect(parseLength('2', 'metric')).toBe(2);
    expect(parseLength('2.00 m', 'metric')).toBe(2);
    expect(parseLength('203,2 cm', 'metric')).toBeCloseTo(2.032, 12);
    expect(parseLength('6 ft 8 in', 'metric')).toBeCloseTo(2.032, 12);
    expect(parseLength(`6' 8"`, 'metric')).toBeCloseTo(2.032, 12);
    expect(parseLength('80 in', 'metric')).toBeCloseTo(2.032, 12);
    expect(parseLength('6.5', 'imperial')).toBeCloseTo(6.5 * 0.3048, 12);
    expect(parseLength('two metres', 'metric')).toBeNull();
    expect(parseLength('0', 'metric')).toBeNull();
    expect(parseLength('2 m 3 in', 'metric')).toBeNull();
  });
});
