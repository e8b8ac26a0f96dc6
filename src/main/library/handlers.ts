import path from 'node:path';
import type { FolderListing, PhotoEntry } from '../../shared/api';
import { ZoeError } from '../../shared/errors';
import type { HandlersOf, HostServices } from '../ipc/handlers';
import { RecentFolders } from './recents';
import { photoIdOf, scanFolder, type FolderScan, type ScannedPhoto } from './scan';
import { FolderWatcher } from './watch';

/** The photos the renderer may refer to by id, and the folders it has opened. */
export class PhotoRegistry {
  private readonly photos = new Map<string, ScannedPhoto>();

  remember(photos: readonly ScannedPhoto[]): void {
    for (const photo of photos) this.photos.set(photo.id, photo);
  }

  forget(ids: readonly string[]): void {
    for (const id of ids) this.photos.delete(id);
  }

  clear(): void {
    this.photos.clear();
  }

  /** The photo behind an id the renderer sent, or NOT_FOUND. */
  get(id: string): ScannedPhoto {
    const photo = this.photos.get(id);
    if (photo === undefined) throw new ZoeError('NOT_FOUND', 'That photo is no longer in an open folder.');
    return photo;
  }
}

/** A photo entry as the renderer may see it: no absolute path. */
export function toPhotoEntry({ absolutePath: _absolutePath, ...entry }: ScannedPhoto): PhotoEntry {
  return entry;
}

/** The open folder: one at a time, watched while open. */
interface OpenFolder {
  folderId: string;
  watcher: FolderWatcher;
}

/** The library feature: opening folders (chooser or recent list) and keeping the open one live. */
export class Library {
  readonly recents: RecentFolders;
  private current: OpenFolder | null = null;

  constructor(
    private readonly services: HostServices,
    readonly registry: PhotoRegistry
  ) {
    this.recents = new RecentFolders(services.dataDir);
  }

  /** Scans `folder`, makes it the open folder, starts watching it and remembers it as recent. */
  async open(folder: string, recursive: boolean): Promise<FolderListing> {
    const absolute = path.resolve(folder);
    let scan: FolderScan;
    try {
      scan = await scanFolder(absolute, recursive);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ZoeError(
        code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR',
        code === 'ENOENT'
          ? `The folder “${path.basename(absolute)}” is no longer there. It may have been moved, renamed or unplugged.`
          : `Zoe Studio could not read the folder “${path.basename(absolute)}”. Check that you may open it.`,
        { detail: error instanceof Error ? error.message : String(error), cause: error }
      );
    }
    await this.close();
    const folderId = photoIdOf(absolute);
    this.registry.remember(scan.photos);
    const watcher = new FolderWatcher(absolute, scan.photos, {
      recursive,
      onChanges: ({ added, removed }) => {
        if (this.current?.folderId !== folderId) return;
        this.registry.forget(removed);
        this.registry.remember(added);
        this.services.emit('library.changed', { folderId, added: added.map(toPhotoEntry), removed });
      }
    });
    this.current = { folderId, watcher };
    await watcher.whenReady();
    await this.recents.remember(absolute, recursive).catch((error: unknown) => {
      console.warn('[zoe] could not save the recent folders list:', error);
    });
    return {
      folderId,
      name: path.basename(absolute),
      displayPath: absolute,
      recursive,
      photos: scan.photos.map(toPhotoEntry),
      unreadableFolders: scan.unreadableFolders
    };
  }

  /** Stops watching the open folder. */
  async close(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (current !== null) await current.watcher.close();
  }
}

export function libraryHandlers(services: HostServices, library: Library): HandlersOf<'library'> {
  return {
    'library.openFolder': async (request): Promise<FolderListing | null> => {
      const folder = await services.chooseFolder();
      if (folder === null) return null;
      return library.open(folder, request?.recursive ?? false);
    },
    'library.recentFolders': async () =>
      (await library.recents.list()).map(({ absolutePath: _absolutePath, ...recent }) => recent),
    'library.openRecent': async (request) => {
      const recent = await library.recents.find(request.folderId);
      if (recent === undefined) {
        throw new ZoeError('NOT_FOUND', 'That folder is not in the recent folders list any more.');
      }
      return library.open(recent.absolutePath, request.recursive ?? recent.recursive);
    }
  };
}
