import { copyFile, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThumbnailCache } from '../../../src/main/thumbnails/cache';

const PHOTO = path.resolve('tests/fixtures/photos/jpg/orientation/portrait_6.jpg');

let dataDir = '';
let photosDir = '';
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-cache-data-'));
  photosDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-cache-photos-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(photosDir, { recursive: true, force: true });
});

describe('thumbnail cache', () => {
  it('makes a thumbnail once, serves it from disk afterwards, and never writes beside the photos', async () => {
    const photo = path.join(photosDir, 'portrait.jpg');
    await copyFile(PHOTO, photo);
    const cache = new ThumbnailCache(dataDir);
    const first = await cache.get({ absolutePath: photo, kind: 'image' }, 320);
    expect(first.fromCache).toBe(false);
    expect(first.file.startsWith(path.join(dataDir, 'thumbnails'))).toBe(true);
    const writtenAt = (await stat(first.file)).mtimeMs;

    const again = await cache.get({ absolutePath: photo, kind: 'image' }, 320);
    expect(again.fromCache).toBe(true);
    expect(again.key).toBe(first.key);

    // A new session (new cache object) finds the entry on disk and does not rewrite it.
    const nextSession = new ThumbnailCache(dataDir);
    const fromDisk = await nextSession.get({ absolutePath: photo, kind: 'image' }, 320);
    expect(fromDisk.fromCache).toBe(true);
    expect({ width: fromDisk.width, height: fromDisk.height }).toEqual({ width: first.width, height: first.height });
    expect((await stat(first.file)).mtimeMs).toBe(writtenAt);
    const body = await nextSession.read(fromDisk.key);
    expect(body).not.toBeNull();
    const meta = await sharp(body as Buffer).metadata();
    expect([meta.width, meta.height]).toEqual([first.width, first.height]);

    expect(await readdir(photosDir)).toEqual(['portrait.jpg']);
  });

  it('makes the thumbnail again when the photo changes', async () => {
    const photo = path.join(photosDir, 'edited.jpg');
    await copyFile(PHOTO, photo);
    const cache = new ThumbnailCache(dataDir);
    const before = await cache.get({ absolutePath: photo, kind: 'image' }, 320);
    // The photo is replaced by a different picture (an edit saved over it), with a new modification time.
    await writeFile(photo, await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c03030' } }).jpeg().toBuffer());
    await utimes(photo, new Date(), new Date(Date.now() + 5000));
    const after = await cache.get({ absolutePath: photo, kind: 'image' }, 320);
    expect(after.fromCache).toBe(false);
    expect(after.key).not.toBe(before.key);
    expect([after.width, after.height]).toEqual([300, 200]);
    const { data } = await sharp((await cache.read(after.key)) as Buffer).resize(1, 1).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(150);
    expect(data[1]).toBeLessThan(90);
  });

  it('reports its size and empties itself', async () => {
    const cache = new ThumbnailCache(dataDir);
    const photo = path.join(photosDir, 'portrait.jpg');
    await cache.get({ absolutePath: photo, kind: 'image' }, 320);
    const info = await cache.info();
    expect(info.files).toBeGreaterThanOrEqual(2);
    expect(info.sizeBytes).toBeGreaterThan(1000);
    const cleared = await cache.clear();
    expect(cleared).toMatchObject({ files: 0, sizeBytes: 0 });
    const remade = await cache.get({ absolutePath: photo, kind: 'image' }, 320);
    expect(remade.fromCache).toBe(false);
  });
});
