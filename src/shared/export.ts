/**
 * Depth export: the formats a photographer can choose and their options, shared by the export
 * dialog, the batch queue and the `zoe depth --format` command line.
 */
import { z } from 'zod';
import { colormapNameSchema } from './colormaps';

export const EXPORT_FORMATS = ['png16', 'tiff32', 'exr', 'pfm', 'npy', 'png8', 'jpg', 'ply', 'glb', 'gdepth'] as const;

/** A file format depth can be exported to; the JSON side-car is always written in addition. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const exportFormatSchema = z.enum(EXPORT_FORMATS);

/** What each format's file name ends with, after the photo's name without its extension. */
export const EXPORT_FILE_SUFFIXES: Readonly<Record<ExportFormat | 'json', string>> = {
  png16: '.depth.png',
  tiff32: '.depth.tiff',
  exr: '.depth.exr',
  pfm: '.depth.pfm',
  npy: '.depth.npy',
  png8: '.depth-color.png',
  jpg: '.depth-color.jpg',
  ply: '.depth.ply',
  glb: '.depth.glb',
  gdepth: '.depth.jpg',
  json: '.depth.json'
};

/**
 * How 16-bit PNG values relate to metres: `metres-x256` is ZoeDepth's and KITTI's `uint16(m * 256)`
 * (up to 255.99 m, 3.9 mm steps); `millimetres` is `uint16(m * 1000)` (up to 65.5 m, 1 mm steps).
 */
export const PNG16_SCALES = ['metres-x256', 'millimetres'] as const;
export type Png16Scale = (typeof PNG16_SCALES)[number];

/** Stored value per metre for each 16-bit PNG scale. */
export const PNG16_UNITS_PER_METRE: Readonly<Record<Png16Scale, number>> = { 'metres-x256': 256, millimetres: 1000 };

/** Options of the colourised exports (`png8`, `jpg`) and of the export dialog's preview. */
export const colourOptionsSchema = z.strictObject({
  colormap: colormapNameSchema.default('turbo'),
  /** Depth range in metres mapped onto the colour map; each defaults to the map's own nearest / farthest depth. */
  nearMetres: z.number().positive().optional(),
  farMetres: z.number().positive().optional(),
  /** Near depths at the high (bright) end of the map, as ZoeDepth's own `magma_r` pictures; false puts near at index 0. */
  nearAtHighEnd: z.boolean().default(true)
});
export type ColourOptions = z.infer<typeof colourOptionsSchema>;

/** Every export option, each with the default a photographer gets without choosing. */
export const exportOptionsSchema = z.strictObject({
  /** `photo`: the photo's own upright size (default); `model`: the model's output grid. */
  resolution: z.enum(['photo', 'model']).default('photo'),
  png16Scale: z.enum(PNG16_SCALES).default('metres-x256'),
  exrPixelType: z.enum(['half', 'float']).default('float'),
  exrCompression: z.enum(['none', 'zip']).default('zip'),
  colour: colourOptionsSchema.default({ colormap: 'turbo', nearAtHighEnd: true }),
  jpegQuality: z.number().int().min(1).max(100).default(92),
  /** Keep every n-th depth sample along x and y in the point cloud. */
  plyStep: z.number().int().min(1).max(64).default(1),
  /** Mesh grid step in depth samples; without it the step keeps the mesh under `meshMaxVertices`. */
  meshStep: z.number().int().min(1).max(64).optional(),
  meshMaxVertices: z.number().int().min(4).max(16_000_000).default(1_000_000),
  /**
   * A mesh triangle is cut when its depth changes faster across it than on a surface tilted more than
   * this many degrees away from facing the camera: such triangles are the stretched skins between a
   * foreground edge and the background behind it.
   */
  meshCutAngleDegrees: z.number().min(45).max(89.9).default(85),
  /** Largest side of the photo texture embedded in the mesh, in pixels. */
  meshTextureMaxSide: z.number().int().min(64).max(16384).default(4096),
  /** How GDepth stores depth in its 8-bit PNG: inverse (finer near the camera) or linear in metres. */
  gdepthFormat: z.enum(['RangeInverse', 'RangeLinear']).default('RangeInverse'),
  /** On a name conflict with an earlier export: replace it, add a number to the new names, or stop. */
  onConflict: z.enum(['suffix', 'overwrite', 'fail']).default('suffix')
});
export type ExportOptions = z.infer<typeof exportOptionsSchema>;

/** One file an export wrote. */
export interface ExportedFile {
  format: ExportFormat | 'json';
  path: string;
  bytes: number;
}
