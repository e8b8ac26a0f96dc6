/**
 * Export file names: `<photo name><suffix>` in the output folder, e.g. `IMG_0042.depth.png`. A name
 * already taken by a file that no earlier Zoe Studio export recorded (a photo, say) is never written
 * over: the whole set moves to `IMG_0042 (2).depth.png`, … instead, or the export stops.
 */
import path from 'node:path';
import { ZoeError } from '../../shared/errors';
import { EXPORT_FILE_SUFFIXES, type ExportFormat, type ExportOptions } from '../../shared/export';
import { namesWrittenBefore } from './sidecar';
import { pathExists } from '../fs/exists';

/** Where one export's files go: one folder, one base name shared by every format. */
export interface ExportTargets {
  folder: string;
  baseName: string;
}

/** The path of one format's file. */
export function targetPath(targets: ExportTargets, format: ExportFormat | 'json'): string {
  return path.join(targets.folder, `${targets.baseName}${EXPORT_FILE_SUFFIXES[format]}`);
}

/**
 * Chooses the names for an export of `photoPath` into `folder`. With `overwrite`, files an earlier
 * export recorded in its side-car are replaced; any other existing file is a conflict, resolved by
 * a number added to the base name (`suffix`, and `overwrite` too), or an error (`fail`).
 */
export async function chooseTargets(
  photoPath: string,
  folder: string,
  formats: readonly ExportFormat[],
  onConflict: ExportOptions['onConflict']
): Promise<ExportTargets> {
  const photoName = path.parse(photoPath).name;
  const original = path.resolve(photoPath);
  for (let attempt = 1; attempt < 1000; attempt++) {
    const targets = { folder, baseName: attempt === 1 ? photoName : `${photoName} (${attempt})` };
    const replaceable = onConflict === 'overwrite' ? await namesWrittenBefore(targetPath(targets, 'json')) : new Set<string>();
    const taken: string[] = [];
    for (const format of [...formats, 'json' as const]) {
      const file = targetPath(targets, format);
      if (path.resolve(file) === original || ((await pathExists(file)) && !replaceable.has(path.basename(file)))) taken.push(file);
    }
    if (taken.length === 0) return targets;
    if (onConflict === 'fail') {
      throw new ZoeError('IO_ERROR', `A file named “${path.basename(taken[0] ?? '')}” is already in the export folder.`, {
        detail: taken.join('\n')
      });
    }
  }
  throw new ZoeError('IO_ERROR', 'The export folder already holds too many exports of this photo.', { detail: folder });
}
