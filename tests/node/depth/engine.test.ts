import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthEngine } from '../../../src/main/depth';
import type { DepthMap } from '../../../src/shared/depth';
import { ZoeError } from '../../../src/shared/errors';
import type { TestModel } from '../../helpers/depth-fixtures';
import { ensureTestModels, PHOTOS_DIR, referenceSettings, syntheticPhoto, testModel, uprightPlanesByHand } from '../../helpers/depth-fixtures';
import type { Planes } from '../../helpers/zoe-reference';
import { maxAbsDifference, referenceInferPil } from '../../helpers/zoe-reference';

let engine: DepthEngine;
let cacheDir: string;

beforeAll(async () => {
  await ensureTestModels();
  cacheDir = await mkdtemp(join(tmpdir(), 'zoe-engine-'));
  engine = new DepthEngine({ optimisedCacheDir: cacheDir, device: 'cpu' });
});

afterAll(async () => {
  await engine.dispose();
  await rm(cacheDir, { recursive: true, force: true });
});

/** The reference map evaluated on the DepthMap's grid (sample centres per the DepthMap convention). */
function referenceOnGrid(depth: DepthMap, photo: Planes, model: TestModel, options: { flip: boolean; pad: boolean }): Float64Array {
  const reference = referenceInferPil(photo, referenceSettings(model, options));
  const out = new Float64Array(depth.width * depth.height);
  const { min, max } = model.manifest.depthRange;
  for (let gy = 0; gy < depth.height; gy++) {
    for (let gx = 0; gx < depth.width; gx++) {
      const py = ((gy + 0.5) * depth.photoHeight) / depth.height - 0.5;
      const px = ((gx + 0.5) * depth.photoWidth) / depth.width - 0.5;
      out[gy * depth.width + gx] = Math.min(max, Math.max(min, reference.at(py, px)));
    }
  }
  return out;
}

describe('depth engine on real sessions, against the independent reference', () => {
  it('a real photo through the fixed 384×512 model: display grid and full resolution', async () => {
    const model = testModel('zoe-fixed');
    const file = join(PHOTOS_DIR, 'jpg', 'orientation', 'landscape_1.jpg');
    const depth = await engine.estimate(file, model);
    const { planes } = await uprightPlanesByHand(file);
    expect([depth.photoWidth, depth.photoHeight]).toEqual([planes.width, planes.height]);
    expect(depth.width * depth.height).toBeLessThanOrEqual(192 * 256 * 1.02);
    expect(depth.provider).toBe('cpu');
    expect(depth.options).toEqual({ flip: true, pad: true });
    expect(depth.timings.inferenceMs).toBeGreaterThan(0);
    expect(maxAbsDifference(depth.metres, referenceOnGrid(depth, planes, model, depth.options))).toBeLessThan(2e-4);

    const full = await engine.toPhotoResolution(depth);
    expect([full.width, full.height]).toEqual([planes.width, planes.height]);
    // Upsampling is post-processing: both it and the total grow by the same time, never one alone.
    expect(full.timings.postprocessMs).toBeGreaterThan(depth.timings.postprocessMs);
    expect(full.timings.totalMs - depth.timings.totalMs).toBeCloseTo(full.timings.postprocessMs - depth.timings.postprocessMs, 6);
    expect(full.timings.postprocessMs).toBeLessThanOrEqual(full.timings.totalMs);
    const reference = referenceInferPil(planes, referenceSettings(model, depth.options));
    expect(maxAbsDifference(full.metres, reference.full())).toBeLessThan(2e-4);
  });

  it('applies every EXIF orientation (1–8): each upright picture gives the reference depth', async () => {
    const model = testModel('zoe-fixed');
    const results: DepthMap[] = [];
    for (let orientation = 1; orientation <= 8; orientation++) {
      const file = join(PHOTOS_DIR, 'jpg', 'orientation', `portrait_${orientation}.jpg`);
      const { planes, orientation: stored } = await uprightPlanesByHand(file);
      expect(stored).toBe(orientation);
      const depth = await engine.estimate(file, model, { flip: false });
      expect([depth.photoWidth, depth.photoHeight]).toEqual([planes.width, planes.height]);
      expect(maxAbsDifference(depth.metres, referenceOnGrid(depth, planes, model, depth.options))).toBeLessThan(2e-4);
      results.push(depth);
    }
    // The eight files hold the same picture: upright, their depth maps agree up to JPEG noise.
    const first = results[0];
    for (const other of results.slice(1)) {
      let sum = 0;
      for (let i = 0; i < first.metres.length; i++) sum += Math.abs(first.metres[i] - other.metres[i]);
      expect(sum / first.metres.length).toBeLessThan(0.05);
    }
  });

  it('honours flip and pad switched off, on a synthetic picture', async () => {
    const model = testModel('zoe-fixed');
    const photo = await syntheticPhoto(300, 220, 7);
    for (const options of [{ flip: false, pad: false }, { flip: true, pad: false }, { flip: false, pad: true }]) {
      const depth = await engine.estimate(photo.png, model, options);
      expect(depth.options).toEqual(options);
      const full = await engine.toPhotoResolution(depth);
      expect(maxAbsDifference(full.metres, referenceInferPil(photo.planes, referenceSettings(model, options)).full())).toBeLessThan(2e-4);
    }
  });

  it('reads metric depth from the second output of an NK-like model', async () => {
    const model = testModel('zoe-nk-like');
    const photo = await syntheticPhoto(256, 200, 3);
    const depth = await engine.estimate(photo.png, model);
    const full = await engine.toPhotoResolution(depth);
    expect(maxAbsDifference(full.metres, referenceInferPil(photo.planes, referenceSettings(model, depth.options)).full())).toBeLessThan(5e-4);
    expect(Math.max(...depth.metres)).toBeLessThan(80);
  });

  it('resizes for a dynamic-input model with the minimal policy and external normalisation', async () => {
    const model = testModel('zoe-dynamic');
    const photo = await syntheticPhoto(420, 300, 5);
    const depth = await engine.estimate(photo.png, model);
    const full = await engine.toPhotoResolution(depth);
    expect(maxAbsDifference(full.metres, referenceInferPil(photo.planes, referenceSettings(model, depth.options)).full())).toBeLessThan(2e-4);
  });

  it('clamps to the manifest range after upsampling', async () => {
    const model = testModel('zoe-clamp');
    const photo = await syntheticPhoto(120, 90, 1);
    const depth = await engine.estimate(photo.png, model);
    expect(Math.min(...depth.metres)).toBe(0.5);
    expect(Math.max(...depth.metres)).toBe(4);
    expect(maxAbsDifference(depth.metres, referenceOnGrid(depth, photo.planes, model, depth.options))).toBeLessThan(2e-4);
  });

  it('handles a tiny photo (100×66) and the photo given as bytes', async () => {
    const model = testModel('zoe-fixed');
    const file = join(PHOTOS_DIR, 'jpg', 'Nikon_D70.jpg');
    const depth = await engine.estimate(await readFile(file), model);
    const { planes } = await uprightPlanesByHand(file);
    expect([depth.width, depth.height]).toEqual([planes.width, planes.height]);
    expect(maxAbsDifference(depth.metres, referenceInferPil(planes, referenceSettings(model, depth.options)).full())).toBeLessThan(2e-4);
  });
});

describe('extreme photo shapes', () => {
  it('a one-pixel-high strip and a single pixel still give depth (padding larger than the photo reflects again)', async () => {
    const model = testModel('zoe-clamp');
    for (const [width, height] of [
      [300, 1],
      [1, 1],
      [2, 500]
    ] as const) {
      const photo = await syntheticPhoto(width, height, 4);
      const depth = await engine.estimate(photo.png, model);
      expect([depth.photoWidth, depth.photoHeight]).toEqual([width, height]);
      expect(depth.metres.every((v) => v >= 0.5 && v <= 4)).toBe(true);
    }
  });
});

describe('photos the engine refuses, with a specific reason', () => {
  const model = (): TestModel => testModel('zoe-clamp');
  async function failure(photo: string | Buffer): Promise<ZoeError> {
    const error = await engine.estimate(photo, model()).then(
      () => undefined,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(ZoeError);
    return error as ZoeError;
  }

  it('a truncated JPEG', async () => {
    const error = await failure(join(PHOTOS_DIR, 'jpg', 'corrupted.jpg'));
    expect(error.code).toBe('DAMAGED_IMAGE');
    expect(error.message).toMatch(/“corrupted\.jpg” is a damaged JPEG file/);
  });

  it('an HEIC photo needing the HEVC codec', async () => {
    const error = await failure(join(PHOTOS_DIR, 'heic', 'IMG_5195.HEIC'));
    expect(error.code).toBe('UNSUPPORTED_IMAGE');
    expect(error.message).toMatch(/HEVC/);
  });

  it('a file that is not an image, and a missing file', async () => {
    const notImage = await failure(Buffer.from('{"name": "not a photo"}'));
    expect(notImage.code).toBe('UNSUPPORTED_IMAGE');
    expect(notImage.message).toMatch(/is a text file, not a photo/);
    expect((await failure(join(PHOTOS_DIR, 'nope.jpg'))).code).toBe('NOT_FOUND');
  });

  it('keeps working after refusing photos', async () => {
    const depth = await engine.estimate((await syntheticPhoto(40, 30, 2)).png, model());
    expect(depth.metres.length).toBe(40 * 30);
  });
});
