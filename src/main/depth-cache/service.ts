/**
 * `DepthService`: depth for a photo, from the cache when the same content was already estimated
 * with the same model and options, else from the engine (and then cached). Two requests for the
 * same photo at once share one run.
 */
import { createHash } from 'node:crypto';
import type { DepthMap, DepthOptions } from '../../shared/depth';
import type { ModelManifest } from '../../shared/manifest';
import { checkRegularFile } from '../fs/read-file';
import { MAX_PHOTO_BYTES, readPhoto } from '../photos/read';
import { DEPTH_ENGINE_VERSION, depthCacheKey, modelIdentityOf } from './key';
import type { DepthCache } from './store';

/** A model file with its manifest (the depth engine's `InstalledModel`). */
export interface CacheableModel {
  manifest: ModelManifest;
  modelPath: string;
}

/** The part of `DepthEngine` the service needs. */
export interface DepthEstimator {
  estimate(photo: string | Buffer, model: CacheableModel, options?: Partial<DepthOptions> & { signal?: AbortSignal }): Promise<DepthMap>;
}

/** A depth map and whether it came from the cache. */
export interface DepthResult {
  depth: DepthMap;
  fromCache: boolean;
  /** The cache key, for logs and tests. */
  key: string;
}

/** Remembered content hash of a file, valid while its size, modification time and inode stay the same. */
interface KnownContent {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

export interface DepthServiceOptions {
  engine: DepthEstimator;
  cache: DepthCache;
  /** Defaults to {@link DEPTH_ENGINE_VERSION}. */
  engineVersion?: string;
}

export class DepthService {
  private readonly engine: DepthEstimator;
  private readonly cache: DepthCache;
  private readonly engineVersion: string;
  private readonly knownContent = new Map<string, KnownContent>();
  private readonly running = new Map<string, Promise<DepthMap>>();

  constructor(options: DepthServiceOptions) {
    this.engine = options.engine;
    this.cache = options.cache;
    this.engineVersion = options.engineVersion ?? DEPTH_ENGINE_VERSION;
  }

  /**
   * Depth of the photo at `photoPath` with `model`. Options default to the model's manifest.
   * The photo is read once: the bytes that are hashed are the bytes that are estimated.
   */
  async estimate(photoPath: string, model: CacheableModel, options: Partial<DepthOptions> & { signal?: AbortSignal } = {}): Promise<DepthResult> {
    const resolved: DepthOptions = { flip: options.flip ?? model.manifest.defaults.flip, pad: options.pad ?? model.manifest.defaults.pad };
    const modelIdentity = await modelIdentityOf(model);
    const keyFor = (photoSha256: string): string =>
      depthCacheKey({ photoSha256, modelId: model.manifest.id, modelIdentity, options: resolved, engineVersion: this.engineVersion });

    // Cheap path: an unchanged file (same size, mtime, inode) keeps the content hash we computed before.
    const info = await checkRegularFile(photoPath, { maxBytes: MAX_PHOTO_BYTES, what: 'photo' });
    const known = this.knownContent.get(photoPath);
    if (known !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs && known.ino === info.ino) {
      const key = keyFor(known.sha256);
      const cached = await this.cache.get(key);
      if (cached !== null) return { depth: cached, fromCache: true, key };
    }

    // Read once into memory (a consistent version of the file): the bytes hashed are the bytes estimated.
    const { bytes, size, mtimeMs, ino } = await readPhoto(photoPath);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.knownContent.set(photoPath, { size, mtimeMs, ino, sha256 });
    const key = keyFor(sha256);
    const cached = await this.cache.get(key);
    if (cached !== null) return { depth: cached, fromCache: true, key };

    const running = this.running.get(key);
    if (running !== undefined) return { depth: await running, fromCache: true, key };
    const job = this.compute(key, bytes, model, resolved, options.signal).finally(() => this.running.delete(key));
    this.running.set(key, job);
    return { depth: await job, fromCache: false, key };
  }

  /** Disk use of the cache. */
  usage(): ReturnType<DepthCache['usage']> {
    return this.cache.usage();
  }

  /** Empties the cache (settings: "Clear depth cache"). */
  async clear(): Promise<void> {
    this.knownContent.clear();
    await this.cache.clear();
  }

  private async compute(key: string, bytes: Buffer, model: CacheableModel, options: DepthOptions, signal: AbortSignal | undefined): Promise<DepthMap> {
    const depth = await this.engine.estimate(bytes, model, { ...options, ...(signal ? { signal } : {}) });
    await this.cache.put(key, depth);
    return depth;
  }
}
