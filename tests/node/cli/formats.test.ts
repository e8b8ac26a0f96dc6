/**
 * `zoe depth --format …` in-process: every export format for a mixed folder of real photos, on a
 * real ONNX session, read back with independent readers and compared with the depth engine's own
 * depth; the resolution, scale, colour map and subsampling options; name conflicts.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import type { DepthEngine, InstalledModel } from '../../../src/main/depth';
import { colormapLut } from '../../../src/shared/colormaps';
import type { DepthMap } from '../../../src/shared/depth';
import { readSingleChannelExr } from '../../helpers/readers/exr';
import { readNpy } from '../../helpers/readers/npy';
import { readPfm } from '../../helpers/readers/pfm';
import { readPly } from '../../helpers/readers/ply';
import { BROKEN_PHOTOS, GOOD_PHOTOS, memoryIo, openReferenceBench, readPng16, type ReferenceBench } from './helpers';

const ALL_FORMATS = 'png16,tiff32,exr,pfm,npy,png8,ply,glb,gdepth';
const SUFFIXES = ['.depth.png', '.depth.tiff', '.depth.exr', '.depth.pfm', '.depth.npy', '.depth-color.png', '.depth.ply', '.depth.glb', '.depth.jpg', '.depth.json'];

let bench: ReferenceBench;
let workDir: string;
let photoFolder: string;
let model: InstalledModel;
let engine: DepthEngine;

beforeAll(async () => {
  bench = await openReferenceBench('zoe-cli-formats-');
  ({ workDir, photoFolder, model, engine } = bench);
});
afterAll(async () => {
  await bench?.close();
});

const stem = (photo: string): string => path.basename(photo, path.extname(photo));
const photoPath = (photo: string): string => path.join(photoFolder, path.basename(photo));

function largestDifference(values: ArrayLike<number>, reference: DepthMap, perMetre = 1): number {
  expect(values.length).toBe(reference.metres.length);
  let largest = 0;
  for (let index = 0; index < values.length; index += 1) {
    largest = Math.max(largest, Math.abs((values[index] ?? 0) / perMetre - (reference.metres[index] ?? 0)));
  }
  return largest;
}

describe('zoe depth --format (in-process)', () => {
  it('writes all nine formats and the side-car for each good photo, and reports each broken one alone', async () => {
    const out = path.join(workDir, 'out-all');
    const io = memoryIo(workDir);
    const code = await runCli(['depth', photoFolder, '--model', model.modelPath, '--out', out, '--format', ALL_FORMATS, '--data-dir', path.join(workDir, 'data')], io);
    expect(code, io.err()).toBe(1);
    expect((await readdir(out)).sort()).toEqual(GOOD_PHOTOS.flatMap((photo) => SUFFIXES.map((suffix) => `${stem(photo)}${suffix}`)).sort());
    for (const photo of BROKEN_PHOTOS) expect(io.err()).toContain(`${path.basename(photo)}: `);
    expect(io.out()).toContain('2 of 4 photos done, 2 failed.');

    for (const photo of GOOD_PHOTOS) {
      const file = (suffix: string): string => path.join(out, `${stem(photo)}${suffix}`);
      const reference = await engine.toPhotoResolution(await engine.estimate(photoPath(photo), model));
      const { width, height } = reference;

      const npy = readNpy(await readFile(file('.depth.npy')));
      expect(npy.shape).toEqual([height, width]);
      expect(largestDifference(npy.values, reference)).toBeLessThanOrEqual(1e-6);

      const pfm = readPfm(await readFile(file('.depth.pfm')));
      expect([pfm.width, pfm.height, pfm.channels]).toEqual([width, height, 1]);
      expect(largestDifference(pfm.values, reference)).toBeLessThanOrEqual(1e-6);

      const exr = readSingleChannelExr(await readFile(file('.depth.exr')), 'Z');
      expect(largestDifference(exr.values, reference)).toBeLessThanOrEqual(1e-6);

      const tiff = await sharp(file('.depth.tiff')).toColourspace('b-w').raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
      expect([tiff.info.width, tiff.info.height, tiff.info.channels]).toEqual([width, height, 1]);
      expect(largestDifference(new Float32Array(tiff.data.buffer, tiff.data.byteOffset, tiff.data.byteLength / 4), reference)).toBeLessThanOrEqual(1e-6);

      const png = await readPng16(file('.depth.png'));
      expect(largestDifference(png.values, reference, 256)).toBeLessThanOrEqual(0.5 / 256 + 1e-6);

      const vertices = readPly(await readFile(file('.depth.ply'))).elements.get('vertex');
      expect(vertices?.get('z')?.length).toBe(width * height);
      const glb = await validateBytes(new Uint8Array(await readFile(file('.depth.glb'))), { writeTimestamp: false });
      expect(glb.issues.numErrors).toBe(0);
      const colour = await sharp(file('.depth-color.png')).metadata();
      expect([colour.width, colour.height, colour.channels]).toEqual([width, height, 3]);
      const gdepth = await sharp(file('.depth.jpg')).metadata();
      expect([gdepth.format, gdepth.xmp === undefined]).toEqual(['jpeg', false]);

      const sidecar = JSON.parse(await readFile(file('.depth.json'), 'utf8')) as { files: { format: string; name: string }[] };
      expect(sidecar.files.map((entry) => entry.format)).toEqual(['png16', 'tiff32', 'exr', 'pfm', 'npy', 'png8', 'ply', 'glb', 'gdepth']);
    }
  });

  it('honours --resolution model, --png16-scale mm, --colormap and --subsample', async () => {
    const out = path.join(workDir, 'out-options');
    const photo = photoPath(GOOD_PHOTOS[0] ?? '');
    const io = memoryIo(workDir);
    const args = ['depth', photo, '--model', model.modelPath, '--out', out, '--format', 'png16,png8,ply', '--resolution', 'model'];
    const code = await runCli([...args, '--png16-scale', 'mm', '--colormap', 'magma', '--subsample', '4', '--data-dir', path.join(workDir, 'data')], io);
    expect(code, io.err()).toBe(0);
    const modelDepth = await engine.estimate(photo, model);
    expect(modelDepth.width).toBeLessThan(modelDepth.photoWidth);
    const file = (suffix: string): string => path.join(out, `${stem(photo)}${suffix}`);

    const png = await readPng16(file('.depth.png'));
    expect([png.width, png.height]).toEqual([modelDepth.width, modelDepth.height]);
    expect(largestDifference(png.values, modelDepth, 1000)).toBeLessThanOrEqual(0.5 / 1000 + 1e-6);

    // Magma with near at the bright end: the nearest sample is the map's last colour.
    const lut = colormapLut('magma');
    const colour = await sharp(file('.depth-color.png')).raw().toBuffer();
    let nearest = 0;
    modelDepth.metres.forEach((metres, index) => {
      if (metres < (modelDepth.metres[nearest] ?? Infinity)) nearest = index;
    });
    expect([...colour.subarray(nearest * 3, nearest * 3 + 3)]).toEqual([...lut.subarray(255 * 3, 256 * 3)]);

    const z = readPly(await readFile(file('.depth.ply'))).elements.get('vertex')?.get('z') ?? [];
    expect(z.length).toBe(Math.ceil(modelDepth.width / 4) * Math.ceil(modelDepth.height / 4));
    expect(z[1]).toBeCloseTo(modelDepth.metres[4] ?? 0, 5);
  });

  it('replaces its own earlier files on a second run and never writes over a file it did not make', async () => {
    const out = path.join(workDir, 'out-conflicts');
    const photo = photoPath(GOOD_PHOTOS[0] ?? '');
    const args = ['depth', photo, '--model', model.modelPath, '--out', out, '--format', 'png16,npy', '--data-dir', path.join(workDir, 'data')];
    expect(await runCli(args, memoryIo(workDir))).toBe(0);
    expect(await runCli(args, memoryIo(workDir))).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['.depth.json', '.depth.npy', '.depth.png'].map((suffix) => `${stem(photo)}${suffix}`));

    const foreign = path.join(workDir, 'out-foreign');
    await import('node:fs/promises').then((fs) => fs.mkdir(foreign));
    await writeFile(path.join(foreign, `${stem(photo)}.depth.npy`), 'my own file');
    expect(await runCli([...args.slice(0, 5), foreign, ...args.slice(6)], memoryIo(workDir))).toBe(0);
    expect(await readFile(path.join(foreign, `${stem(photo)}.depth.npy`), 'utf8')).toBe('my own file');
    expect(readNpy(await readFile(path.join(foreign, `${stem(photo)} (2).depth.npy`))).shape.length).toBe(2);

    const failing = memoryIo(workDir);
    expect(await runCli([...args.slice(0, 5), foreign, ...args.slice(6), '--on-conflict', 'fail'], failing)).toBe(1);
    expect(failing.err()).toContain('already in the export folder');
  });

  it('exits 2 on export options it does not know', async () => {
    const photo = photoPath(GOOD_PHOTOS[0] ?? '');
    const base = ['depth', photo, '--model', model.modelPath, '--out', path.join(workDir, 'never')];
    for (const extra of [['--png16-scale', '100'], ['--subsample', '0'], ['--subsample', '2.5'], ['--colormap', 'rainbow'], ['--resolution', 'huge'], ['--format', 'png16,obj']]) {
      const io = memoryIo(workDir);
      expect(await runCli([...base, ...extra], io), extra.join(' ')).toBe(2);
      expect(io.err().length).toBeGreaterThan(0);
    }
    await expect(readdir(path.join(workDir, 'never'))).rejects.toThrow();
  });
});
