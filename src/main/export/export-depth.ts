/**
 * The export entry point the app's export dialog, the batch queue and `zoe depth --format` share:
 * one photo's depth to any set of formats plus the JSON side-car, every file written atomically
 * beside (or in a chosen folder away from) the photo, which is only ever read.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Intrinsics } from '../../shared/camera';
import { depthExtent } from '../../shared/colormaps';
import type { DepthMap } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';
import { exportFormatSchema, exportOptionsSchema, PNG16_UNITS_PER_METRE, type ExportFormat, type ExportOptions } from '../../shared/export';
import { writeJsonAtomic } from '../fs/atomic';
import { writeColourised } from './colour';
import { writeExr } from './exr';
import { writeGDepth } from './gdepth';
import { writeGlb } from './glb';
import { exportedFile } from './grid';
import { chooseTargets, targetPath, type ExportTargets } from './names';
import { uprightJpeg, uprightRaster } from './photo-pixels';
import { writePly } from './ply';
import { writeNpy, writePfm, writePng16, writeTiff32 } from './raster';
import { SIDECAR_KIND, type SidecarContent, type SidecarFile } from './sidecar';

/** The photo whose depth is exported. */
export interface ExportPhoto {
  /** The original file: read for colours and textures, never written. */
  path: string;
  /** Camera intrinsics of the upright photo (from its EXIF or the user). */
  intrinsics: Intrinsics;
}

/** Where the files go and how to reach full resolution. */
export interface ExportDestination {
  /** Output folder; the photo's own folder when absent. */
  folder?: string;
  /** The depth engine's upsampling to the photo's own size (`resolution: 'photo'`). */
  toPhotoResolution?: (depth: DepthMap) => Promise<DepthMap>;
}

/** What one export wrote. */
export interface ExportResult {
  /** The side-car first, then one entry per format in the order asked. */
  files: { format: ExportFormat | 'json'; path: string; bytes: number }[];
  baseName: string;
  depthWidth: number;
  depthHeight: number;
}

export const PLY_AXES = 'OpenCV camera axes: x right, y down, z forward (optical axis), metres';
export const GLB_AXES = 'glTF axes: x right, y up, camera at the origin looking down -z, metres';

async function depthAtResolution(depth: DepthMap, options: ExportOptions, destination: ExportDestination): Promise<DepthMap> {
  const atPhotoSize = depth.width === depth.photoWidth && depth.height === depth.photoHeight;
  if (options.resolution === 'model' || atPhotoSize) return depth;
  if (destination.toPhotoResolution === undefined) {
    throw new ZoeError('INTERNAL', 'Full-resolution export is not available here.', { detail: 'no toPhotoResolution was given' });
  }
  const full = await destination.toPhotoResolution(depth);
  if (full.width !== depth.photoWidth || full.height !== depth.photoHeight) {
    throw new ZoeError('INTERNAL', 'The depth map could not be brought to the photo’s size.', {
      detail: `got ${full.width}×${full.height}, photo ${depth.photoWidth}×${depth.photoHeight}`
    });
  }
  return full;
}

type FormatDetails = Record<string, unknown>;

/** Writes one format and says how to read its numbers. */
async function writeFormat(format: ExportFormat, depth: DepthMap, photo: ExportPhoto, target: string, options: ExportOptions): Promise<FormatDetails> {
  switch (format) {
    case 'png16': {
      const report = await writePng16(depth, target, { scale: options.png16Scale });
      return { scale: options.png16Scale, valuesPerMetre: PNG16_UNITS_PER_METRE[options.png16Scale], noDepthValue: 0, clippedSamples: report.clippedSamples };
    }
    case 'tiff32':
      await writeTiff32(depth, target);
      return { units: 'm', sampleFormat: 'float32' };
    case 'exr':
      await writeExr(depth, target, { pixelType: options.exrPixelType, compression: options.exrCompression });
      return { units: 'm', channel: 'Z', pixelType: options.exrPixelType, compression: options.exrCompression };
    case 'pfm':
      await writePfm(depth, target);
      return { units: 'm', byteOrder: 'little-endian', rowOrder: 'bottom-to-top' };
    case 'npy':
      await writeNpy(depth, target);
      return { units: 'm', dtype: '<f4', shape: [depth.height, depth.width] };
    case 'png8':
    case 'jpg': {
      const report = await writeColourised(depth, target, { format, colour: options.colour, jpegQuality: options.jpegQuality });
      return { colormap: options.colour.colormap, ...report.range };
    }
    case 'ply': {
      const raster = await uprightRaster(photo.path, depth.width, depth.height);
      const report = await writePly(depth, target, { intrinsics: photo.intrinsics, photo: raster, step: options.plyStep });
      return { axes: PLY_AXES, points: report.points, step: options.plyStep };
    }
    case 'glb': {
      const textureJpeg = await uprightJpeg(photo.path, { quality: 90, maxSide: options.meshTextureMaxSide, keepExif: false });
      const report = await writeGlb(depth, target, {
        intrinsics: photo.intrinsics,
        textureJpeg,
        ...(options.meshStep === undefined ? {} : { step: options.meshStep }),
        maxVertices: options.meshMaxVertices,
        cutAngleDegrees: options.meshCutAngleDegrees
      });
      return { axes: GLB_AXES, vertices: report.vertices, triangles: report.triangles, cutTriangles: report.cutTriangles, step: report.step };
    }
    case 'gdepth': {
      const photoJpeg = await uprightJpeg(photo.path, { quality: options.jpegQuality, keepExif: true });
      const report = await writeGDepth(depth, target, { photoJpeg, format: options.gdepthFormat });
      return { encoding: report.encoding, nearMetres: report.nearMetres, farMetres: report.farMetres, units: 'm', extendedXmp: report.extendedXmp };
    }
  }
}

function sidecarContent(
  depth: DepthMap,
  photo: ExportPhoto,
  options: ExportOptions,
  files: SidecarFile[],
  exportMs: number
): SidecarContent {
  const extent = depthExtent(depth.metres);
  return {
    kind: SIDECAR_KIND,
    version: 1,
    createdAt: new Date().toISOString(),
    photo: { name: path.basename(photo.path), width: depth.photoWidth, height: depth.photoHeight },
    depth: {
      width: depth.width,
      height: depth.height,
      resolution: depth.width === depth.photoWidth && depth.height === depth.photoHeight ? 'photo' : 'model',
      units: 'm',
      extent: extent ?? null,
      modelRange: depth.range
    },
    model: {
      id: depth.modelId,
      provider: depth.provider,
      ...(depth.providerFallbackReason === undefined ? {} : { providerFallbackReason: depth.providerFallbackReason }),
      options: depth.options
    },
    intrinsics: photo.intrinsics,
    axes: { ply: PLY_AXES, glb: GLB_AXES },
    files,
    options,
    timings: { depth: depth.timings, exportMs }
  };
}

/**
 * Exports `depth` of `photo` to `formats` (each once, in the order given) and the side-car.
 * `options` are validated here, with defaults for what is left out. When any format fails, the
 * files this call wrote are removed again and the error is thrown.
 */
export async function exportDepth(
  depth: DepthMap,
  photo: ExportPhoto,
  formats: readonly ExportFormat[],
  options: z.input<typeof exportOptionsSchema> = {},
  destination: ExportDestination = {}
): Promise<ExportResult> {
  const started = performance.now();
  const parsedOptions = exportOptionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    throw new ZoeError('INVALID_ARGUMENT', 'Some export settings are not valid.', { detail: z.prettifyError(parsedOptions.error) });
  }
  const parsedFormats = z.array(exportFormatSchema).min(1).safeParse(formats);
  if (!parsedFormats.success) {
    throw new ZoeError('INVALID_ARGUMENT', 'Choose at least one known export format.', { detail: z.prettifyError(parsedFormats.error) });
  }
  const settings = parsedOptions.data;
  const wanted = [...new Set(parsedFormats.data)];
  const exported = await depthAtResolution(depth, settings, destination);
  const targets: ExportTargets = await chooseTargets(photo.path, destination.folder ?? path.dirname(photo.path), wanted, settings.onConflict);

  const files: SidecarFile[] = [];
  const result: ExportResult = { files: [], baseName: targets.baseName, depthWidth: exported.width, depthHeight: exported.height };
  const sidecarPath = targetPath(targets, 'json');
  try {
    for (const format of wanted) {
      const target = targetPath(targets, format);
      const details = await writeFormat(format, exported, photo, target, settings);
      const written = await exportedFile(format, target);
      files.push({ format, name: path.basename(target), bytes: written.bytes, details });
      result.files.push(written);
    }
    await writeJsonAtomic(sidecarPath, sidecarContent(exported, photo, settings, files, performance.now() - started));
  } catch (error) {
    // All or nothing: a set without its side-car is not left behind (every name removed here is one
    // this export chose as free or as its own).
    await Promise.all(result.files.map((file) => rm(file.path, { force: true })));
    throw error;
  }
  result.files.unshift(await exportedFile('json', sidecarPath));
  return result;
}
