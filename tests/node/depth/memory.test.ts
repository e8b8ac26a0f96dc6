import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthEngine } from '../../../src/main/depth';
import { ensureTestModels, syntheticPhoto, testModel } from '../../helpers/depth-fixtures';

let engine: DepthEngine;
let cacheDir: string;

beforeAll(async () => {
  await ensureTestModels();
  cacheDir = await mkdtemp(join(tmpdir(), 'zoe-memory-'));
  engine = new DepthEngine({ optimisedCacheDir: cacheDir, device: 'cpu' });
});

afterAll(async () => {
  await engine.dispose();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('memory', () => {
  it('stays flat over 200 consecutive photos (RSS growth under 50 MB after warm-up)', { timeout: 120_000 }, async () => {
    const model = testModel('zoe-clamp');
    const photos = await Promise.all([0, 1, 2, 3].map((seed) => syntheticPhoto(160, 120, seed).then((p) => p.png)));
    const run = async (count: number, offset: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const depth = await engine.estimate(photos[(offset + i) % photos.length] ?? photos[0] ?? Buffer.alloc(0), model);
        if (i % 10 === 0) await engine.toPhotoResolution(depth);
      }
    };
    await run(20, 0);
    const before = process.memoryUsage().rss;
    await run(200, 20);
    const growthMb = (process.memoryUsage().rss - before) / 2 ** 20;
    expect(growthMb).toBeLessThan(50);
  });
});
