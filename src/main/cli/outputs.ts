/**
 * What `zoe depth` writes for each photo: the formats chosen with `--format` (16-bit PNG by
 * default) and the JSON side-car, all through the export writers on the export worker thread,
 * each file atomically. The photo is only read.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { COLORMAP_NAMES, type ColormapName } from '../../shared/colormaps';
import { EXPORT_FORMATS, type ExportFormat, type exportOptionsSchema, type Png16Scale } from '../../shared/export';
import type { ModelManifest } from '../../shared/manifest';
import { sidecarSchema } from '../export/sidecar';
import { writeJsonAtomic } from '../fs/atomic';
import { CliUsageError } from './usage';

/** The formats `zoe depth --format` writes: every export format. */
export const CLI_FORMATS = EXPORT_FORMATS;
export type CliFormat = ExportFormat;

/** `--png16-scale` values as typed on the command line, and the export scale each means. */
export const PNG16_SCALE_ARGUMENTS: Readonly<Record<string, Png16Scale>> = { '256': 'metres-x256', mm: 'millimetres' };

/** What to do when an output name is taken: `overwrite` replaces only files an earlier export wrote. */
export const CONFLICT_CHOICES = ['overwrite', 'suffix', 'fail'] as const;
export type ConflictChoice = (typeof CONFLICT_CHOICES)[number];

/** The export-related options of `zoe depth`, as commander parsed them (strings where typed). */
export interface CliExportArguments {
  format: string;
  resolution: 'photo' | 'model';
  colormap: string;
  png16Scale: string;
  subsample?: string;
  onConflict: ConflictChoice;
}

/** Parses `--format png16[,…]`: known names, each once, in the order given. */
export function parseFormats(value: string): CliFormat[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) throw new CliUsageError('--format needs at least one format.');
  const formats: CliFormat[] = [];
  for (const name of names) {
    const format = CLI_FORMATS.find((known) => known === name);
    if (format === undefined) throw new CliUsageError(`zoe depth cannot write “${name}”; formats: ${CLI_FORMATS.join(', ')}.`);
    if (!formats.includes(format)) formats.push(format);
  }
  return formats;
}

function parseColormap(value: string): ColormapName {
  const colormap = COLORMAP_NAMES.find((known) => known === value);
  if (colormap === undefined) throw new CliUsageError(`--colormap “${value}” is not one of ${COLORMAP_NAMES.join(', ')}.`);
  return colormap;
}

function parsePng16Scale(value: string): Png16Scale {
  const scale = PNG16_SCALE_ARGUMENTS[value];
  if (scale === undefined) throw new CliUsageError(`--png16-scale must be 256 (metres × 256, ZoeDepth's) or mm (millimetres), not “${value}”.`);
  return scale;
}

/** `--subsample N`: keep every N-th depth sample along x and y in the point cloud and the mesh. */
function parseSubsample(value: string): number {
  const step = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(step) || step < 1 || step > 64) {
    throw new CliUsageError(`--subsample must be a whole number from 1 to 64, not “${value}”.`);
  }
  return step;
}

/** The formats and export settings a `zoe depth` command line asks for; usage errors thrown before any photo is read. */
export function exportSettingsFromArguments(args: CliExportArguments): { formats: CliFormat[]; options: z.input<typeof exportOptionsSchema> } {
  const formats = parseFormats(args.format);
  const step = args.subsample === undefined ? undefined : parseSubsample(args.subsample);
  return {
    formats,
    options: {
      resolution: args.resolution,
      png16Scale: parsePng16Scale(args.png16Scale),
      colour: { colormap: parseColormap(args.colormap), nearAtHighEnd: true },
      onConflict: args.onConflict,
      ...(step === undefined ? {} : { plyStep: step, meshStep: step })
    }
  };
}

/** What the command line knows about a run that the export side-car does not say by itself. */
export interface CliRunDetails {
  manifest: ModelManifest;
  /** The model file used (a catalog id resolves to a file in the models folder). */
  modelPath: string;
  /** The depth came from the depth cache instead of a new run of the model. */
  fromCache: boolean;
}

const sidecarModelSchema = z.looseObject({ model: z.looseObject({ id: z.string() }) });

/**
 * Adds the model's title, file and domain and whether the depth came from the cache to an export's
 * side-car (rewritten atomically), so a folder of depth maps says which model file made them.
 */
export async function addRunDetails(sidecarPath: string, details: CliRunDetails): Promise<void> {
  const json: unknown = JSON.parse(await readFile(sidecarPath, 'utf8'));
  const sidecar = sidecarSchema.and(sidecarModelSchema).parse(json);
  const { manifest } = details;
  await writeJsonAtomic(sidecarPath, {
    ...sidecar,
    model: {
      ...sidecar.model,
      title: manifest.title,
      ...(manifest.architecture === undefined ? {} : { architecture: manifest.architecture }),
      domain: manifest.domain,
      file: details.modelPath
    },
    fromCache: details.fromCache
  });
}
