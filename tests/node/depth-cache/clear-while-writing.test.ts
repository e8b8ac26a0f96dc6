import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepthMap } from '../../../src/shared/depth';
import { depthCacheKey } from '../../../src/main/depth-cache/key';
import { DepthCache } from '../../../src/main/depth-cache/store';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-depth-clear-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function depthMap(seed: number): DepthMap {
  const width = 96;
  const height = 64;
  const metres = new Float32Array(width * height).map((_, index) => 1 + ((index + seed) % 50) / 10);
  return {
    width,
    height,
    metres,
    photoWidth: width * 4,
    photoHeight: height * 4,
    modelId: 'zoed-n',
    provider: 'cpu',
    options: { flip: false, pad: true },
    range: { min: 1, max: 6 },
    timings: { decodeMs: 1, preprocessMs: 1, inferenceMs: 1, postprocessMs: 1, totalMs: 4 }
  };
}

function keyOf(index: number): string {
  const photo = index.toString(16).padStart(64, '0');
  return depthCacheKey({ photoSha256: photo, modelId: 'zoed-n', modelIdentity: 'file:1', options: { flip: false, pad: true }, engineVersion: 'v' });
}

/** Every file left in the cache folder, temporary ones included. */
async function filesIn(root: string): Promise<string[]> {
  const found: string[] = [];
  const shards = await readdir(root).catch(() => [] as string[]);
  for (const shard of shards) {
    for (const name of await readdir(path.join(root, shard)).catch(() => [] as string[])) found.push(name);
  }
  return found;
}

describe('clearing the depth cache while depth is being written', () => {
  it('neither fails a write nor the clear, and leaves only whole entries behind', async () => {
    const cache = new DepthCache(path.join(folder, 'depth-cache'));
    for (let round = 0; round < 8; round += 1) {
      const keys = Array.from({ length: 24 }, (_, index) => keyOf(round * 100 + index));
      const writes = keys.map((key, index) => cache.put(key, depthMap(index)));
      // The clear lands in the middle of the writes, as a click on "Clear" during a batch would.
      const clears = [cache.clear(), new Promise<void>((resolve) => setImmediate(resolve)).then(() => cache.clear())];
      const outcomes = await Promise.allSettled([...writes, ...clears]);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);

      const left = await filesIn(cache.folder);
      expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
      for (const name of left) {
        const key = name.replace(/\.zdepth$/, '');
        const index = keys.indexOf(key);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(await cache.get(key)).toEqual(depthMap(index));
      }
      expect((await cache.usage()).entries).toBe(left.length);
    }
    await cache.clear();
    expect(await cache.usage()).toEqual({ entries: 0, bytes: 0 });
  });
});
