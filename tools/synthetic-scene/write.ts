/**
 * Writes a rendered scene as a camera would: a JPEG whose EXIF carries the focal length (from the
 * chosen source) and an orientation tag with the pixels stored turned accordingly, plus the exact
 * upright depth as a float32 `.npy` and the truth as JSON. Files are written atomically.
 */
import path from 'node:path';
import sharp from 'sharp';
import { writeNpy } from '../../src/main/export/raster';
import { writeFileAtomic } from '../../src/main/fs/atomic';
import type { DepthMap } from '../../src/shared/depth';
import { storedToUpright, swapsAxes, type ExifOrientation } from '../../src/shared/measure/orientation';
import type { RenderedScene } from './render';
import type { Scene, SceneCamera } from './scene';

/** Which EXIF fields carry the focal length. */
export type ExifFocalSource =
  /** FocalLength with FocalPlaneX/YResolution in the given unit (2 inch, 3 cm, 4 mm, 5 µm); `sensorWidthMm` along the stored x. */
  | { kind: 'focal-plane'; unit: 2 | 3 | 4 | 5; sensorWidthMm: number }
  /** FocalLengthIn35mmFilm only (a whole number of millimetres: the camera must have one). */
  | { kind: 'equivalent-35mm' }
  /** No focal length at all. */
  | { kind: 'none' };

/** Where and how to write a synthetic photo. */
export interface SyntheticPhotoOptions {
  folder: string;
  /** File name without extension. */
  name: string;
  orientation: ExifOrientation;
  focal: ExifFocalSource;
}

/** The files written for one synthetic photo. */
export interface WrittenSyntheticPhoto {
  photoPath: string;
  depthPath: string;
  truthPath: string;
  storedWidth: number;
  storedHeight: number;
  /** The EXIF tags written, as strings (rationals as "numerator/denominator"). */
  exif: Record<string, string>;
}

const MILLIMETRES_PER_UNIT = { 2: 25.4, 3: 10, 4: 1, 5: 0.001 } as const;

/** An EXIF unsigned rational as close to `value` as 32 bits allow, with a power-of-ten denominator. */
export function exifRational(value: number): string {
  if (!(value > 0) || value >= 2 ** 32) throw new Error(`${value} cannot be an EXIF rational`);
  let denominator = 1;
  while (denominator < 1e9 && value * denominator * 10 < 2 ** 32 - 1) denominator *= 10;
  return `${Math.round(value * denominator)}/${denominator}`;
}

function focalTags(camera: SceneCamera, storedWidth: number, storedHeight: number, swap: boolean, focal: ExifFocalSource): Record<string, string> {
  const fxStored = swap ? camera.fy : camera.fx;
  const fyStored = swap ? camera.fx : camera.fy;
  if (focal.kind === 'none') return {};
  if (focal.kind === 'equivalent-35mm') {
    if (camera.fx !== camera.fy) throw new Error('a 35 mm equivalent implies square pixels (fx = fy)');
    const equivalent = (camera.fx * Math.hypot(36, 24)) / Math.hypot(storedWidth, storedHeight);
    if (Math.abs(equivalent - Math.round(equivalent)) > 1e-6) {
      throw new Error(`FocalLengthIn35mmFilm is a whole number; this camera is a ${equivalent} mm equivalent`);
    }
    return { FocalLengthIn35mmFilm: String(Math.round(equivalent)) };
  }
  const pixelsPerMmX = storedWidth / focal.sensorWidthMm;
  const focalLengthMm = fxStored / pixelsPerMmX;
  const pixelsPerMmY = fyStored / focalLengthMm;
  const perUnit = MILLIMETRES_PER_UNIT[focal.unit];
  return {
    FocalLength: exifRational(focalLengthMm),
    FocalPlaneXResolution: exifRational(pixelsPerMmX * perUnit),
    FocalPlaneYResolution: exifRational(pixelsPerMmY * perUnit),
    FocalPlaneResolutionUnit: String(focal.unit)
  };
}

/** The stored pixels for an orientation: turned so that applying the orientation shows `rendered` upright. */
export function storedPixels(rendered: RenderedScene, orientation: ExifOrientation): { rgb: Uint8Array; width: number; height: number } {
  const swap = swapsAxes(orientation);
  const width = swap ? rendered.height : rendered.width;
  const height = swap ? rendered.width : rendered.height;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const upright = storedToUpright(orientation, x, y, width, height);
      const from = (upright.y * rendered.width + upright.x) * 3;
      rgb.set(rendered.rgb.subarray(from, from + 3), (y * width + x) * 3);
    }
  }
  return { rgb, width, height };
}

/** Writes `<name>.jpg`, `<name>.depth.npy` (upright, metres) and `<name>.truth.json` into `options.folder`. */
export async function writeSyntheticPhoto(scene: Scene, camera: SceneCamera, rendered: RenderedScene, options: SyntheticPhotoOptions): Promise<WrittenSyntheticPhoto> {
  const stored = storedPixels(rendered, options.orientation);
  const exif = focalTags(camera, stored.width, stored.height, swapsAxes(options.orientation), options.focal);
  const jpeg = await sharp(stored.rgb, { raw: { width: stored.width, height: stored.height, channels: 3 } })
    .withExif({ IFD0: { Make: 'Zoe Studio', Model: 'synthetic scene' }, IFD2: exif })
    .withMetadata({ orientation: options.orientation })
    .jpeg({ quality: 95, chromaSubsampling: '4:4:4' })
    .toBuffer();
  const photoPath = path.join(options.folder, `${options.name}.jpg`);
  const depthPath = path.join(options.folder, `${options.name}.depth.npy`);
  const truthPath = path.join(options.folder, `${options.name}.truth.json`);
  await writeFileAtomic(photoPath, jpeg);
  const depthMap: DepthMap = {
    width: rendered.width,
    height: rendered.height,
    metres: rendered.depth,
    photoWidth: rendered.width,
    photoHeight: rendered.height,
    modelId: 'synthetic-exact',
    provider: 'ray-caster',
    options: { flip: false, pad: false },
    range: { min: 1e-3, max: 1e4 },
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 0 }
  };
  await writeNpy(depthMap, depthPath);
  const truth = { scene, camera, orientation: options.orientation, focal: options.focal, exif, storedWidth: stored.width, storedHeight: stored.height };
  await writeFileAtomic(truthPath, `${JSON.stringify(truth, null, 2)}\n`);
  return { photoPath, depthPath, truthPath, storedWidth: stored.width, storedHeight: stored.height, exif };
}
