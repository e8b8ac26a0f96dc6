/**
 * Intrinsics round trip: a scene rendered with a known camera is written as a JPEG with EXIF
 * (each focal length source, each of the 8 orientations, pixels stored turned to match), and the
 * app's reader must give back that camera for the upright photo.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPhotoIntrinsics } from '../../../src/main/measure/intrinsics';
import type { IntrinsicsSource } from '../../../src/shared/camera';
import type { ExifOrientation } from '../../../src/shared/measure/orientation';
import { renderScene } from '../../../tools/synthetic-scene/render';
import { boxRoom, focalLengthPxForEquivalent, type SceneCamera } from '../../../tools/synthetic-scene/scene';
import { writeSyntheticPhoto, type ExifFocalSource } from '../../../tools/synthetic-scene/write';

const ORIENTATIONS: ExifOrientation[] = [1, 2, 3, 4, 5, 6, 7, 8];
const WIDTH = 64;
const HEIGHT = 48;
const scene = boxRoom({ width: 4, depth: 5, height: 2.5 });

function camera(fx: number, fy: number): SceneCamera {
  return { position: [0.2, 1.4, 0.5], yawDeg: 10, pitchDeg: 5, width: WIDTH, height: HEIGHT, fx, fy };
}

interface Case {
  label: string;
  focal: ExifFocalSource;
  camera: SceneCamera;
  source: IntrinsicsSource;
}

const CASES: Case[] = [
  // Non-square pixels (fx ≠ fy) so that a quarter turn must swap them.
  { label: 'focal plane in inches', focal: { kind: 'focal-plane', unit: 2, sensorWidthMm: 6.17 }, camera: camera(70, 73), source: 'focal-plane-resolution' },
  { label: 'focal plane in centimetres', focal: { kind: 'focal-plane', unit: 3, sensorWidthMm: 23.5 }, camera: camera(52, 50), source: 'focal-plane-resolution' },
  { label: 'focal plane in millimetres', focal: { kind: 'focal-plane', unit: 4, sensorWidthMm: 36 }, camera: camera(120, 121), source: 'focal-plane-resolution' },
  { label: 'focal plane in micrometres', focal: { kind: 'focal-plane', unit: 5, sensorWidthMm: 4.8 }, camera: camera(45, 47), source: 'focal-plane-resolution' },
  {
    label: '35 mm equivalent',
    focal: { kind: 'equivalent-35mm' },
    camera: camera(focalLengthPxForEquivalent(26, WIDTH, HEIGHT), focalLengthPxForEquivalent(26, WIDTH, HEIGHT)),
    source: 'focal-length-35mm'
  },
  {
    label: 'no focal length (default lens)',
    focal: { kind: 'none' },
    camera: camera(focalLengthPxForEquivalent(28, WIDTH, HEIGHT), focalLengthPxForEquivalent(28, WIDTH, HEIGHT)),
    source: 'default-fov'
  }
];

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'zoe-intrinsics-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('intrinsics round trip through a JPEG with EXIF', () => {
  it.each(CASES)('$label, all 8 orientations', async ({ label, focal, camera: sceneCamera, source }) => {
    const rendered = renderScene(scene, sceneCamera);
    for (const orientation of ORIENTATIONS) {
      const name = `${label.replace(/\W+/g, '-')}-${orientation}`;
      const written = await writeSyntheticPhoto(scene, sceneCamera, rendered, { folder, name, orientation, focal });
      const intrinsics = await readPhotoIntrinsics(written.photoPath);
      const where = `${label}, orientation ${orientation}`;
      expect(intrinsics.source, where).toBe(source);
      expect([intrinsics.width, intrinsics.height], where).toEqual([WIDTH, HEIGHT]);
      expect(intrinsics.fx / sceneCamera.fx, where).toBeCloseTo(1, 6);
      expect(intrinsics.fy / sceneCamera.fy, where).toBeCloseTo(1, 6);
      expect(intrinsics.cx, where).toBe((WIDTH - 1) / 2);
      expect(intrinsics.cy, where).toBe((HEIGHT - 1) / 2);
      expect(intrinsics.warnings, where).toEqual([]);
      // The pixels were stored turned: decoding with the orientation applied must show the upright render.
      const { data, info } = await sharp(written.photoPath).rotate().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height], where).toEqual([WIDTH, HEIGHT]);
      let difference = 0;
      for (let i = 0; i < data.length; i++) difference += Math.abs((data[i] ?? 0) - (rendered.rgb[i] ?? 0));
      expect(difference / data.length, where).toBeLessThan(4);
    }
  });

  it('user overrides give back the camera: focal length with sensor width, and field of view', async () => {
    // A 6.17 mm-wide sensor spans the photo's long side; an 4.5 mm lens on it.
    const fromLens = (4.5 * Math.max(WIDTH, HEIGHT)) / 6.17;
    const lensCamera = camera(fromLens, fromLens);
    const written = await writeSyntheticPhoto(scene, lensCamera, renderScene(scene, lensCamera), {
      folder,
      name: 'override-lens',
      orientation: 6,
      focal: { kind: 'none' }
    });
    const lens = await readPhotoIntrinsics(written.photoPath, { kind: 'focal-length', focalLengthMm: 4.5, sensorWidthMm: 6.17 });
    expect(lens.source).toBe('user');
    expect(lens.fx / fromLens).toBeCloseTo(1, 9);
    expect(lens.fy / fromLens).toBeCloseTo(1, 9);
    expect([lens.width, lens.height]).toEqual([WIDTH, HEIGHT]);

    // 70° across the photo, by the definition of a field of view: tan(35°) = (W/2) / fx.
    const fovFocal = WIDTH / 2 / Math.tan((35 * Math.PI) / 180);
    const fov = await readPhotoIntrinsics(written.photoPath, { kind: 'field-of-view', degrees: 70 });
    expect(fov.fx / fovFocal).toBeCloseTo(1, 9);
    const vertical = await readPhotoIntrinsics(written.photoPath, { kind: 'field-of-view', degrees: 50, axis: 'vertical' });
    expect(vertical.fy / (HEIGHT / 2 / Math.tan((25 * Math.PI) / 180))).toBeCloseTo(1, 9);

    await expect(readPhotoIntrinsics(written.photoPath, { kind: 'field-of-view', degrees: 190 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(readPhotoIntrinsics(written.photoPath, { kind: 'focal-length', focalLengthMm: 50, sensorWidthMm: 0 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT'
    });
  });
});
