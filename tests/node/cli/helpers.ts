/** Shared pieces of the CLI tests: an in-memory io, a folder of mixed real photos, PNG read-back. */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { CliIo } from '../../../src/main/cli/io';
import { DepthEngine, type InstalledModel } from '../../../src/main/depth';
import { testModel } from './test-models';

export const PHOTOS = path.resolve(__dirname, '../../fixtures/photos');
export const RESOURCES = path.resolve(__dirname, '../../../resources');

/** An io that collects what `zoe` prints. */
export function memoryIo(cwd: string, env: Record<string, string> = {}, resourcesDir = RESOURCES): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    cwd,
    resourcesDir,
    out: () => out,
    err: () => err
  };
}

/** Good photos (one landscape, one stored sideways with EXIF orientation 6) and broken ones. */
export const GOOD_PHOTOS = ['jpg/gps/DSCN0010.jpg', 'jpg/orientation/portrait_6.jpg'];
export const BROKEN_PHOTOS = ['jpg/corrupted.jpg', 'heic/IMG_5195.HEIC'];

/** Copies the good and broken photos into `folder`. */
export async function mixedPhotoFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const photo of [...GOOD_PHOTOS, ...BROKEN_PHOTOS]) await copyFile(path.join(PHOTOS, photo), path.join(folder, path.basename(photo)));
}

/** A 16-bit greyscale PNG's samples, read back by sharp (independently of the writer). */
export async function readPng16(file: string): Promise<{ width: number; height: number; values: Uint16Array; bitDepth: string | undefined }> {
  const metadata = await sharp(file).metadata();
  const { data, info } = await sharp(file).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one channel, got ${info.channels}`);
  const values = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return { width: info.width, height: info.height, values, bitDepth: metadata.depth };
}

/** Width and height of a photo once EXIF orientation is applied. */
export async function uprightSize(file: string): Promise<{ width: number; height: number }> {
  const metadata = await sharp(file).metadata();
  const sideways = (metadata.orientation ?? 1) >= 5;
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  return sideways ? { width: height, height: width } : { width, height };
}

/** A temporary work folder with a mixed shoot in it, the `zoe-fixed` test model and a CPU depth engine to compare against. */
export interface ReferenceBench {
  workDir: string;
  /** `<workDir>/shoot`, filled by `mixedPhotoFolder`. */
  photoFolder: string;
  model: InstalledModel;
  engine: DepthEngine;
  /** Disposes of the engine and deletes the work folder. */
  close(): Promise<void>;
}

/** Makes a `ReferenceBench` in a fresh temporary folder named after `prefix`. */
export async function openReferenceBench(prefix: string): Promise<ReferenceBench> {
  const workDir = await mkdtemp(path.join(tmpdir(), prefix));
  const photoFolder = path.join(workDir, 'shoot');
  await mixedPhotoFolder(photoFolder);
  const model = await testModel('zoe-fixed');
  const engine = new DepthEngine({ optimisedCacheDir: path.join(workDir, 'reference-optimised'), device: 'cpu' });
  return {
    workDir,
    photoFolder,
    model,
    engine,
    close: async () => {
      await engine.dispose();
      await rm(workDir, { recursive: true, force: true });
    }
  };
}
