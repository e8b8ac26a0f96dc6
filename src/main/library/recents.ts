/** Recently opened folders, remembered in the app's data folder and reopened by id only. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { RecentFolder } from '../../shared/api';
import { writeJsonAtomic } from '../fs/atomic';
import { photoIdOf } from './scan';

/** How many folders the list keeps. */
export const MAX_RECENT_FOLDERS = 12;

const storedRecentSchema = z.object({
  path: z.string().min(1),
  recursive: z.boolean(),
  openedMs: z.number()
});
const storedRecentsSchema = z.object({ version: z.literal(1), folders: z.array(storedRecentSchema) });

type StoredRecent = z.infer<typeof storedRecentSchema>;

/** A remembered folder with the path that only the main process sees. */
export interface RecentFolderRecord extends RecentFolder {
  absolutePath: string;
}

function toRecord(stored: StoredRecent): RecentFolderRecord {
  return {
    folderId: photoIdOf(stored.path),
    name: path.basename(stored.path),
    displayPath: stored.path,
    recursive: stored.recursive,
    openedMs: stored.openedMs,
    absolutePath: stored.path
  };
}

/** The recent-folders list in `<dataDir>/recent-folders.json`, written atomically. */
export class RecentFolders {
  private readonly file: string;
  private loaded: StoredRecent[] | null = null;
  /** Serialises writes so that two quick opens never interleave. */
  private writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'recent-folders.json');
  }

  private async load(): Promise<StoredRecent[]> {
    if (this.loaded !== null) return this.loaded;
    let folders: StoredRecent[] = [];
    try {
      const parsed = storedRecentsSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      if (parsed.success) folders = parsed.data.folders;
    } catch {
      // Missing or unreadable: start with an empty list rather than refusing to open folders.
    }
    this.loaded = folders;
    return folders;
  }

  /** Most recent first. */
  async list(): Promise<RecentFolderRecord[]> {
    return (await this.load()).map(toRecord);
  }

  /** The folder behind an id the renderer sent, or `undefined`. */
  async find(folderId: string): Promise<RecentFolderRecord | undefined> {
    return (await this.list()).find((folder) => folder.folderId === folderId);
  }

  /** Moves (or adds) a folder to the top of the list and saves the list. */
  async remember(absolutePath: string, recursive: boolean, openedMs = Date.now()): Promise<void> {
    const folders = await this.load();
    const next = [{ path: absolutePath, recursive, openedMs }, ...folders.filter((folder) => folder.path !== absolutePath)];
    this.loaded = next.slice(0, MAX_RECENT_FOLDERS);
    const snapshot = { version: 1 as const, folders: this.loaded };
    this.writing = this.writing.catch(() => undefined).then(() => writeJsonAtomic(this.file, snapshot));
    await this.writing;
  }
}
