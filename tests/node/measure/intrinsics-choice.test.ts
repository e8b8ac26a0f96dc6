/** The choice of intrinsics from EXIF fields: order of sources, absurd values, scaling, orientation. */
import { describe, expect, it } from 'vitest';
import { chooseIntrinsics, equivalentFocalLengthMm, horizontalFieldOfViewDeg, type CameraExif } from '../../../src/shared/measure/intrinsics';

/** A full-frame camera, 6000 × 4000 pixels on 36 × 24 mm: 6000/36 pixels per mm; a 50 mm lens. */
const FULL_FRAME: CameraExif = {
  focalLengthMm: 50,
  focalPlaneXResolution: (6000 / 36) * 25.4,
  focalPlaneYResolution: (4000 / 24) * 25.4,
  focalPlaneResolutionUnit: 2,
  referenceWidth: 6000,
  referenceHeight: 4000
};
const FULL_FRAME_FOCAL_PX = 50 * (6000 / 36); // 8333.3 px

function choose(exif: CameraExif, storedWidth = 6000, storedHeight = 4000): ReturnType<typeof chooseIntrinsics> {
  return chooseIntrinsics({ exif, storedWidth, storedHeight });
}

describe('choosing intrinsics', () => {
  it('a 50 mm lens on a full-frame sensor is a 50 mm equivalent, about 39.6° across', () => {
    const intrinsics = choose(FULL_FRAME);
    expect(intrinsics.source).toBe('focal-plane-resolution');
    expect(intrinsics.fx).toBeCloseTo(FULL_FRAME_FOCAL_PX, 6);
    expect(equivalentFocalLengthMm(intrinsics)).toBeCloseTo(50, 6);
    expect(horizontalFieldOfViewDeg(intrinsics)).toBeCloseTo(39.6, 1);
  });

  it('scales from the reference size to the photo as stored (a downsized export)', () => {
    const intrinsics = choose(FULL_FRAME, 1500, 1000);
    expect(intrinsics.fx).toBeCloseTo(FULL_FRAME_FOCAL_PX / 4, 6);
    expect(intrinsics.fy).toBeCloseTo(FULL_FRAME_FOCAL_PX / 4, 6);
    expect(intrinsics.warnings).toEqual([]);
    // A reference recorded upright (4000 × 6000) for a photo stored 6000 × 4000 is taken swapped.
    const swapped = choose({ ...FULL_FRAME, referenceWidth: 4000, referenceHeight: 6000 }, 1500, 1000);
    expect(swapped.fx).toBeCloseTo(FULL_FRAME_FOCAL_PX / 4, 6);
  });

  it('warns when the sensor resolution and the 35 mm equivalent disagree (a resized photo that kept its sensor resolution)', () => {
    expect(choose({ ...FULL_FRAME, focalLengthIn35mmFilm: 52 }).warnings).toEqual([]);
    const resized = choose({ ...FULL_FRAME, referenceWidth: 3000, referenceHeight: 2000, focalLengthIn35mmFilm: 50 }, 3000, 2000);
    expect(resized.source).toBe('focal-plane-resolution');
    expect(resized.warnings.join(' ')).toMatch(/100 mm equivalent.*says 50 mm/);
  });

  it('warns when the photo was stretched after it was taken', () => {
    const intrinsics = choose(FULL_FRAME, 3000, 1000);
    expect(intrinsics.warnings.join(' ')).toMatch(/stretched or cropped/);
  });

  it('orientations 5-8 swap width and height, and fx and fy', () => {
    const anisotropic: CameraExif = { ...FULL_FRAME, focalPlaneYResolution: ((4000 / 24) * 25.4) * 1.1 };
    const stored = choose(anisotropic);
    for (const orientation of [5, 6, 7, 8]) {
      const turned = choose({ ...anisotropic, orientation });
      expect([turned.width, turned.height]).toEqual([4000, 6000]);
      expect(turned.fx).toBeCloseTo(stored.fy, 9);
      expect(turned.fy).toBeCloseTo(stored.fx, 9);
      expect([turned.cx, turned.cy]).toEqual([1999.5, 2999.5]);
    }
    for (const orientation of [1, 2, 3, 4]) {
      const same = choose({ ...anisotropic, orientation });
      expect([same.width, same.height, same.fx, same.fy]).toEqual([6000, 4000, stored.fx, stored.fy]);
    }
    expect(choose({ ...anisotropic, orientation: 9 }).warnings.join(' ')).toMatch(/orientation 9/);
  });

  it.each([
    ['a 0 mm focal length', { focalLengthMm: 0 }, /impossible/],
    ['a negative focal length', { focalLengthMm: -5 }, /impossible/],
    ['a zero sensor resolution', { focalPlaneXResolution: 0 }, /zero or negative/],
    ['an unknown resolution unit', { focalPlaneResolutionUnit: 7 }, /unknown unit/],
    ['a sensor wider than 100 mm', { focalPlaneXResolution: 10 * 25.4, focalPlaneYResolution: 10 * 25.4 }, /no camera has/],
    ['a 1 mm lens on a full-frame sensor', { focalLengthMm: 1 }, /implausible/]
  ] as const)('rejects %s and falls back to the 35 mm equivalent', (_label, broken, warning) => {
    const intrinsics = choose({ ...FULL_FRAME, ...broken, focalLengthIn35mmFilm: 50 });
    expect(intrinsics.source).toBe('focal-length-35mm');
    expect(intrinsics.fx).toBeCloseTo((50 * Math.hypot(6000, 4000)) / Math.hypot(36, 24), 6);
    expect(intrinsics.warnings.join(' ')).toMatch(warning);
  });

  it('a 1 mm lens on a phone (the nonsense some phones write) is rejected', () => {
    // A 1/2.55" phone sensor: 4032 pixels over 5.6 mm.
    const phone: CameraExif = { focalLengthMm: 1, focalPlaneXResolution: 4032 / 5.6, focalPlaneYResolution: 4032 / 5.6, focalPlaneResolutionUnit: 4 };
    const intrinsics = choose(phone, 4032, 3024);
    expect(intrinsics.source).toBe('default-fov');
    expect(intrinsics.warnings.join(' ')).toMatch(/1 mm/);
  });

  it.each([5, 0, -28, 2500, Number.NaN])('rejects a 35 mm equivalent of %s mm and uses the default lens', (equivalent) => {
    const intrinsics = choose({ focalLengthIn35mmFilm: equivalent });
    expect(intrinsics.source).toBe('default-fov');
    expect(intrinsics.warnings.join(' ')).toMatch(/implausible/);
    expect(equivalentFocalLengthMm(intrinsics)).toBeCloseTo(28, 9);
  });

  it('no EXIF at all: the default lens, 28 mm equivalent, about 65° across a 3:2 photo, no warning', () => {
    const intrinsics = choose({});
    expect(intrinsics.source).toBe('default-fov');
    expect(intrinsics.warnings).toEqual([]);
    expect(horizontalFieldOfViewDeg(intrinsics)).toBeCloseTo(65.5, 0);
    expect(intrinsics.sourceDescription).toMatch(/28 mm/);
  });

  it('an override wins over EXIF and is recorded as the user', () => {
    const intrinsics = chooseIntrinsics({ exif: { ...FULL_FRAME, orientation: 6 }, storedWidth: 6000, storedHeight: 4000, override: { kind: 'focal-length', focalLengthMm: 35, sensorWidthMm: 36 } });
    expect(intrinsics.source).toBe('user');
    // The sensor's 36 mm side spans the photo's long side (6000 px, upright it is the height).
    expect(intrinsics.fx).toBeCloseTo((35 * 6000) / 36, 9);
    expect([intrinsics.width, intrinsics.height]).toEqual([4000, 6000]);
    const diagonal = chooseIntrinsics({ exif: {}, storedWidth: 6000, storedHeight: 4000, override: { kind: 'field-of-view', degrees: 60, axis: 'diagonal' } });
    expect(diagonal.fx).toBeCloseTo(Math.hypot(6000, 4000) / 2 / Math.tan(Math.PI / 6), 9);
  });

  it('a photo without pixels cannot be measured', () => {
    expect(() => choose({}, 0, 100)).toThrow(/no pixels/);
  });
});
