/**
 * Calibration and uncertainty bands on the synthetic room: a depth map off in scale (as monocular
 * depth often is) is corrected by a reference length, every measure follows, and a reset undoes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibratedDepth, calibrateWithKnownLength, NO_CALIBRATION, resetCalibration } from '../../../src/shared/measure/calibration';
import type { PhotoPoint } from '../../../src/shared/measure/geometry';
import { calibrationFromReference, measureAngle, measureArea, measureDistance, measureHeight, measurePointDepth, type MeasureContext } from '../../../src/shared/measure/measures';
import type { DepthGrid } from '../../../src/shared/measure/sampling';
import type { Vec3 } from '../../../src/shared/measure/vector';
import { faceNameAt, pixelOf, roomScene, ROOM_SIZE, sceneOnDisk, worldDistance, type SceneOnDisk } from '../../helpers/synthetic-scene';

let folder: string;
let room: SceneOnDisk;
/** The room's depth as a model with a 7 % scale error would give it. */
let tooFar: DepthGrid;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'zoe-calibration-'));
  room = await sceneOnDisk(roomScene(), folder, 'room', 8, { kind: 'focal-plane', unit: 4, sensorWidthMm: 7.6 });
  tooFar = { ...room.depth, metres: room.depth.metres.map((metres) => metres * 1.07) };
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function on(face: string, world: Vec3): PhotoPoint {
  const pixel = pixelOf(room.camera, world);
  expect(faceNameAt(room, pixel)).toBe(face);
  return pixel;
}

const far = ROOM_SIZE.depth;
const doorLeft: Vec3 = [-1.5, 1.0, far];
const doorRight: Vec3 = [0.5, 1.0, far];
const floorRegion: Vec3[] = [[-1, 0, 3], [1, 0, 3], [1, 0, 5], [-1, 0, 5]];
const wallRegion: Vec3[] = [[-1.5, 0.3, far], [1.5, 0.3, far], [1.5, 2.3, far], [-1.5, 2.3, far]];

describe('calibration with a known length', () => {
  it('rescales every measure to the truth, and a reset undoes it', () => {
    const off: MeasureContext = { depth: tooFar, intrinsics: room.intrinsics };
    const reference = measureDistance(off, on('far wall', doorLeft), on('far wall', doorRight));
    const known = worldDistance(doorLeft, doorRight);
    expect(reference.value / known).toBeCloseTo(1.07, 3);

    const calibration = calibrateWithKnownLength(reference.value, known);
    expect(calibration.factor).toBeCloseTo(1 / 1.07, 4);
    const fixed: MeasureContext = { ...off, calibration };

    const a: Vec3 = [-1, 0, 3];
    const b: Vec3 = [1.5, 0, 5.5];
    const distance = measureDistance(fixed, on('floor', a), on('floor', b));
    expect(Math.abs(distance.value / worldDistance(a, b) - 1)).toBeLessThan(0.005);
    expect(distance.calibrationFactor).toBe(calibration.factor);
    const area = measureArea(fixed, wallRegion.map((p) => on('far wall', p)));
    expect(Math.abs(area.value / 6 - 1)).toBeLessThan(0.01);
    const ceiling: Vec3 = [0.5, ROOM_SIZE.height, 5.0];
    const height = measureHeight(fixed, floorRegion.map((p) => on('floor', p)), on('ceiling', ceiling));
    expect(Math.abs(height.value / ROOM_SIZE.height - 1)).toBeLessThan(0.01);
    // Angles do not depend on scale at all.
    const angleOff = measureAngle(off, on('floor', [-1, 0, 3]), on('floor', [1, 0, 3]), on('floor', [1, 0, 5]));
    const angleFixed = measureAngle(fixed, on('floor', [-1, 0, 3]), on('floor', [1, 0, 3]), on('floor', [1, 0, 5]));
    expect(angleFixed.value).toBeCloseTo(angleOff.value, 9);

    // Calibrating again on the calibrated measure changes nothing; a reset returns the raw depth.
    const again = calibrateWithKnownLength(measureDistance(fixed, on('far wall', doorLeft), on('far wall', doorRight)).value, known, calibration);
    expect(again.factor).toBeCloseTo(calibration.factor, 9);
    expect(resetCalibration().factor).toBe(1);
    const reset = measureDistance({ ...off, calibration: resetCalibration() }, on('floor', a), on('floor', b));
    expect(reset.value / worldDistance(a, b)).toBeCloseTo(1.07, 3);
  });

  it('the calibrated depth map itself is rescaled', () => {
    const calibration = calibrateWithKnownLength(1.07, 1);
    const map = calibratedDepth({ ...tooFar, range: { min: 0.001, max: 10 } }, calibration);
    const point = on('far wall', doorLeft);
    const viaMap = measurePointDepth({ depth: map, intrinsics: room.intrinsics }, point);
    const viaFactor = measurePointDepth({ depth: tooFar, intrinsics: room.intrinsics, calibration }, point);
    expect(viaMap.value).toBeCloseTo(viaFactor.value, 5);
    expect(map.range?.max).toBeCloseTo(10 / 1.07, 9);
    expect(tooFar.metres[0]).toBeCloseTo(room.depth.metres[0] * 1.07, 4);
  });

  it('refuses references that make no sense', () => {
    expect(() => calibrateWithKnownLength(2, 0)).toThrow(/positive/);
    expect(() => calibrateWithKnownLength(0, 2)).toThrow(/no length/);
    expect(() => calibrateWithKnownLength(0.1, 2)).toThrow(/rescale/);
    expect(NO_CALIBRATION.factor).toBe(1);
  });
});

describe('uncertainty bands from the model relative error', () => {
  const e = 0.075;

  it('a distance band covers a whole-scene scale error exactly, and grows when the ends are at different depths', () => {
    const exact: MeasureContext = { depth: room.depth, intrinsics: room.intrinsics, relativeError: e };
    const across = measureDistance(exact, on('far wall', doorLeft), on('far wall', doorRight));
    const scaled: MeasureContext = { ...exact, depth: { ...room.depth, metres: room.depth.metres.map((m) => m * (1 + e)) } };
    const acrossScaled = measureDistance(scaled, on('far wall', doorLeft), on('far wall', doorRight));
    expect(across.uncertainty?.scaleBand).toBeCloseTo(acrossScaled.value - across.value, 6);
    expect(across.uncertainty?.band).toBeGreaterThanOrEqual(across.uncertainty?.scaleBand ?? Infinity);

    // Running away from the camera, independent errors of the two ends dominate: e·sqrt((û·P1)² + (û·P2)²).
    const near: Vec3 = [0.3, 0, 3];
    const farPoint: Vec3 = [0.3, 0, 5.8];
    const along = measureDistance(exact, on('floor', near), on('floor', farPoint));
    const [p1, p2] = along.points.map((p) => p.camera);
    const length = worldDistance(p1, p2);
    const unit = [0, 1, 2].map((k) => (p2[k] - p1[k]) / length);
    const projection = (p: Vec3): number => unit[0] * p[0] + unit[1] * p[1] + unit[2] * p[2];
    const expected = e * Math.hypot(projection(p1), projection(p2));
    // The band perturbs by ±e rather than differentiating, so it matches the linearised formula to O(e²).
    expect(Math.abs((along.uncertainty?.pointBand ?? 0) / expected - 1)).toBeLessThan(0.01);
    expect(along.uncertainty?.band).toBeGreaterThan(e * along.value);
  });

  it('areas get ((1 + e)² − 1)·A, angles a band from the points only, no figure no band', () => {
    const exact: MeasureContext = { depth: room.depth, intrinsics: room.intrinsics, relativeError: e };
    const area = measureArea(exact, wallRegion.map((p) => on('far wall', p)));
    expect(area.uncertainty?.band).toBeCloseTo(area.value * ((1 + e) ** 2 - 1), 6);
    const angle = measureAngle(exact, on('floor', [-1, 0, 3]), on('floor', [1, 0, 3]), on('far wall', [1, 1, far]));
    expect(angle.uncertainty?.scaleBand).toBeCloseTo(0, 9);
    expect(angle.uncertainty?.band).toBeGreaterThan(0);
    expect(measureDistance({ depth: room.depth, intrinsics: room.intrinsics }, on('far wall', doorLeft), on('far wall', doorRight)).uncertainty).toBeNull();
  });
});

describe('uncalibrated and calibrated bands (zero-shot scale error, in-domain point error)', () => {
  const zeroShot = 0.248;
  const inDomain = 0.075;

  it('uncalibrated: the scale and point parts add in quadrature', () => {
    const context: MeasureContext = { depth: room.depth, intrinsics: room.intrinsics, relativeError: zeroShot, pointError: inDomain };
    const along = measureDistance(context, on('floor', [0.3, 0, 3]), on('floor', [0.3, 0, 5.8]));
    const { scaleBand = NaN, pointBand = NaN, band = NaN } = along.uncertainty ?? {};
    expect(scaleBand).toBeCloseTo(zeroShot * along.value, 6);
    expect(band).toBeCloseTo(Math.hypot(scaleBand, pointBand), 12);
    // The points part uses the in-domain figure, not the zero-shot one.
    const pointOnly = measureDistance({ ...context, relativeError: inDomain }, on('floor', [0.3, 0, 3]), on('floor', [0.3, 0, 5.8]));
    expect(pointBand).toBeCloseTo(pointOnly.uncertainty?.pointBand ?? NaN, 12);
  });

  it('a reference fixes the scale to its own error, its two ends’ point errors over its length; a long one across the view narrows the band most', () => {
    const off: MeasureContext = { depth: tooFar, intrinsics: room.intrinsics, relativeError: zeroShot, pointError: inDomain };
    const known = worldDistance(doorLeft, doorRight);
    const across = calibrationFromReference(off, { from: on('far wall', doorLeft), to: on('far wall', doorRight), knownMetres: known });
    const reference = measureDistance(off, on('far wall', doorLeft), on('far wall', doorRight));
    expect(across.factor).toBeCloseTo(known / reference.value, 12);
    expect(across.measuredMetres).toBe(reference.value);
    expect(across.scaleError).toBeCloseTo((reference.uncertainty?.pointBand ?? NaN) / reference.value, 12);
    // Both ends at the same depth, across the view: e·sqrt((û·P1)² + (û·P2)²) / L is well under e.
    expect(across.scaleError).toBeLessThan(inDomain);

    const a: Vec3 = [-1, 0, 3];
    const b: Vec3 = [1.5, 0, 5.5];
    const before = measureDistance(off, on('floor', a), on('floor', b));
    const after = measureDistance({ ...off, calibration: across, relativeError: across.scaleError ?? NaN }, on('floor', a), on('floor', b));
    expect(Math.abs(after.value / worldDistance(a, b) - 1)).toBeLessThan(0.005);
    expect((after.uncertainty?.band ?? NaN) / after.value).toBeLessThan((before.uncertainty?.band ?? NaN) / before.value / 2);

    // A reference running away from the camera pins the scale less well.
    const near: Vec3 = [0.3, 0, 3];
    const farPoint: Vec3 = [0.3, 0, 5.8];
    const away = calibrationFromReference(off, { from: on('floor', near), to: on('floor', farPoint), knownMetres: worldDistance(near, farPoint) });
    expect(away.scaleError).toBeGreaterThan(across.scaleError ?? Infinity);
    // Without error figures there is nothing to say about the scale's error.
    expect(calibrationFromReference({ depth: tooFar, intrinsics: room.intrinsics }, { from: on('far wall', doorLeft), to: on('far wall', doorRight), knownMetres: known }).scaleError).toBeNull();
  });
});
