/** The photos a `zoe depth` command names: files as given, folders expanded to the photos in them. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { scanFolder } from '../library/scan';

/** A photo to process, or a name on the command line that is not one, with the reason. */
export type PhotoTarget = { path: string; problem?: undefined } | { path: string; problem: string };

/**
 * Expands the command line's paths, in the order given: a folder becomes its photos (sorted, and
 * those of subfolders with `recursive`; camera RAW files are left out); a file is taken as is, whatever its extension, so the
 * engine can say why it cannot read it. A path counted twice is processed once.
 */
export async function collectPhotos(inputs: readonly string[], cwd: string, recursive: boolean): Promise<PhotoTarget[]> {
  const targets: PhotoTarget[] = [];
  const seen = new Set<string>();
  const add = (target: PhotoTarget): void => {
    if (seen.has(target.path)) return;
    seen.add(target.path);
    targets.push(target);
  };
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    let info;
    try {
      info = await stat(absolute);
    } catch {
      add({ path: absolute, problem: 'there is no such file or folder' });
      continue;
    }
    if (info.isDirectory()) {
      const scan = await scanFolder(absolute, recursive);
      const photos = scan.photos.filter((photo) => photo.kind === 'image');
      if (photos.length === 0) add({ path: absolute, problem: 'the folder holds no photos' });
      for (const photo of photos) add({ path: photo.absolutePath });
      for (const folder of scan.unreadableFolders) add({ path: path.join(absolute, folder), problem: 'the folder cannot be read' });
    } else {
      add({ path: absolute });
    }
  }
  return targets;
}
