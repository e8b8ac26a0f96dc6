import { createHash } from 'node:crypto';
import { opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PhotoEntry } from '../../shared/api';

/** Extensions sharp decodes directly (HEIF only where the codec is built in; see thumbnails). */
export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.webp', '.avif', '.heic', '.heif']);
/** Camera RAW files, shown through their embedded JPEG preview. */
export const RAW_EXTENSIONS = new Set(['.cr2', '.cr3', '.nef', '.arw', '.raf', '.orf', '.rw2', '.dng']);

/** A stable, opaque id for a photo: the renderer never sees or sends its path. */
export function photoIdOf(absolutePath: string): string {
  return createHash('sha256').update(absolutePath).digest('base64url').slice(0, 22);
}

/** `image` or `raw` for a file name Zoe Studio can show, `null` for anything else. */
export function photoKindOf(fileName: string): PhotoEntry['kind'] | null {
  if (fileName.startsWith('.')) return null;
  const extension = path.extname(fileName).toLowerCase();
  return IMAGE_EXTENSIONS.has(extension) ? 'image' : RAW_EXTENSIONS.has(extension) ? 'raw' : null;
}

export interface ScannedPhoto extends PhotoEntry {
  absolutePath: string;
}

/** What a scan found: the photos, and the subfolders it could not read. */
export interface FolderScan {
  photos: ScannedPhoto[];
  /** Relative paths (with `/`) of subfolders whose contents could not be listed. */
  unreadableFolders: string[];
}

/** The photo entry for one file, or `null` when it is not a photo or vanished meanwhile. */
export async function scanPhoto(root: string, absolutePath: string): Promise<ScannedPhoto | null> {
  const kind = photoKindOf(path.basename(absolutePath));
  if (kind === null) return null;
  let info;
  try {
    info = await stat(absolutePath);
  } catch {
    return null;
  }
  if (!info.isFile()) return null;
  return {
    id: photoIdOf(absolutePath),
    name: path.basename(absolutePath),
    relativePath: relativeDisplayPath(root, absolutePath),
    sizeBytes: info.size,
    modifiedMs: Math.round(info.mtimeMs),
    kind,
    absolutePath
  };
}

function relativeDisplayPath(root: string, absolutePath: string): string {
  return path.relative(root, absolutePath).split(path.sep).join('/');
}

/**
 * Lists the photos in a folder (and its subfolders when `recursive`), sorted by relative path.
 * Unreadable subfolders are reported, not fatal. Symbolic links are followed, but every folder is
 * visited once by its real path, so link loops cannot trap the scan.
 */
export async function scanFolder(root: string, recursive: boolean): Promise<FolderScan> {
  const photos: ScannedPhoto[] = [];
  const unreadableFolders: string[] = [];
  const visited = new Set<string>([await realpath(root)]);
  const pending = [root];
  while (pending.length > 0) {
    const folder = pending.pop() as string;
    let directory;
    try {
      directory = await opendir(folder);
    } catch (error) {
      if (folder === root) throw error;
      unreadableFolders.push(relativeDisplayPath(root, folder));
      continue;
    }
    try {
      for await (const entry of directory) {
        if (entry.name.startsWith('.')) continue;
        const absolutePath = path.join(folder, entry.name);
        let isFolder = entry.isDirectory();
        if (entry.isSymbolicLink()) {
          const target = await stat(absolutePath).catch(() => null);
          if (target === null) continue;
          isFolder = target.isDirectory();
        }
        if (isFolder) {
          if (!recursive) continue;
          const real = await realpath(absolutePath).catch(() => null);
          if (real === null) {
            unreadableFolders.push(relativeDisplayPath(root, absolutePath));
            continue;
          }
          if (visited.has(real)) continue;
          visited.add(real);
          pending.push(absolutePath);
          continue;
        }
        const photo = await scanPhoto(root, absolutePath);
        if (photo !== null) photos.push(photo);
      }
    } catch (error) {
      // A folder that fails half-way through listing keeps the photos found so far.
      if (folder === root) throw error;
      unreadableFolders.push(relativeDisplayPath(root, folder));
    }
  }
  photos.sort((a, b) => a.relativePath.localeCompare(b.relativePath, undefined, { numeric: true }));
  unreadableFolders.sort();
  return { photos, unreadableFolders };
}
