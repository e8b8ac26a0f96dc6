/**
 * The JSON side-car written with every export (`<name>.depth.json`): what made the depth, the
 * camera it was measured with, the units and scale of every file written, and the options used.
 * Its `files` list is also how a later export knows which files it may replace.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Intrinsics } from '../../shared/camera';
import type { DepthMap, DepthTimings } from '../../shared/depth';
import type { ExportedCalibration } from './calibration';
import { EXPORT_FORMATS, type ExportOptions } from '../../shared/export';

export const SIDECAR_KIND = 'zoe-studio-depth-export';

/** One file of an export as the side-car records it; `details` say how to read its numbers. */
export const sidecarFileSchema = z.object({
  format: z.enum([...EXPORT_FORMATS, 'json']),
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  details: z.record(z.string(), z.unknown())
});
export type SidecarFile = z.infer<typeof sidecarFileSchema>;

/** The parts of a side-car a later export reads back. */
export const sidecarSchema = z.looseObject({
  kind: z.literal(SIDECAR_KIND),
  version: z.literal(1),
  files: z.array(sidecarFileSchema)
});

/** Everything the side-car says about one export. */
export interface SidecarContent {
  kind: typeof SIDECAR_KIND;
  version: 1;
  createdAt: string;
  photo: { name: string; width: number; height: number };
  depth: {
    width: number;
    height: number;
    resolution: 'photo' | 'model';
    units: 'm';
    /** Nearest and farthest depth in the exported map. */
    extent: { min: number; max: number } | null;
    /** The model's valid range. */
    modelRange: { min: number; max: number };
  };
  model: { id: string; provider: string; providerFallbackReason?: string; options: DepthMap['options'] };
  intrinsics: Intrinsics;
  axes: { ply: string; glb: string };
  files: SidecarFile[];
  options: ExportOptions;
  timings: { depth: DepthTimings; exportMs: number };
  /** Added by a batch export: whether (and by what factor) the depths are the photo's calibrated ones. */
  calibration?: ExportedCalibration;
}

/** The file names an earlier export recorded in this side-car (itself included), or none when there is no readable one. */
export async function namesWrittenBefore(sidecarPath: string): Promise<Set<string>> {
  const text = await readFile(sidecarPath, 'utf8').catch(() => undefined);
  if (text === undefined) return new Set();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new Set();
  }
  const parsed = sidecarSchema.safeParse(json);
  return parsed.success ? new Set([...parsed.data.files.map((file) => file.name), path.basename(sidecarPath)]) : new Set();
}
