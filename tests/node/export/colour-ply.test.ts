import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeColourised } from '../../../src/main/export/colour';
import { writePly } from '../../../src/main/export/ply';
import type { PhotoRaster } from '../../../src/main/export/unproject';
import type { Intrinsics } from '../../../src/shared/camera';
import { colormapLut } from '../../../src/shared/colormaps';
import { readPly } from '../../helpers/readers/ply';
import { slantedPlaneWithStep } from './synthetic';

const PHOTO = path.resolve(__dirname, '../../fixtures/photos/jpg/gps/DSCN0010.jpg');

let folder = '';
let photo: PhotoRaster;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-export-colour-'));
  const { data, info } = await sharp(PHOTO).rotate().resize(64, 48, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  photo = { width: info.width, height: info.height, channels: 3, data };
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// A model-resolution map of the 640×480 photo.
const depth = slantedPlaneWithStep(64, 48, { photoWidth: 640, photoHeight: 480 });
const intrinsics: Intrinsics = { fx: 520, fy: 515, cx: 319.5, cy: 241, width: 640, height: 480, source: 'user', warnings: [] };

describe('colourised depth', () => {
  it('PNG colours decode back to depth within one colour-map step', async () => {
    const target = path.join(folder, 'plane.depth-color.png');
    const report = await writeColourised(depth, target, {
      format: 'png8',
      colour: { colormap: 'magma', nearMetres: 1, farMetres: 10, nearAtHighEnd: true },
      jpegQuality: 92
    });
    expect(report.range).toEqual({ nearMetres: 1, farMetres: 10, nearAtHighEnd: true });
    const { data, info } = await sharp(target).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([64, 48, 3]);
    // magma's 256 entries are distinct (viridis repeats two after 8-bit rounding): find each pixel's entry and turn it back into metres.
    const lut = colormapLut('magma');
    const entryOf = new Map<number, number>();
    for (let i = 0; i < 256; i++) entryOf.set(((lut[i * 3] ?? 0) << 16) | ((lut[i * 3 + 1] ?? 0) << 8) | (lut[i * 3 + 2] ?? 0), i);
    for (let i = 0; i < depth.metres.length; i++) {
      const entry = entryOf.get(((data[i * 3] ?? 0) << 16) | ((data[i * 3 + 1] ?? 0) << 8) | (data[i * 3 + 2] ?? 0));
      expect(entry).toBeDefined();
      const metres = 1 + (1 - (entry ?? 0) / 255) * 9;
      // Depths outside [1, 10] m take the colour of the range's end.
      const clamped = Math.min(10, Math.max(1, depth.metres[i] ?? 0));
      expect(Math.abs(metres - clamped)).toBeLessThanOrEqual(9 / 255 / 2 + 1e-6);
    }
  });

  it('JPEG uses the map’s own extent by default, near at index 0 when asked', async () => {
    const target = path.join(folder, 'plane.depth-color.jpg');
    const report = await writeColourised(depth, target, {
      format: 'jpg',
      colour: { colormap: 'grey', nearAtHighEnd: false },
      jpegQuality: 95
    });
    const min = Math.min(...depth.metres);
    const max = Math.max(...depth.metres);
    expect(report.range.nearMetres).toBe(min);
    expect(report.range.farMetres).toBe(max);
    const { data, info } = await sharp(target).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    let total = 0;
    for (let i = 0; i < depth.metres.length; i++) total += Math.abs((data[i * 3] ?? 0) - (((depth.metres[i] ?? 0) - min) / (max - min)) * 255);
    expect(total / depth.metres.length).toBeLessThan(2);
  });

  it('refuses a range whose far end is nearer than its near end', async () => {
    await expect(
      writeColourised(depth, path.join(folder, 'bad.png'), { format: 'png8', colour: { colormap: 'magma', nearMetres: 5, farMetres: 2, nearAtHighEnd: true }, jpegQuality: 90 })
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('PLY point cloud', () => {
  it('holds every sample as a pinhole point in metres, coloured from the photo', async () => {
    const target = path.join(folder, 'plane.depth.ply');
    const holes = slantedPlaneWithStep(64, 48, { photoWidth: 640, photoHeight: 480 });
    holes.metres[5] = Number.NaN;
    holes.metres[70] = 0;
    const report = await writePly(holes, target, { intrinsics, photo, step: 1 });
    const ply = readPly(await readFile(target));
    expect(ply.format).toBe('binary_little_endian');
    const vertex = ply.elements.get('vertex');
    const [xs, ys, zs, reds, greens, blues] = ['x', 'y', 'z', 'red', 'green', 'blue'].map((name) => vertex?.get(name) ?? []);
    expect(zs?.length).toBe(64 * 48 - 2);
    expect(report.points).toBe(64 * 48 - 2);
    let point = 0;
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 64; x++) {
        const i = y * 64 + x;
        if (i === 5 || i === 70) continue;
        const z = holes.metres[i] ?? 0;
        // Grid sample (x, y) sits at photo pixel ((x + 0.5) · 10 − 0.5, (y + 0.5) · 10 − 0.5).
        const u = (x + 0.5) * 10 - 0.5;
        const v = (y + 0.5) * 10 - 0.5;
        expect(zs?.[point]).toBeCloseTo(z, 6);
        expect(xs?.[point]).toBeCloseTo(((u - 319.5) * z) / 520, 5);
        expect(ys?.[point]).toBeCloseTo(((v - 241) * z) / 515, 5);
        expect([reds?.[point], greens?.[point], blues?.[point]]).toEqual([photo.data[i * 3], photo.data[i * 3 + 1], photo.data[i * 3 + 2]]);
        point++;
      }
    }
    expect(ply.comments.join('\n')).toMatch(/x right, y down, z forward/);
  });

  it('subsamples with a step', async () => {
    const target = path.join(folder, 'plane-step.depth.ply');
    await writePly(depth, target, { intrinsics, photo, step: 4 });
    const zs = readPly(await readFile(target)).elements.get('vertex')?.get('z') ?? [];
    expect(zs.length).toBe(16 * 12);
    expect(zs[1]).toBeCloseTo(depth.metres[4] ?? 0, 6);
    expect(zs[16]).toBeCloseTo(depth.metres[4 * 64] ?? 0, 6);
  });

  it('refuses intrinsics of another photo shape and pixels that do not match the grid', async () => {
    const portrait = { ...intrinsics, width: 480, height: 640 };
    await expect(writePly(depth, path.join(folder, 'x.ply'), { intrinsics: portrait, photo, step: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const small = { ...photo, width: 32 };
    await expect(writePly(depth, path.join(folder, 'y.ply'), { intrinsics, photo: small, step: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
