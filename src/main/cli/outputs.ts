/**
 * What `zoe depth` writes for each photo: `<name>.depth.png` (16-bit, ZoeDepth's metres × 256)
 * and `<name>.depth.json` describing it. Both atomically; the photo is only read.
 */
import path from 'node:path';
import type { DepthMap } from '../../shared/depth';
import { EXPORT_FILE_SUFFIXES, PNG16_UNITS_PER_METRE } from '../../shared/export';
import type { ModelManifest } from '../../shared/manifest';
import type { PhotoIntrinsics } from '../measure/intrinsics';
import { writePng16 } from '../export/raster';
import { writeJsonAtomic } from '../fs/atomic';

/** The formats `zoe depth --format` writes today (the export issue adds more). */
export const CLI_FORMATS = ['png16'] as const;
export type CliFormat = (typeof CLI_FORMATS)[number];

/** The JSON side-car of one photo's depth. */
export interface DepthSidecar {
  photo: string;
  /** Upright photo size in pixels; the PNG has the same size. */
  width: number;
  height: number;
  model: { id: string; title: string; architecture?: string; domain: ModelManifest['domain']; file: string };
  provider: string;
  providerFallbackReason?: string;
  /** Pinhole intrinsics of the upright photo at full size, or "unknown" when the photo's EXIF gave none usable. */
  intrinsics: PhotoIntrinsics | 'unknown';
  units: 'metres';
  files: Partial<Record<CliFormat, string>>;
  png16?: { scale: number; encoding: string };
  depthRange: { min: number; max: number };
  /** The model's own output grid, before upsampling to the photo. */
  modelResolution: { width: number; height: number };
  options: { flip: boolean; pad: boolean };
  timings: DepthMap['timings'];
  /** True when the depth came from the depth cache instead of a new run. */
  fromCache: boolean;
}

/**
 * Chooses `<out>/<photo name without extension>` for a photo, adding `-2`, `-3`… when another
 * photo of this run already took the name (IMG_1.jpg and IMG_1.png, or two folders).
 */
export function outputStemFor(photoPath: string, outDir: string, taken: Set<string>): string {
  const stem = path.basename(photoPath, path.extname(photoPath));
  let candidate = stem;
  for (let counter = 2; taken.has(candidate.toLowerCase()); counter += 1) candidate = `${stem}-${counter}`;
  taken.add(candidate.toLowerCase());
  return path.join(outDir, candidate);
}

/** What the writer needs besides the depth. */
export interface DepthOutputRequest {
  photoPath: string;
  /** Depth at the photo's full upright resolution. */
  depth: DepthMap;
  modelResolution: { width: number; height: number };
  manifest: ModelManifest;
  modelPath: string;
  intrinsics: PhotoIntrinsics | 'unknown';
  formats: readonly CliFormat[];
  fromCache: boolean;
  /** `<out>/<stem>`, from {@link outputStemFor}. */
  outputStem: string;
}

/** Writes the chosen formats and the side-car; returns the side-car and the paths written. */
export async function writeDepthOutputs(request: DepthOutputRequest): Promise<{ sidecar: DepthSidecar; written: string[] }> {
  const { depth, manifest } = request;
  const written: string[] = [];
  const files: Partial<Record<CliFormat, string>> = {};
  let png16: DepthSidecar['png16'];
  for (const format of request.formats) {
    const target = `${request.outputStem}${EXPORT_FILE_SUFFIXES[format]}`;
    if (format === 'png16') {
      await writePng16(depth, target, { scale: 'metres-x256' });
      const scale = PNG16_UNITS_PER_METRE['metres-x256'];
      png16 = { scale, encoding: `value = uint16(metres × ${scale}), 0 = no depth; metres = value / ${scale}` };
    }
    files[format] = path.basename(target);
    written.push(target);
  }
  const sidecar: DepthSidecar = {
    photo: path.basename(request.photoPath),
    width: depth.width,
    height: depth.height,
    model: {
      id: manifest.id,
      title: manifest.title,
      ...(manifest.architecture === undefined ? {} : { architecture: manifest.architecture }),
      domain: manifest.domain,
      file: request.modelPath
    },
    provider: depth.provider,
    ...(depth.providerFallbackReason === undefined ? {} : { providerFallbackReason: depth.providerFallbackReason }),
    intrinsics: request.intrinsics,
    units: 'metres',
    files,
    ...(png16 === undefined ? {} : { png16 }),
    depthRange: depth.range,
    modelResolution: request.modelResolution,
    options: depth.options,
    timings: depth.timings,
    fromCache: request.fromCache
  };
  const sidecarPath = `${request.outputStem}${EXPORT_FILE_SUFFIXES.json}`;
  await writeJsonAtomic(sidecarPath, sidecar);
  written.push(sidecarPath);
  return { sidecar, written };
}
