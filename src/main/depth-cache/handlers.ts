/** The `depth.*` methods: where depth runs, a photo's cached depth for the viewer, the caches' sizes. */
import path from 'node:path';
import type { CacheInfo } from '../../shared/thumbnails';
import type { HandlersOf } from '../ipc/handlers';
import { OPTIMISED_MODELS_FOLDER, type Studio } from '../studio/studio';
import { folderUsage } from './folder-usage';

async function cacheInfo(studio: Studio): Promise<CacheInfo> {
  const usage = await studio.depthCache.usage();
  return { displayPath: studio.depthCache.folder, files: usage.entries, sizeBytes: usage.bytes };
}

/** The optimised-model cache sits beside the depth cache, in the app's data folder. */
async function optimisedCacheInfo(studio: Studio): Promise<CacheInfo> {
  const folder = path.join(path.dirname(studio.depthCache.folder), OPTIMISED_MODELS_FOLDER);
  const usage = await folderUsage(folder);
  return { displayPath: folder, files: usage.files, sizeBytes: usage.bytes };
}

export function depthHandlers(studio: Studio): HandlersOf<'depth'> {
  return {
    'depth.status': async () => studio.status(),
    'depth.get': async ({ photoId }) => studio.cachedDepth(photoId),
    'depth.cacheInfo': async () => cacheInfo(studio),
    'depth.clearCache': async () => {
      await studio.clearDepthCache();
      return cacheInfo(studio);
    },
    'depth.optimisedCacheInfo': async () => optimisedCacheInfo(studio)
  };
}
