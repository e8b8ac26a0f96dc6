/** The disk use of a cache folder, for the settings panel. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Files under a folder (all depths) and the bytes they take. */
export interface FolderUsage {
  files: number;
  bytes: number;
}

/**
 * Counts every file under `folder`, however deep; a missing folder is empty, and a file that
 * vanishes while it is counted (a cache being written or trimmed) is skipped.
 */
export async function folderUsage(folder: string): Promise<FolderUsage> {
  const usage: FolderUsage = { files: 0, bytes: 0 };
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return usage;
  }
  for (const entry of entries) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      const inner = await folderUsage(entryPath);
      usage.files += inner.files;
      usage.bytes += inner.bytes;
    } else if (entry.isFile()) {
      try {
        usage.bytes += (await stat(entryPath)).size;
        usage.files += 1;
      } catch {
        continue;
      }
    }
  }
  return usage;
}
