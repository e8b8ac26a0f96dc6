/**
 * The `photos.*` methods: metadata for the info panel, summaries for the library's sorting and
 * filters, and ratings, flags and labels written to XMP side-cars.
 */
import type { PhotoSummary, PhotoTagsOutcome } from '../../shared/api/photos';
import { toErrorValue } from '../../shared/errors';
import type { HandlersOf } from '../ipc/handlers';
import type { PhotoRegistry } from '../library/handlers';
import type { PhotoMeasuring } from '../measure/handlers';
import { readExifFields } from './exif-fields';
import { photoMetadata, summarisePhoto } from './metadata';
import { writePhotoTags, type FolderListingCache } from './sidecars';

/** Photos read at once for summaries: enough to hide file latency, few enough to leave the disk to thumbnails. */
const SUMMARY_CONCURRENCY = 4;

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

const EMPTY_SUMMARY = { dateTaken: null, hasFocalLength: false, tags: { rating: 0, flag: 'none', label: null, sidecars: [] } } as const;

export function photosHandlers(registry: PhotoRegistry, measuring: PhotoMeasuring): HandlersOf<'photos'> {
  return {
    'photos.metadata': async ({ photoId }) => photoMetadata(registry.get(photoId), () => measuring.camera(photoId, undefined)),
    'photos.summaries': async ({ photoIds }) => {
      const listings: FolderListingCache = new Map();
      return mapLimited(photoIds, SUMMARY_CONCURRENCY, async (photoId): Promise<PhotoSummary> => {
        try {
          return await summarisePhoto(registry.get(photoId), listings);
        } catch (error) {
          // A photo that vanished or cannot be read still gets a row: it sorts last and filters as “no focal length”.
          console.warn('[zoe] could not summarise a photo:', toErrorValue(error).message);
          return { photoId, ...EMPTY_SUMMARY, tags: { ...EMPTY_SUMMARY.tags, sidecars: [] } };
        }
      });
    },
    'photos.setTags': async ({ photoIds, rating, flag, label }) => {
      const listings: FolderListingCache = new Map();
      const change = { ...(rating === undefined ? {} : { rating }), ...(flag === undefined ? {} : { flag }), ...(label === undefined ? {} : { label }) };
      return mapLimited(photoIds, SUMMARY_CONCURRENCY, async (photoId): Promise<PhotoTagsOutcome> => {
        try {
          const photo = registry.get(photoId);
          const tags = await writePhotoTags(photo.absolutePath, async () => (await readExifFields(photo.absolutePath)).fields.xmp, change, listings);
          return { photoId, ok: true, tags };
        } catch (error) {
          return { photoId, ok: false, error: toErrorValue(error) };
        }
      });
    }
  };
}
