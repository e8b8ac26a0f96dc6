import { createHash } from 'node:crypto';
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PhotoEntry } from '../../shared/api';

/** Extensions sharp decodes directly. */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.avif', '.heic', '.heif']);
/** Camera RAW files, shown through their embedded JPEG preview. */
export const RAW_EXTENSIONS = new Set(['.cr2', '.cr3', '.nef', '.arw', '.raf', '.orf', '.rw2', '.dng']);

/** A stable, opaque id for a photo: the renderer never sees or sends its path. */
export function photoIdOf(absolutePath: string): string {
  return createHash('sha256').update(absolutePath).digest('base64url').slice(0, 22);
}

export interface ScannedPhoto extends PhotoEntry {
  absolutePath: string;
}

/**
 * Lists the photos in a folder (and its subfolders when `recursive`), sorted by relative path.
 * Unreadable subfolders are skipped; symbolic links to folders are not followed, so link loops
 * cannot trap the scan.
 */
export async function scanFolder(root: string, recursive: boolean): Promise<ScannedPhoto[]> {
  const photos: ScannedPhoto[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    let directory;
    try {
      directory = await opendir(folder);
    } catch (error) {
      if (folder === root) throw error;
      continue;
    }
    for await (const entry of directory) {
      const absolutePath = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (recursive && !entry.name.startsWith('.')) pending.push(absolutePath);
        continue;
      }
      if (!entry.isFile()) continue;
      const extension = path.extname(entry.name).toLowerCase();
      const kind = IMAGE_EXTENSIONS.has(extension) ? 'image' : RAW_EXTENSIONS.has(extension) ? 'raw' : null;
      if (kind === null) continue;
      let info;
      try {
        info = await stat(absolutePath);
      } catch {
        continue;
      }
      photos.push({
        id: photoIdOf(absolutePath),
        name: entry.name,
        relativePath: path.relative(root, absolutePath).split(path.sep).join('/'),
        sizeBytes: info.size,
        modifiedMs: Math.round(info.mtimeMs),
        kind,
        absolutePath
      });
    }
  }
  photos.sort((a, b) => a.relativePath.localeCompare(b.relativePath, undefined, { numeric: true }));
  return photos;
}
