import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepthMap, DepthOptions } from '../../../src/shared/depth';
import { DepthEngine, type InstalledModel } from '../../../src/main/depth';
import { DepthCache } from '../../../src/main/depth-cache/store';
import { DepthService, type DepthEstimator } from '../../../src/main/depth-cache/service';
import { testModel } from '../cli/test-models';

const photos = path.join(__dirname, '../../fixtures/photos/jpg');

let workDir: string;
let engine: DepthEngine;
let model: InstalledModel;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-depth-cache-'));
  model = await testModel('zoe-fixed');
  engine = new DepthEngine({ optimisedCacheDir: path.join(workDir, 'optimised'), device: 'cpu' });
});
afterAll(async () => {
  await engine.dispose();
  await rm(workDir, { recursive: true, force: true });
});

/** The real engine, with a count of the photos it was really asked to run. */
function countingEngine(): { estimator: DepthEstimator; runs: () => number } {
  let runs = 0;
  return {
    estimator: {
      estimate: (photo: string | Buffer, target: InstalledModel, options?: Partial<DepthOptions> & { signal?: AbortSignal }) => {
        runs += 1;
        return engine.estimate(photo, target, options);
      }
    },
    runs: () => runs
  };
}

/** Same values and description; the timings too when `actual` is the very run of `expected` read back. */
function expectSameDepth(actual: DepthMap, expected: DepthMap, sameRun = true): void {
  expect(actual.width).toBe(expected.width);
  expect(actual.height).toBe(expected.height);
  expect(Buffer.from(actual.metres.buffer, actual.metres.byteOffset, actual.metres.byteLength).equals(Buffer.from(expected.metres.buffer, expected.metres.byteOffset, expected.metres.byteLength))).toBe(true);
  const { metres: _a, timings: actualTimings, ...actualRest } = actual;
  const { metres: _b, timings: expectedTimings, ...expectedRest } = expected;
  expect(actualRest).toEqual(JSON.parse(JSON.stringify(expectedRest)));
  if (sameRun) expect(actualTimings).toEqual(expectedTimings);
}

describe('DepthService with the real engine and a real test model', () => {
  it('runs the model once for the same photo, even under another name, and again when the photo changes', async () => {
    const folder = path.join(workDir, 'same-photo');
    const cacheFolder = path.join(workDir, 'cache-a');
    await rm(folder, { recursive: true, force: true });
    const photo = path.join(folder, 'DSCN0010.jpg');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }));
    await copyFile(path.join(photos, 'gps/DSCN0010.jpg'), photo);
    const counting = countingEngine();
    const service = new DepthService({ engine: counting.estimator, cache: new DepthCache(cacheFolder) });

    const first = await service.estimate(photo, model);
    expect(first.fromCache).toBe(false);
    expect(counting.runs()).toBe(1);
    expect(first.depth.photoWidth).toBe(640);

    const second = await service.estimate(photo, model);
    expect(second.fromCache).toBe(true);
    expect(counting.runs()).toBe(1);
    expectSameDepth(second.depth, first.depth);
    // A map read back from the cache still makes the same full-resolution map for export.
    const fullFromRun = await engine.toPhotoResolution(first.depth);
    const fullFromCache = await engine.toPhotoResolution(second.depth);
    expect(fullFromCache.width).toBe(640);
    expectSameDepth(fullFromCache, fullFromRun, false);

    // A copy under another name has the same content: same depth, no run.
    const copy = path.join(folder, 'copy of DSCN0010.jpg');
    await copyFile(photo, copy);
    expect((await service.estimate(copy, model)).fromCache).toBe(true);
    expect(counting.runs()).toBe(1);

    // A fresh service (a new app start) finds the cache on disk.
    const restarted = new DepthService({ engine: counting.estimator, cache: new DepthCache(cacheFolder) });
    const afterRestart = await restarted.estimate(photo, model);
    expect(afterRestart.fromCache).toBe(true);
    expectSameDepth(afterRestart.depth, first.depth);
    expect(counting.runs()).toBe(1);

    // Other options are another result.
    const noFlip = await service.estimate(photo, model, { flip: false });
    expect(noFlip.fromCache).toBe(false);
    expect(counting.runs()).toBe(2);
    expect(noFlip.depth.options).toEqual({ flip: false, pad: true });

    // The photo is edited in place (another picture, same name): recomputed, and the depth differs.
    await copyFile(path.join(photos, 'gps/DSCN0027.jpg'), photo);
    const changed = await service.estimate(photo, model);
    expect(changed.fromCache).toBe(false);
    expect(counting.runs()).toBe(3);
    expect(changed.key).not.toBe(first.key);
    expect(Buffer.from(changed.depth.metres.buffer).equals(Buffer.from(first.depth.metres.buffer))).toBe(false);
  });

  it('shares one run between two simultaneous requests, and recomputes after clear()', async () => {
    const cacheFolder = path.join(workDir, 'cache-b');
    const counting = countingEngine();
    const service = new DepthService({ engine: counting.estimator, cache: new DepthCache(cacheFolder) });
    const photo = path.join(photos, 'exif-org/canon-ixus.jpg');
    const [a, b] = await Promise.all([service.estimate(photo, model), service.estimate(photo, model)]);
    expect(counting.runs()).toBe(1);
    expectSameDepth(a.depth, b.depth);

    const usage = await service.usage();
    expect(usage.entries).toBe(1);
    expect(usage.bytes).toBeGreaterThan(a.depth.width * a.depth.height * 4);

    await service.clear();
    expect(await service.usage()).toEqual({ entries: 0, bytes: 0 });
    expect((await service.estimate(photo, model)).fromCache).toBe(false);
    expect(counting.runs()).toBe(2);
  });

  it('treats a damaged cache file as missing and recomputes', async () => {
    const cacheFolder = path.join(workDir, 'cache-c');
    const counting = countingEngine();
    const service = new DepthService({ engine: counting.estimator, cache: new DepthCache(cacheFolder) });
    const photo = path.join(photos, 'Nikon_D70.jpg');
    const first = await service.estimate(photo, model);
    const shard = path.join(cacheFolder, first.key.slice(0, 2));
    const [entry] = await readdir(shard);
    const entryPath = path.join(shard, entry ?? '');
    const bytes = await readFile(entryPath);
    await writeFile(entryPath, bytes.subarray(0, bytes.length - 100));

    const again = await service.estimate(photo, model);
    expect(again.fromCache).toBe(false);
    expect(counting.runs()).toBe(2);
    expectSameDepth(again.depth, first.depth, false);
  });

  it('reports a broken photo as the engine does, and caches nothing for it', async () => {
    const cacheFolder = path.join(workDir, 'cache-d');
    const service = new DepthService({ engine: countingEngine().estimator, cache: new DepthCache(cacheFolder) });
    await expect(service.estimate(path.join(photos, 'corrupted.jpg'), model)).rejects.toMatchObject({ code: 'DAMAGED_IMAGE' });
    await expect(service.estimate(path.join(photos, 'no-such-photo.jpg'), model)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await service.usage()).toEqual({ entries: 0, bytes: 0 });
  });
});
