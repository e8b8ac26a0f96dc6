import path from 'node:path';
import type { FolderListing } from '../../shared/api';
import { ZoeError } from '../../shared/errors';
import type { HandlersOf, HostServices } from '../ipc/handlers';
import { photoIdOf, scanFolder, type ScannedPhoto } from './scan';

/** The photos the renderer may refer to by id, and the folders it has opened. */
export class PhotoRegistry {
  private readonly photos = new Map<string, ScannedPhoto>();

  remember(photos: readonly ScannedPhoto[]): void {
    for (const photo of photos) this.photos.set(photo.id, photo);
  }

  /** The photo behind an id the renderer sent, or NOT_FOUND. */
  get(id: string): ScannedPhoto {
    const photo = this.photos.get(id);
    if (photo === undefined) throw new ZoeError('NOT_FOUND', 'That photo is no longer in an open folder.');
    return photo;
  }
}

export function libraryHandlers(services: HostServices, registry: PhotoRegistry): HandlersOf<'library'> {
  return {
    'library.openFolder': async (request): Promise<FolderListing | null> => {
      const folder = await services.chooseFolder();
      if (folder === null) return null;
      const recursive = request?.recursive ?? false;
      let photos: ScannedPhoto[];
      try {
        photos = await scanFolder(folder, recursive);
      } catch (error) {
        throw new ZoeError('IO_ERROR', `Zoe Studio could not read the folder “${path.basename(folder)}”.`, {
          detail: error instanceof Error ? error.message : String(error),
          cause: error
        });
      }
      registry.remember(photos);
      return {
        folderId: photoIdOf(folder),
        name: path.basename(folder),
        displayPath: folder,
        recursive,
        photos: photos.map(({ absolutePath: _absolutePath, ...entry }) => entry)
      };
    }
  };
}
