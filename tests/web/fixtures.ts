/** Photo entries and folder listings for renderer tests. */
import type { FolderListing, PhotoEntry } from '../../src/shared/api';

export function photoEntry(index: number, name = `IMG_${String(index).padStart(4, '0')}.jpg`): PhotoEntry {
  return { id: `photo-${index}`, name, relativePath: name, sizeBytes: 1000 + index, modifiedMs: 1_700_000_000_000, kind: 'image' };
}

export function folderListing(count: number, folderId = 'folder-1'): FolderListing {
  return {
    folderId,
    name: 'Holiday',
    displayPath: '/photos/Holiday',
    recursive: false,
    photos: Array.from({ length: count }, (_, index) => photoEntry(index + 1)),
    unreadableFolders: []
  };
}
