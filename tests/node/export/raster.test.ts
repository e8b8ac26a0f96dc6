import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy, writePfm, writePng16, writeTiff32 } from '../../../src/main/export/raster';
import { exiftoolJson } from '../../helpers/readers/exiftool';
import { readNpy } from '../../helpers/readers/npy';
import { readPfm } from '../../helpers/readers/pfm';
import { slantedPlaneWithStep } from './synthetic';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-export-raster-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const depth = slantedPlaneWithStep(67, 41, { far: 70 });

function worstError(expected: Float32Array, actual: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs((expected[i] ?? 0) - (actual[i] ?? 0)));
  return worst;
}

async function readGrey16(file: string): Promise<Uint16Array> {
  const { data, info } = await sharp(file).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  expect([info.width, info.height, info.channels]).toEqual([depth.width, depth.height, 1]);
  return new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
}

describe('16-bit PNG', () => {
  it('stores metres × 256 within half a step, and says so in its text metadata', async () => {
    const target = path.join(folder, 'plane.depth.png');
    const report = await writePng16(depth, target, { scale: 'metres-x256' });
    expect(report.clippedSamples).toBe(0);
    const meta = await sharp(target).metadata();
    expect([meta.format, meta.depth, meta.channels]).toEqual(['png', 'ushort', 1]);
    const metres = Array.from(await readGrey16(target), (value) => value / 256);
    expect(worstError(depth.metres, metres)).toBeLessThanOrEqual(0.5 / 256 + 1e-6);
    const tags = await exiftoolJson(target, ['-PNG:all']);
    expect(tags['Depth-scale']).toBe(256);
    expect(tags['Depth-units']).toBe('m/256');
  });

  it('stores millimetres, clipping what 16 bits cannot hold and counting it', async () => {
    const target = path.join(folder, 'plane-mm.depth.png');
    const report = await writePng16(depth, target, { scale: 'millimetres' });
    const beyond = depth.metres.filter((metres) => metres * 1000 > 65535.5).length;
    expect(beyond).toBeGreaterThan(0);
    expect(report.clippedSamples).toBe(beyond);
    const stored = await readGrey16(target);
    const inRange = [...depth.metres.keys()].filter((i) => (depth.metres[i] ?? 0) * 1000 <= 65535);
    for (const i of inRange) expect(Math.abs((stored[i] ?? 0) / 1000 - (depth.metres[i] ?? 0))).toBeLessThanOrEqual(0.0005 + 1e-6);
    for (const i of depth.metres.keys()) if (!inRange.includes(i)) expect(stored[i]).toBe(65535);
    expect((await exiftoolJson(target, ['-PNG:all']))['Depth-scale']).toBe(1000);
  });

  it('writes 0 where depth is missing', async () => {
    const holes = slantedPlaneWithStep(8, 4);
    holes.metres[3] = Number.NaN;
    holes.metres[5] = 0;
    const target = path.join(folder, 'holes.depth.png');
    await writePng16(holes, target, { scale: 'metres-x256' });
    const { data } = await sharp(target).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const stored = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    expect([stored[3], stored[5]]).toEqual([0, 0]);
    expect(stored[4]).toBeGreaterThan(0);
  });
});

describe('float formats', () => {
  it('32-bit float TIFF reads back exactly through libvips/libtiff', async () => {
    const target = path.join(folder, 'plane.depth.tiff');
    await writeTiff32(depth, target);
    const { data, info } = await sharp(target).toColourspace('b-w').raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([depth.width, depth.height, 1]);
    const meta = await sharp(target).metadata();
    expect(meta.depth).toBe('float');
    expect(worstError(depth.metres, new Float32Array(data.buffer, data.byteOffset, data.byteLength / 4))).toBe(0);
    const tags = await exiftoolJson(target, ['-n', '-IFD0:all']);
    expect([tags.SampleFormat, tags.BitsPerSample, tags.ImageWidth, tags.ImageHeight]).toEqual([3, 32, 67, 41]);
  });

  it('PFM rows come back top row first, exactly', async () => {
    const target = path.join(folder, 'plane.depth.pfm');
    await writePfm(depth, target);
    const image = readPfm(await readFile(target));
    expect([image.width, image.height, image.channels, image.littleEndian]).toEqual([67, 41, 1, true]);
    expect(worstError(depth.metres, image.values)).toBe(0);
  });

  it('NumPy .npy is float32 (height, width), exactly', async () => {
    const target = path.join(folder, 'plane.depth.npy');
    await writeNpy(depth, target);
    const array = readNpy(await readFile(target));
    expect(array).toMatchObject({ dtype: '<f4', fortranOrder: false, shape: [41, 67] });
    expect(worstError(depth.metres, array.values)).toBe(0);
  });

  it('keeps headers readable whatever the model is called', async () => {
    const odd = { ...slantedPlaneWithStep(6, 4), modelId: 'zoé\nmodèle' };
    await writePng16(odd, path.join(folder, 'odd.depth.png'), { scale: 'metres-x256' });
    await writeTiff32(odd, path.join(folder, 'odd.depth.tiff'));
    expect((await exiftoolJson(path.join(folder, 'odd.depth.png'), ['-PNG:Description'])).Description).toMatch(/Model zo\?\?mod\?le\.$/);
    expect((await sharp(path.join(folder, 'odd.depth.tiff')).metadata()).width).toBe(6);
  });

  it('leaves no temporary files behind', async () => {
    const names = await readdir(folder);
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
