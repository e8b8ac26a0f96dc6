/**
 * A folder dropped on the window: the preload reports its path on a channel of its own, and it is
 * opened exactly as a folder chosen in the dialog (`library.opened`), or the reason it cannot be
 * (`library.openFailed`).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ZoeError, toErrorValue } from '../../shared/errors';
import type { HostServices } from '../ipc/handlers';
import type { Library } from './handlers';

/** What the preload sends: the absolute path Electron gave for the dropped item. */
const droppedPathSchema = z.string().min(1).max(4096).refine((value) => path.isAbsolute(value) && !value.includes('\0'));

/** The dropped item as a folder to open, or a ZoeError saying why it is not one. */
async function droppedFolder(dropped: unknown): Promise<string> {
  const parsed = droppedPathSchema.safeParse(dropped);
  if (!parsed.success) {
    throw new ZoeError('INVALID_ARGUMENT', 'Only a folder from your disk can be dropped here.');
  }
  const folder = path.resolve(parsed.data);
  const name = path.basename(folder);
  let isFolder: boolean;
  try {
    isFolder = (await stat(folder)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ZoeError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR',
      code === 'ENOENT' ? `“${name}” is no longer there. It may have been moved or unplugged.` : `Zoe Studio could not read “${name}”. Check that you may open it.`,
      { detail: error instanceof Error ? error.message : String(error), cause: error }
    );
  }
  if (!isFolder) {
    throw new ZoeError('INVALID_ARGUMENT', `“${name}” is a file. Drop a folder of photos to open it.`);
  }
  return folder;
}

/**
 * Opens a dropped folder as the photographer's own choice, with or without subfolders as the
 * Subfolders setting says (as the Open folder button does), and announces it with
 * `library.opened`; anything else is announced with `library.openFailed`. Never throws.
 */
export async function openDroppedFolder(
  services: HostServices,
  library: Library,
  withSubfolders: () => Promise<boolean>,
  dropped: unknown
): Promise<void> {
  try {
    const folder = await droppedFolder(dropped);
    const listing = await library.open(folder, await withSubfolders());
    services.emit('library.opened', listing);
  } catch (error) {
    services.emit('library.openFailed', error instanceof ZoeError ? error.toValue() : toErrorValue(error));
  }
}
