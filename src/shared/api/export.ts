/**
 * The export dialog's part of the contract: choose an output folder, see what a batch would write
 * (names, conflicts, sizes), start it, follow it, cancel it, and preview the colourised depth.
 */
import { z } from 'zod';
import { colormapNameSchema } from '../colormaps';
import type { ZoeErrorValue } from '../errors';
import { exportFormatSchema, exportOptionsSchema, type ExportFormat } from '../export';

const photoId = z.string().min(1).max(64);
const batchId = z.string().min(1).max(64);

/** Tokens a naming template may use. */
export const NAMING_TOKENS = ['name', 'model', 'date'] as const;

/** The default template: `IMG_0042.depth.png`, `IMG_0042.depth-color.png`, … */
export const DEFAULT_NAMING_TEMPLATE = '{name}.depth';

/**
 * A naming template: the start of every output file's name, to which each format adds its ending
 * (`.png`, `-color.png`, `.json`…). `{name}` is the photo's name without extension (required, so
 * photos never share names), `{model}` the model id, `{date}` the export's date (YYYY-MM-DD). No
 * folder separators, no characters that some file systems refuse.
 */
export const namingTemplateSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((template) => template.includes('{name}'), 'The name pattern must contain {name}.')
  .refine((template) => !/[/\\:*?"<>|]/.test(template) && ![...template].some((character) => character.charCodeAt(0) < 32), 'The name pattern may not contain / \\ : * ? " < > | or control characters.')
  .refine((template) => [...template.matchAll(/\{([^}]*)\}/g)].every((match) => (NAMING_TOKENS as readonly string[]).includes(match[1] ?? '')), 'The name pattern may use only {name}, {model} and {date}.')
  .refine((template) => !/[{}]/.test(template.replace(/\{(name|model|date)\}/g, '')), 'The name pattern has an unmatched brace.')
  .refine((template) => template.trim() === template && !template.startsWith('.'), 'The name pattern may not start with a dot or a space, nor end with a space.');

/**
 * What to do when an output name is taken: `suffix` adds ` (2)`, ` (3)`… to the photo's names;
 * `overwrite` replaces files an earlier Zoe Studio export wrote (any other file still gets a
 * suffix, and an original photo is never written over); `skip` leaves that photo out.
 */
export const conflictPolicySchema = z.enum(['suffix', 'overwrite', 'skip']);
export type ConflictPolicy = z.infer<typeof conflictPolicySchema>;

/** A batch: which photos, which formats, where, named how. */
export const exportBatchRequest = z.strictObject({
  /** A selection, or every photo of the open folder. */
  photoIds: z.array(photoId).min(1).max(100_000),
  formats: z.array(exportFormatSchema).min(1).max(16),
  /** From `export.chooseFolder`; the renderer never sends paths. */
  outputFolderId: z.string().min(1).max(64),
  namingTemplate: namingTemplateSchema.default(DEFAULT_NAMING_TEMPLATE),
  onConflict: conflictPolicySchema.default('suffix'),
  /**
   * Multiply each photo's depth by its calibration (a reference of known length set while
   * measuring) before writing, as measurements do; photos without one are written at the model's
   * scale. The side-car records the factor either way.
   */
  applyCalibration: z.boolean().default(true),
  /** Writer options (resolution, scale, colour map…); the conflict choice above replaces theirs. */
  options: exportOptionsSchema.omit({ onConflict: true }).default(exportOptionsSchema.omit({ onConflict: true }).parse({}))
});
export type ExportBatchRequest = z.input<typeof exportBatchRequest>;

export const exportCancelRequest = z.strictObject({ batchId });

/** A live preview of the colourised depth (model resolution, shrunk to fit `maxSide`). */
export const exportPreviewRequest = z.strictObject({
  photoId,
  colormap: colormapNameSchema.default('turbo'),
  nearMetres: z.number().positive().optional(),
  farMetres: z.number().positive().optional(),
  nearAtHighEnd: z.boolean().default(true),
  /** Preview (and range) the calibrated depth, as an export with `applyCalibration` writes it. */
  applyCalibration: z.boolean().default(true),
  maxSide: z.number().int().min(16).max(1024).default(320)
});

/** An output folder the photographer chose. */
export interface OutputFolder {
  outputFolderId: string;
  /** For display only. */
  displayPath: string;
  name: string;
}

/** Why a name is taken. */
export type ConflictReason = 'exists' | 'earlier-export' | 'original-photo' | 'same-name-in-batch';

/** One output name that is already taken. */
export interface ExportConflict {
  photoId: string;
  format: ExportFormat | 'json';
  fileName: string;
  reason: ConflictReason;
}

/** The files one photo would get, with the template applied (before any suffix). */
export interface PlannedPhoto {
  photoId: string;
  photoName: string;
  files: { format: ExportFormat | 'json'; fileName: string }[];
  /** Why this photo cannot be exported (unknown id, unreadable file); it fails alone. */
  problem?: ZoeErrorValue;
}

/** What `export.plan` returns: every file, the conflicts to ask about, and the expected size. */
export interface ExportPlan {
  outputFolder: OutputFolder;
  photos: PlannedPhoto[];
  conflicts: ExportConflict[];
  /** Expected bytes per format for the whole batch (approximate: the depth is not known yet). */
  estimatedBytes: Partial<Record<ExportFormat | 'json', number>>;
  estimatedTotalBytes: number;
}

/** What `export.start` returns at once; follow it with `export.progress`. */
export interface ExportBatchStarted {
  batchId: string;
  photos: number;
}

export type ExportBatchState = 'running' | 'done' | 'cancelled' | 'failed';

/** One photo's outcome in a batch. */
export interface ExportPhotoOutcome {
  photoId: string;
  photoName: string;
  state: 'done' | 'failed' | 'skipped' | 'cancelled';
  /** Names of the files written (done). */
  files?: string[];
  bytes?: number;
  error?: ZoeErrorValue;
}

/** Event `export.progress`: a batch moved on, or ended. */
export interface ExportProgress {
  batchId: string;
  state: ExportBatchState;
  photosDone: number;
  photosFailed: number;
  photosTotal: number;
  /** 0–1 over the whole batch. */
  fraction: number;
  /** The photo being worked on, and whether its depth is being made or its files written. */
  current?: { photoId: string; photoName: string; stage: 'depth' | 'writing' };
  bytesWritten: number;
  /** Photos finished since the previous event. */
  finished: ExportPhotoOutcome[];
}

/** What `export.preview` returns: a small PNG and the range it spreads over its colour map. */
export interface ExportPreview {
  png: Uint8Array;
  width: number;
  height: number;
  nearMetres: number;
  farMetres: number;
  /** The photo's calibration factor applied to the previewed depth and its range; 1 when none is (none kept, or not asked for). */
  calibrationFactor: number;
  /** The photo's calibration factor whether applied or not; 1 when the photo has no calibration. */
  photoCalibrationFactor: number;
}
