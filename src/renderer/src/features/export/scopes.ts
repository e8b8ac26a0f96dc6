/**
 * What Ctrl+E exports: the photo in the viewer, or in the library the photos picked in the grid, the
 * focused photo or the whole folder (the photographer switches between them in the dialog).
 */
import type { PhotoEntry } from '../../../../shared/api';
import type { ExportScope } from '../../stores/export';

/** One photo. */
export function photoScope(photo: PhotoEntry): ExportScope {
  return { photoIds: [photo.id], label: photo.name, previewPhotoId: photo.id, examplePhotoName: photo.name };
}

/** Every photo of the open folder; the preview shows the selected one (or the first). */
export function folderScope(folderName: string, photos: readonly PhotoEntry[], selectedId: string | null): ExportScope | null {
  const first = photos.find((photo) => photo.id === selectedId) ?? photos[0];
  if (first === undefined) return null;
  return {
    photoIds: photos.map((photo) => photo.id),
    label: `All ${photos.length} photo${photos.length === 1 ? '' : 's'} in ${folderName}`,
    previewPhotoId: first.id,
    examplePhotoName: first.name
  };
}

/** The photos picked in the grid (two or more); the preview shows the focused one (or the first). */
export function selectionScope(selected: readonly PhotoEntry[], focusedId: string | null): ExportScope | null {
  if (selected.length < 2) return null;
  const first = selected.find((photo) => photo.id === focusedId) ?? selected[0];
  if (first === undefined) return null;
  return {
    photoIds: selected.map((photo) => photo.id),
    label: `The ${selected.length} selected photos`,
    previewPhotoId: first.id,
    examplePhotoName: first.name
  };
}
