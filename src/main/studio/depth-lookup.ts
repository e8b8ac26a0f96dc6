/**
 * Finding a photo's depth in the depth cache without running the model (`depth.get`), and the
 * depth map as it travels to the renderer.
 */
import { stat } from 'node:fs/promises';
import type { DepthMap, DepthOptions } from '../../shared/depth';
import type { InstalledModel } from '../depth';
import { DEPTH_ENGINE_VERSION, depthCacheKey, modelIdentityOf } from '../depth-cache/key';
import type { DepthCache } from '../depth-cache/store';
import { sha256OfFile } from '../fs/hash';

interface KnownContent {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

/**
 * The depth map as the renderer receives it: the public fields only, as a plain object (the
 * model output kept beside a cached map for export stays in the main process).
 */
export function depthForRenderer(depth: DepthMap): DepthMap {
  return {
    width: depth.width,
    height: depth.height,
    metres: depth.metres,
    photoWidth: depth.photoWidth,
    photoHeight: depth.photoHeight,
    modelId: depth.modelId,
    provider: depth.provider,
    ...(depth.providerFallbackReason === undefined ? {} : { providerFallbackReason: depth.providerFallbackReason }),
    options: { flip: depth.options.flip, pad: depth.options.pad },
    range: { min: depth.range.min, max: depth.range.max },
    timings: { ...depth.timings }
  };
}

/** Looks depth up by the photo's content, the model and the options: the very key `DepthService` stores it under. */
export class DepthLookup {
  /** Content hashes by path, valid while size, modification time and inode stay the same. */
  private readonly known = new Map<string, KnownContent>();

  constructor(private readonly cache: DepthCache) {}

  /** The cached depth of the photo as it is now on disk, or `null` (also when the photo is gone). */
  async find(photoPath: string, model: InstalledModel, options: DepthOptions): Promise<DepthMap | null> {
    const photoSha256 = await this.contentHash(photoPath);
    if (photoSha256 === null) return null;
    const key = depthCacheKey({
      photoSha256,
      modelId: model.manifest.id,
      modelIdentity: await modelIdentityOf(model),
      options,
      engineVersion: DEPTH_ENGINE_VERSION
    });
    return this.cache.get(key);
  }

  private async contentHash(photoPath: string): Promise<string | null> {
    let info;
    try {
      info = await stat(photoPath);
    } catch {
      return null;
    }
    const known = this.known.get(photoPath);
    if (known !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs && known.ino === info.ino) return known.sha256;
    const sha256 = await sha256OfFile(photoPath);
    this.known.set(photoPath, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, sha256 });
    return sha256;
  }
}
