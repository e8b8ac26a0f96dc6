/**
 * Folder drops, handled inside the preload's isolated world: the page never sees or sends the path.
 * A file dragged over the window may be dropped (the browser would otherwise navigate to it), and
 * the dropped item's path, as Electron reports it, goes to the main process, which opens it when it
 * is a folder and says why not otherwise.
 */

/** The part of a `DragEvent` the drop handling reads. */
export interface FolderDragEvent {
  readonly dataTransfer: { readonly types: readonly string[]; readonly files: ArrayLike<File> } | null;
  preventDefault(): void;
}

/** Where drag events arrive (the document). */
export interface DropTarget {
  addEventListener(type: 'dragover' | 'drop', listener: (event: FolderDragEvent) => void): void;
}

function carriesFiles(event: FolderDragEvent): boolean {
  return event.dataTransfer !== null && Array.from(event.dataTransfer.types).includes('Files');
}

/**
 * Listens for items dragged from the desktop onto `target`; on a drop, `pathOf` (Electron's
 * `webUtils.getPathForFile`) gives the first item's path and `send` reports it. Items without a
 * path (dragged from a web page) are ignored.
 */
export function watchFolderDrops(target: DropTarget, pathOf: (file: File) => string, send: (path: string) => void): void {
  target.addEventListener('dragover', (event) => {
    if (carriesFiles(event)) event.preventDefault();
  });
  target.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    const first = event.dataTransfer?.files[0];
    if (first === undefined) return;
    const dropped = pathOf(first);
    if (dropped !== '') send(dropped);
  });
}
