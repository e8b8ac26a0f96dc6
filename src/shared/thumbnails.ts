/** Thumbnails and previews as the renderer receives them: URLs of registered resources, never paths. */
import { z } from 'zod';
import type { ZoeErrorValue } from './errors';

/** Where a thumbnail's pixels came from. */
export type ThumbnailSource = 'embedded' | 'resized';

/**
 * A photo whose pixels are damaged (a truncated file, corrupt JPEG data, a RAW with a broken
 * preview): its image is shown as far as it decodes, but depth, measuring and export refuse it
 * with the same code. The library tile shows `message`; the tools for the photo are disabled.
 */
export interface PhotoDamage {
  code: 'DAMAGED_IMAGE';
  /** For the photographer: what is wrong and what to do. */
  message: string;
}

/** A thumbnail or preview that could be made: an upright JPEG behind `url`. */
export interface ImageResource {
  url: string;
  /** Size of the upright image behind `url`. */
  width: number;
  height: number;
  source: ThumbnailSource;
  /** Present when the photo's pixels are damaged: show a warning, do not offer depth for it. */
  damage?: PhotoDamage;
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
