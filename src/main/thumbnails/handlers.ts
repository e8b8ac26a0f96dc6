import { toErrorValue } from '../../shared/errors';
import { PREVIEW_SIZE, THUMBNAIL_SIZE, type ImageResource, type ThumbnailOutcome } from '../../shared/thumbnails';
import type { HandlersOf, HostServices, ResourceKind } from '../ipc/handlers';
import type { PhotoRegistry } from '../library/handlers';
import type { ScannedPhoto } from '../library/scan';
import { ThumbnailCache, type CachedImage } from './cache';
import { describeUnreadablePhoto } from '../photos/describe';

/**
 * Serves cached images through the resource registry: the resource id is the cache key, so a
 * changed photo gets a new URL and the renderer never shows a stale image.
 */
export class ImageService {
  constructor(
    private readonly services: HostServices,
    readonly cache: ThumbnailCache
  ) {}

  /** Makes (or finds) the image of `photo` and returns the URL it is served under. */
  async resource(kind: ResourceKind, photo: ScannedPhoto): Promise<ImageResource> {
    const longestSide = kind === 'thumbnail' ? THUMBNAIL_SIZE : PREVIEW_SIZE;
    let image: CachedImage;
    try {
      image = await this.cache.get(photo, longestSide);
    } catch (error) {
      throw describeUnreadablePhoto(photo.absolutePath, error);
    }
    this.services.resources.register(kind, image.key, async () => {
      const cached = (await this.cache.read(image.key)) ?? (await this.cache.read((await this.cache.get(photo, longestSide)).key));
      if (cached === null) throw new Error('The image vanished from the cache while it was being served.');
      return { mimeType: 'image/jpeg', body: cached };
    });
    const resource: ImageResource = { url: this.services.resourceUrl(kind, image.key), width: image.width, height: image.height, source: image.source };
    if (image.damage !== undefined) resource.damage = image.damage;
    return resource;
  }
}

export function thumbnailHandlers(images: ImageService, registry: PhotoRegistry): HandlersOf<'thumbnails'> {
  return {
    'thumbnails.get': async ({ photoIds }) =>
      Promise.all(
        photoIds.map(async (photoId): Promise<ThumbnailOutcome> => {
          try {
            const resource = await images.resource('thumbnail', registry.get(photoId));
            return { photoId, ok: true, ...resource };
          } catch (error) {
            return { photoId, ok: false, error: toErrorValue(error) };
          }
        })
      ),
    'thumbnails.preview': async ({ photoId }) => images.resource('preview', registry.get(photoId)),
    'thumbnails.cacheInfo': async () => images.cache.info(),
    'thumbnails.clearCache': async () => images.cache.clear()
  };
}
