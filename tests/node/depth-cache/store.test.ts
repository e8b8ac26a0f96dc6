import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DepthMap } from '../../../src/shared/depth';
import { depthCacheKey } from '../../../src/main/depth-cache/key';
import { DepthCache } from '../../../src/main/depth-cache/store';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-depth-store-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function depthMap(width: number, height: number, seed: number): DepthMap {
  const metres = new Float32Array(width * height);
  for (let index = 0; index < metres.length; index += 1) metres[index] = 0.5 + ((index * 7919 + seed) % 1000) / 100;
  return {
    width,
    height,
    metres,
    photoWidth: width * 4,
    photoHeight: height * 4,
    modelId: 'zoed-n',
    provider: 'cpu',
    providerFallbackReason: 'no GPU adapter',
    options: { flip: true, pad: false },
    range: { min: 0.001, max: 10 },
    timings: { decodeMs: 1, preprocessMs: 2, inferenceMs: 3, postprocessMs: 4, totalMs: 10 }
  };
}

function keyOf(photo: string, flip = true, pad = true): string {
  return depthCacheKey({ photoSha256: photo.repeat(64).slice(0, 64), modelId: 'zoed-n', modelIdentity: 'file:1', options: { flip, pad }, engineVersion: 'v' });
}

describe('DepthCache on disk', () => {
  it('gives back exactly what was put, under its key only', async () => {
    const cache = new DepthCache(folder);
    const stored = depthMap(37, 23, 5);
    await cache.put(keyOf('a'), stored);
    const read = await cache.get(keyOf('a'));
    expect(read).not.toBeNull();
    expect(Array.from(read?.metres ?? [])).toEqual(Array.from(stored.metres));
    const { metres: _m, ...description } = stored;
    expect({ ...read, metres: undefined }).toEqual({ ...description, metres: undefined });
    expect(await cache.get(keyOf('b'))).toBeNull();
    expect(await cache.get(keyOf('a', false))).toBeNull();
  });

  it('drops an entry whose file was damaged or replaced by another', async () => {
    const cache = new DepthCache(folder);
    const key = keyOf('c');
    await cache.put(key, depthMap(8, 8, 1));
    const shard = path.join(folder, key.slice(0, 2));
    await writeFile(path.join(shard, `${key}.zdepth`), 'not a depth map');
    expect(await cache.get(key)).toBeNull();
    expect(await readdir(shard)).toEqual([]);
    // An entry copied under another key is not trusted either.
    const other = keyOf('d');
    await cache.put(other, depthMap(8, 8, 2));
    const { copyFile } = await import('node:fs/promises');
    await copyFile(path.join(folder, other.slice(0, 2), `${other}.zdepth`), path.join(shard, `${key}.zdepth`));
    expect(await cache.get(key)).toBeNull();
  });

  it('counts its size, trims the least recently used first, and clears', async () => {
    const cache = new DepthCache(folder);
    const keys = [keyOf('e'), keyOf('f'), keyOf('g')];
    for (const [index, key] of keys.entries()) {
      await cache.put(key, depthMap(64, 48, index));
      const when = new Date(Date.now() - (10 - index) * 60_000);
      await utimes(path.join(folder, key.slice(0, 2), `${key}.zdepth`), when, when);
    }
    const usage = await cache.usage();
    expect(usage.entries).toBe(3);
    const entryBytes = usage.bytes / 3;
    expect(entryBytes).toBeGreaterThan(64 * 48 * 4);
    // Reading the oldest makes it the most recently used.
    expect(await cache.get(keys[0] ?? '')).not.toBeNull();
    await cache.trimTo(entryBytes * 2);
    expect(await cache.get(keys[1] ?? '')).toBeNull();
    expect(await cache.get(keys[0] ?? '')).not.toBeNull();
    expect(await cache.get(keys[2] ?? '')).not.toBeNull();
    await cache.clear();
    expect(await cache.usage()).toEqual({ entries: 0, bytes: 0 });
  });
});
