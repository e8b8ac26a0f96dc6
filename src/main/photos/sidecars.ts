/**
 * XMP side-cars beside the photos: which ones belong to a photo, reading its rating, flag and label
 * from them (over the photo's own XMP), and writing a change atomically into them. The photo
 * itself is only ever read.
 *
 * Names, as the tools write them:
 * - `IMG_1.xmp`: Lightroom, Bridge/Camera Raw, Capture One, Photo Mechanic (the photo's name
 *   without its extension);
 * - `IMG_1.CR2.xmp`, `IMG_1.jpg.xmp`: darktable (the whole name plus `.xmp`).
 *
 * Both are read; the more recently modified one wins where they disagree. A change is written into
 * every side-car of the photo that exists. When none exists, `IMG_1.xmp` is created (the name most
 * tools read), unless another photo in the folder has the same name without its extension (a
 * RAW+JPEG pair): that name then belongs to the RAW file, as in Lightroom, and the other photo gets
 * the darktable name, so two photos never share one rating.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ColourLabel, PhotoTags, PickFlag, Rating } from '../../shared/api/photos';
import { ZoeError } from '../../shared/errors';
import { writeFileAtomic } from '../fs/atomic';
import { photoKindOf } from '../library/scan';
import { applyChange, mergeTags, NO_TAGS, readTags, writeTags, type TagValues } from './xmp';

/** The side-car names a photo may have; `adobe` is null when the photo cannot claim that name. */
export interface SidecarCandidates {
  adobe: string | null;
  darktable: string;
}

/** Photo names in a folder, lower-cased, listed once per batch of calls. */
export type FolderListingCache = Map<string, Promise<string[]>>;

async function photoNamesIn(folder: string, cache: FolderListingCache): Promise<string[]> {
  let names = cache.get(folder);
  if (names === undefined) {
    names = readdir(folder).then(
      (entries) => entries.filter((name) => photoKindOf(name) !== null),
      () => []
    );
    cache.set(folder, names);
  }
  return names;
}

function stemOf(fileName: string): string {
  return path.parse(fileName).name;
}

/**
 * The side-car paths of `photoPath`. The extension-less name is the photo's unless another photo
 * of the folder shares its stem; among such photos it belongs to the one RAW file, if exactly one.
 */
export async function sidecarCandidates(photoPath: string, cache: FolderListingCache = new Map()): Promise<SidecarCandidates> {
  const folder = path.dirname(photoPath);
  const name = path.basename(photoPath);
  const stem = stemOf(name).toLowerCase();
  const sharing = (await photoNamesIn(folder, cache)).filter((other) => stemOf(other).toLowerCase() === stem);
  const raws = sharing.filter((other) => photoKindOf(other) === 'raw');
  const claims = sharing.length <= 1 || (raws.length === 1 && raws[0] === name);
  return { adobe: claims ? path.join(folder, `${stemOf(name)}.xmp`) : null, darktable: `${photoPath}.xmp` };
}

interface ExistingSidecar {
  path: string;
  text: string;
  modifiedMs: number;
}

/** The side-car at `file` (or its `.XMP` spelling), or null when there is none. */
async function readSidecar(file: string): Promise<ExistingSidecar | null> {
  for (const candidate of [file, file.replace(/\.xmp$/, '.XMP')]) {
    try {
      const [text, info] = await Promise.all([readFile(candidate, 'utf8'), stat(candidate)]);
      return { path: candidate, text, modifiedMs: info.mtimeMs };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new ZoeError('IO_ERROR', `The side-car “${path.basename(candidate)}” could not be read.`, { detail: String(error), cause: error });
    }
  }
  return null;
}

/** The photo's existing side-cars, oldest first. */
async function existingSidecars(candidates: SidecarCandidates): Promise<ExistingSidecar[]> {
  const found = await Promise.all([candidates.adobe === null ? null : readSidecar(candidates.adobe), readSidecar(candidates.darktable)]);
  const unique = found.filter((sidecar): sidecar is ExistingSidecar => sidecar !== null).filter((sidecar, index, all) => all.findIndex((other) => other.path === sidecar.path) === index);
  return unique.sort((a, b) => a.modifiedMs - b.modifiedMs);
}

/** The tags recorded in the photo's own XMP (`embeddedXmp`) and then its side-cars, with warnings for unreadable ones. */
export async function readPhotoTags(photoPath: string, embeddedXmp: string | undefined, cache?: FolderListingCache): Promise<{ tags: PhotoTags; warnings: string[] }> {
  const warnings: string[] = [];
  let tags: TagValues = NO_TAGS;
  if (embeddedXmp !== undefined) {
    try {
      tags = mergeTags(tags, readTags(embeddedXmp));
    } catch {
      warnings.push("The photo's own XMP is not well-formed; its rating was ignored.");
    }
  }
  const sidecars = await existingSidecars(await sidecarCandidates(photoPath, cache));
  const used: string[] = [];
  for (const sidecar of sidecars) {
    try {
      tags = mergeTags(tags, readTags(sidecar.text));
      used.push(path.basename(sidecar.path));
    } catch {
      warnings.push(`The side-car “${path.basename(sidecar.path)}” is not well-formed XML; it was ignored.`);
    }
  }
  return { tags: { ...tags, sidecars: used }, warnings };
}

/** Side-car writes in flight, by side-car path: a change waits for the one before it. */
const writing = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = writing.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  writing.set(key, settled);
  void settled.then(() => {
    if (writing.get(key) === settled) writing.delete(key);
  });
  return next;
}

/**
 * Applies a change to the photo's tags and writes it into its side-cars (creating one when it has
 * none), each atomically and with the rest of its content kept. Returns the tags as now recorded.
 */
export async function writePhotoTags(
  photoPath: string,
  embeddedXmp: () => Promise<string | undefined>,
  change: { rating?: Rating; flag?: PickFlag; label?: ColourLabel | null },
  cache?: FolderListingCache
): Promise<PhotoTags> {
  const candidates = await sidecarCandidates(photoPath, cache);
  const key = candidates.darktable;
  return serialised(key, async () => {
    const current = await readPhotoTags(photoPath, await embeddedXmp(), cache);
    const next = applyChange(current.tags, change);
    const sidecars = await existingSidecars(candidates);
    const targets = sidecars.length > 0 ? sidecars : [{ path: candidates.adobe ?? candidates.darktable, text: null }];
    for (const target of targets) {
      let updated: string;
      try {
        updated = writeTags(target.text, next);
      } catch (error) {
        if (error instanceof ZoeError) {
          throw new ZoeError(error.code, `The side-car “${path.basename(target.path)}” could not be updated: ${error.message}`, error.detail === undefined ? {} : { detail: error.detail });
        }
        throw error;
      }
      try {
        await writeFileAtomic(target.path, updated);
      } catch (error) {
        throw new ZoeError('IO_ERROR', `Zoe Studio could not write the side-car “${path.basename(target.path)}” beside the photo. Check that the folder is writable.`, {
          detail: String(error),
          cause: error
        });
      }
    }
    return { ...next, sidecars: targets.map((target) => path.basename(target.path)) };
  });
}
