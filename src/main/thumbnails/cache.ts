/**
 * The on-disk cache of thumbnails and previews in `<dataDir>/thumbnails/`, never beside the photos.
 * An entry's key covers the photo's path, byte size and modification time and the image size, so
 * a changed photo gets a new entry and an old one is never served for it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CacheInfo, ImageResource } from '../../shared/thumbnails';
import { renderPhoto, type PhotoToRender } from './make';

/** Bumped when the way images are made changes, so old entries are not reused. */
const CACHE_VERSION = 2;

/** A cached image: where its JPEG is and what it is. */
export interface CachedImage extends Omit<ImageResource, 'url'> {
  /** The cache key, also the resource id it is served under. */
  key: string;
  file: string;
  /** True when it was already in the cache (on disk or in this session). */
  fromCache: boolean;
}

const sidecarSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  source: z.enum(['embedded', 'resized']),
  damage: z.strictObject({ code: z.literal('DAMAGED_IMAGE'), message: z.string() }).optional()
});

/**
 * Writes a cache file: temp file in the same folder, then rename. No fsync: a cache entry lost in a
 * crash is simply made again.
 */
async function writeCacheFile(finalPath: string, data: Uint8Array | string): Promise<void> {
  const temporaryPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporaryPath, data, { flag: 'wx' });
    await rename(temporaryPath, finalPath);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
}

/** Runs at most `limit` tasks at a time, in the order they were asked for. */
class TaskQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

export class ThumbnailCache {
  readonly folder: string;
  private readonly known = new Map<string, Omit<CachedImage, 'fromCache'>>();
  private readonly inFlight = new Map<string, Promise<CachedImage>>();
  /** Photos that could not be rendered, by key: a damaged file is not decoded again and again. */
  private readonly failures = new Map<string, unknown>();
  private readonly queue: TaskQueue;

  constructor(dataDir: string, concurrency = 4) {
    this.folder = path.join(dataDir, 'thumbnails');
    this.queue = new TaskQueue(concurrency);
  }

  /** The cache key of a photo at its current size and modification time. */
  static keyOf(absolutePath: string, sizeBytes: number, modifiedMs: number, longestSide: number): string {
    return createHash('sha256')
      .update(`${CACHE_VERSION}\0${absolutePath}\0${sizeBytes}\0${Math.round(modifiedMs)}\0${longestSide}`)
      .digest('hex')
      .slice(0, 40);
  }

  private paths(key: string): { image: string; sidecar: string } {
    const shard = path.join(this.folder, key.slice(0, 2));
    return { image: path.join(shard, `${key}.jpg`), sidecar: path.join(shard, `${key}.json`) };
  }

  /**
   * The upright image of `photo` no larger than `longestSide`, from the cache or made now. The
   * photo is stat'ed on every call, so an edited photo is never served from a stale entry.
   */
  async get(photo: PhotoToRender, longestSide: number): Promise<CachedImage> {
    const info = await stat(photo.absolutePath);
    const key = ThumbnailCache.keyOf(photo.absolutePath, info.size, info.mtimeMs, longestSide);
    const known = this.known.get(key);
    if (known !== undefined) return { ...known, fromCache: true };
    if (this.failures.has(key)) throw this.failures.get(key);
    const pending = this.inFlight.get(key);
    if (pending !== undefined) return pending;
    const made = this.queue.run(() => this.readOrMake(key, photo, longestSide)).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, made);
    return made;
  }

  private async readOrMake(key: string, photo: PhotoToRender, longestSide: number): Promise<CachedImage> {
    const { image, sidecar } = this.paths(key);
    try {
      const meta = sidecarSchema.parse(JSON.parse(await readFile(sidecar, 'utf8')));
      await stat(image);
      const entry = { key, file: image, ...meta };
      this.known.set(key, entry);
      return { ...entry, fromCache: true };
    } catch {
      // Not cached yet (or half of it is missing): make it.
    }
    let made;
    try {
      made = await renderPhoto(photo, longestSide);
    } catch (error) {
      this.failures.set(key, error);
      throw error;
    }
    await mkdir(path.dirname(image), { recursive: true });
    await writeCacheFile(image, made.jpeg);
    const meta: z.infer<typeof sidecarSchema> = { width: made.width, height: made.height, source: made.source, ...(made.damage === undefined ? {} : { damage: made.damage }) };
    await writeCacheFile(sidecar, JSON.stringify(meta));
    const entry = { key, file: image, ...meta };
    this.known.set(key, entry);
    return { ...entry, fromCache: false };
  }

  /** The JPEG bytes of a cache entry, or `null` when it is gone (cache cleared). */
  async read(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.paths(key).image);
    } catch {
      this.known.delete(key);
      return null;
    }
  }

  async info(): Promise<CacheInfo> {
    let files = 0;
    let sizeBytes = 0;
    const shards = await readdir(this.folder, { withFileTypes: true }).catch(() => []);
    for (const shard of shards) {
      if (!shard.isDirectory()) continue;
      const shardPath = path.join(this.folder, shard.name);
      for (const name of await readdir(shardPath).catch(() => [])) {
        const fileInfo = await stat(path.join(shardPath, name)).catch(() => null);
        if (fileInfo?.isFile() !== true) continue;
        files += 1;
        sizeBytes += fileInfo.size;
      }
    }
    return { displayPath: this.folder, files, sizeBytes };
  }

  /** Removes every cached image; they are made again when next asked for. */
  async clear(): Promise<CacheInfo> {
    this.known.clear();
    const shards = await readdir(this.folder, { withFileTypes: true }).catch(() => []);
    for (const shard of shards) {
      if (shard.isDirectory() && /^[0-9a-f]{2}$/.test(shard.name)) {
        await rm(path.join(this.folder, shard.name), { recursive: true, force: true });
      }
    }
    return this.info();
  }
}
