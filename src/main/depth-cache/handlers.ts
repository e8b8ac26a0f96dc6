/** The `depth.*` methods: where depth runs, a photo's cached depth for the viewer, the depth cache's size. */
import type { CacheInfo } from '../../shared/thumbnails';
import type { HandlersOf } from '../ipc/handlers';
import type { Studio } from '../studio/studio';

async function cacheInfo(studio: Studio): Promise<CacheInfo> {
  const usage = await studio.depthCache.usage();
  return { displayPath: studio.depthCache.folder, files: usage.entries, sizeBytes: usage.bytes };
}

export function depthHandlers(studio: Studio): HandlersOf<'depth'> {
  return {
    'depth.status': async () => studio.status(),
    'depth.get': async ({ photoId }) => studio.cachedDepth(photoId),
    'depth.cacheInfo': async () => cacheInfo(studio),
    'depth.clearCache': async () => {
      await studio.clearDepthCache();
      return cacheInfo(studio);
    }
  };
}
