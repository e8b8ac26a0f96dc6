/**
 * What decides whether a cached depth map may be reused: the photo's content (not its name or
 * date), the model (its id, its file and its manifest), the inference options and the engine
 * version. Change any of them and the key changes.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { DepthOptions } from '../../shared/depth';
import type { ModelManifest } from '../../shared/manifest';

/**
 * Bump when the engine's results change for the same photo, model and options (a fix in
 * pre- or post-processing), so that depth computed by an older engine is not reused.
 */
export const DEPTH_ENGINE_VERSION = 'zoe-depth-1';

/** Everything a cached depth map depends on. */
export interface DepthCacheKeyParts {
  /** sha256 of the photo file's bytes. */
  photoSha256: string;
  modelId: string;
  /** Which model file, exactly: see {@link modelIdentityOf}. */
  modelIdentity: string;
  options: DepthOptions;
  engineVersion: string;
}

/** The cache key: sha256 (hex) of the parts in a fixed order. */
export function depthCacheKey(parts: DepthCacheKeyParts): string {
  const canonical = JSON.stringify([
    parts.photoSha256,
    parts.modelId,
    parts.modelIdentity,
    parts.options.flip,
    parts.options.pad,
    parts.engineVersion
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * A model file's identity: its published sha256 when the catalog gives one, else its size,
 * modification time and inode (hashing gigabytes on every request would cost more than a run),
 * together with a hash of its manifest (input size, output choice and range change the result).
 */
export async function modelIdentityOf(model: { manifest: ModelManifest; modelPath: string }): Promise<string> {
  const manifestHash = createHash('sha256').update(JSON.stringify(model.manifest)).digest('hex').slice(0, 16);
  const published = model.manifest.source?.sha256;
  if (published !== undefined) return `sha256:${published}/manifest:${manifestHash}`;
  const info = await stat(model.modelPath);
  return `file:${info.size}:${Math.round(info.mtimeMs)}:${info.ino}/manifest:${manifestHash}`;
}
