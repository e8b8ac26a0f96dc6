/** Thumbnails and previews as the renderer receives them: URLs of registered resources, never paths. */
import { z } from 'zod';
import type { ZoeErrorValue } from './errors';

/** Where a thumbnail's pixels came from. */
export type ThumbnailSource = 'embedded' | 'resized';

/** A thumbnail or preview that could be made: an upright JPEG behind `url`. */
export interface ImageResource {
  url: string;
  /** Size of the upright image behind `url`. */
  width: number;
  height: number;
  source: ThumbnailSource;
}

/** One photo's thumbnail, or the reason it has none (a damaged file, a codec the app lacks…). */
export type ThumbnailOutcome =
  | ({ photoId: string; ok: true } & ImageResource)
  | { photoId: string; ok: false; error: ZoeErrorValue };

/** Longest side of grid thumbnails, in pixels. */
export const THUMBNAIL_SIZE = 320;
/** Longest side of the viewer's preview, in pixels. */
export const PREVIEW_SIZE = 2048;

export const thumbnailsRequest = z.strictObject({
  /** At most a few screens of photos at a time. */
  photoIds: z.array(z.string().min(1).max(64)).min(1).max(400)
});

export const previewRequest = z.strictObject({ photoId: z.string().min(1).max(64) });

/** The on-disk thumbnail cache. */
export interface CacheInfo {
  /** For display only. */
  displayPath: string;
  files: number;
  sizeBytes: number;
}
