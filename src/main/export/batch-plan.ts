/**
 * Planning a batch export: output names from the naming template, the names already taken (and
 * why), and the expected size of every format, before any depth is made or any file written.
 */
import path from 'node:path';
import type { Metadata } from 'sharp';
import type { ConflictPolicy, ConflictReason, ExportConflict } from '../../shared/api/export';
import { ZoeError } from '../../shared/errors';
import { EXPORT_FILE_SUFFIXES, type ExportFormat, type ExportOptions } from '../../shared/export';
import { namesWrittenBefore } from './sidecar';
import { pathExists } from '../fs/exists';
import { photoSharp, readPhoto } from '../photos/read';

/** A format's file, or the side-car. */
export type OutputKind = ExportFormat | 'json';

/** What the template's tokens stand for, for one photo. */
export interface TemplateValues {
  /** The photo's name without its extension. */
  name: string;
  model: string;
  /** YYYY-MM-DD. */
  date: string;
}

/** The export's date as `{date}` writes it: the local calendar day. */
export function templateDate(now: Date = new Date()): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Characters no output name may hold, whatever a token brings in (a model id with a slash, say). */
function safeForFileName(text: string): string {
  return [...text].map((character) => (/[/\\:*?"<>|]/.test(character) || character.charCodeAt(0) < 32 ? '_' : character)).join('');
}

/**
 * The file name of one output: the template with its tokens replaced, then the format's ending
 * (`{name}.depth` + `.png`, `-color.png`, `.json`…, as `EXPORT_FILE_SUFFIXES` after `.depth`).
 */
export function outputFileName(template: string, values: TemplateValues, kind: OutputKind): string {
  const base = template.replace(/\{(name|model|date)\}/g, (_match, token: keyof TemplateValues) => safeForFileName(values[token]));
  return `${base}${EXPORT_FILE_SUFFIXES[kind].slice('.depth'.length)}`;
}

/** The names of one photo's outputs, the side-car last; `attempt` 2, 3… adds ` (2)`, ` (3)`… to `{name}`. */
export function outputFileNames(template: string, values: TemplateValues, kinds: readonly OutputKind[], attempt = 1): Map<OutputKind, string> {
  const named = attempt === 1 ? values : { ...values, name: `${values.name} (${attempt})` };
  return new Map(kinds.map((kind) => [kind, outputFileName(template, named, kind)]));
}

/** What the batch knows while naming: the photos it reads and the names it has already given out. */
export interface NamingContext {
  folder: string;
  /** Absolute paths of the batch's photos (never written over). */
  originals: ReadonlySet<string>;
  /** Lower-cased names given to earlier photos of this batch. */
  claimed: Set<string>;
}

/** Why each of these names cannot simply be written, or an empty list. */
export async function conflictsOf(names: ReadonlyMap<OutputKind, string>, context: NamingContext): Promise<{ kind: OutputKind; fileName: string; reason: ConflictReason }[]> {
  const sidecarName = names.get('json');
  const earlier = sidecarName === undefined ? new Set<string>() : await namesWrittenBefore(path.join(context.folder, sidecarName));
  const conflicts: { kind: OutputKind; fileName: string; reason: ConflictReason }[] = [];
  for (const [kind, fileName] of names) {
    const target = path.resolve(context.folder, fileName);
    let reason: ConflictReason | undefined;
    if (context.originals.has(target)) reason = 'original-photo';
    else if (context.claimed.has(fileName.toLowerCase())) reason = 'same-name-in-batch';
    else if (await pathExists(target)) reason = earlier.has(fileName) ? 'earlier-export' : 'exists';
    if (reason !== undefined) conflicts.push({ kind, fileName, reason });
  }
  return conflicts;
}

/**
 * The names one photo's files get under `policy`: the template's when free; with `overwrite` also
 * when the only conflicts are files an earlier export wrote; else ` (2)`, ` (3)`… is added.
 * `null` with `skip` when the names are taken. Claims the names chosen.
 */
export async function chooseOutputNames(
  template: string,
  values: TemplateValues,
  kinds: readonly OutputKind[],
  policy: ConflictPolicy,
  context: NamingContext
): Promise<Map<OutputKind, string> | null> {
  for (let attempt = 1; attempt < 1000; attempt++) {
    const names = outputFileNames(template, values, kinds, attempt);
    const conflicts = await conflictsOf(names, context);
    const acceptable = conflicts.every((conflict) => policy === 'overwrite' && conflict.reason === 'earlier-export');
    if (acceptable) {
      for (const name of names.values()) context.claimed.add(name.toLowerCase());
      return names;
    }
    if (policy === 'skip') return null;
  }
  throw new ZoeError('IO_ERROR', 'The export folder already holds too many exports of this photo.', { detail: context.folder });
}

/** The planner's view of one conflict, as the contract reports it. */
export function toExportConflict(photoId: string, conflict: { kind: OutputKind; fileName: string; reason: ConflictReason }): ExportConflict {
  return { photoId, format: conflict.kind, fileName: conflict.fileName, reason: conflict.reason };
}

/** What the size estimate needs to know about a photo: its upright size and its file size. */
export interface PhotoDimensions {
  width: number;
  height: number;
  fileBytes: number;
}

/** How much of a photo is read for its header. */
const HEADER_BYTES = 512 * 1024;

/** Upright size (EXIF orientation applied) and file size, from the header only. */
export async function photoDimensions(photoPath: string): Promise<PhotoDimensions> {
  let metadata: Metadata;
  let fileBytes: number;
  try {
    // The header is usually in the first few hundred KB; a TIFF may keep its directory at the end.
    const head = await readPhoto(photoPath, { headBytes: HEADER_BYTES });
    fileBytes = head.size;
    metadata = await photoSharp(head.bytes, 'none')
      .metadata()
      .catch(async () => photoSharp((await readPhoto(photoPath)).bytes, 'none').metadata());
  } catch (error) {
    if (error instanceof ZoeError) throw error;
    throw new ZoeError('UNSUPPORTED_IMAGE', `Zoe Studio cannot read “${path.basename(photoPath)}”: it is damaged or not a photo format it knows.`, { cause: error });
  }
  const { width, height } = metadata;
  if (width === undefined || height === undefined) throw new ZoeError('UNSUPPORTED_IMAGE', `Zoe Studio cannot read the size of “${path.basename(photoPath)}”.`);
  const sideways = (metadata.orientation ?? 1) >= 5;
  return { width: sideways ? height : width, height: sideways ? width : height, fileBytes };
}

/** About as many samples as ZoeDepth's output grids (384×512), for model-resolution estimates. */
const MODEL_GRID_SAMPLES = 384 * 512;

/**
 * Expected bytes of one format for one photo. Raw float formats are exact but for their headers;
 * compressed ones use ratios measured on depth maps (smooth surfaces compress well, edges less).
 */
export function estimateBytes(kind: OutputKind, photo: PhotoDimensions, options: ExportOptions): number {
  const photoSamples = photo.width * photo.height;
  const n = options.resolution === 'model' ? Math.min(photoSamples, MODEL_GRID_SAMPLES) : photoSamples;
  const plyPoints = Math.ceil(Math.sqrt(n) / options.plyStep) ** 2;
  const meshStep = options.meshStep ?? Math.max(1, Math.ceil(Math.sqrt(n / options.meshMaxVertices)));
  const meshVertices = Math.ceil(Math.sqrt(n) / meshStep) ** 2;
  const textureSamples = Math.min(photoSamples, options.meshTextureMaxSide ** 2);
  switch (kind) {
    case 'npy':
      return 128 + 4 * n;
    case 'pfm':
      return 32 + 4 * n;
    case 'tiff32':
      return 512 + 4 * n;
    case 'exr':
      return 400 + (options.exrPixelType === 'half' ? 2 : 4) * n;
    case 'png16':
      return 1.4 * n;
    case 'png8':
      return 1.4 * n;
    case 'jpg':
      return 0.8 * n;
    case 'ply':
      return 400 + 15 * plyPoints;
    case 'glb':
      return 2000 + 8 * meshVertices + textureSamples;
    case 'gdepth':
      return 1.5 * photo.fileBytes + 0.5 * n;
    case 'json':
      return 4500;
  }
}
