/**
 * The production depth-file readers against files written by the app's own writers (every
 * format), by hand-built headers as other tools write them (big-endian and Fortran-order .npy,
 * float64 and float16, colour PFM, big-endian PFM), and against files that are not depth maps.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDepthFile, sniffDepthFormat } from '../../../src/main/depth-files';
import { writeNpy, writePfm, writePng16, writeTiff32 } from '../../../src/main/export/raster';
import type { DepthMap } from '../../../src/shared/depth';

let folder: string;

const WIDTH = 7;
const HEIGHT = 5;
/** Depth varying along both axes (so a flipped or transposed read shows), with one missing value. */
const METRES = Float32Array.from({ length: WIDTH * HEIGHT }, (_, i) => (i === 12 ? NaN : 0.5 + (i % WIDTH) * 0.37 + Math.floor(i / WIDTH) * 1.13));

function depthMap(): DepthMap {
  return {
    width: WIDTH,
    height: HEIGHT,
    metres: METRES,
    photoWidth: WIDTH,
    photoHeight: HEIGHT,
    modelId: 'test',
    provider: 'cpu',
    options: { flip: false, pad: false },
    range: { min: 0.001, max: 80 },
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 0 }
  };
}

function expectSameDepth(actual: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(METRES.length);
  for (let i = 0; i < METRES.length; i++) {
    const expected = METRES[i] ?? NaN;
    if (Number.isNaN(expected)) expect(Number.isNaN(actual[i] ?? 0), `value ${i}`).toBe(true);
    else expect(Math.abs((actual[i] ?? NaN) - expected), `value ${i}`).toBeLessThanOrEqual(tolerance);
  }
}

/** A .npy file with the given header dictionary and data. */
function npyFile(dictionary: string, data: Buffer): Buffer {
  const headerLength = Math.ceil((10 + dictionary.length + 1) / 64) * 64 - 10;
  const preamble = Buffer.alloc(10 + headerLength, 0x20);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble.writeUInt8(1, 6);
  preamble.writeUInt16LE(headerLength, 8);
  preamble.write(dictionary, 10, 'latin1');
  preamble.write('\n', 10 + headerLength - 1, 'latin1');
  return Buffer.concat([preamble, data]);
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'zoe-depth-files-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('reading what Zoe Studio writes', () => {
  it('reads .npy, .pfm and float .tiff exactly, in row order, with missing depth kept missing', async () => {
    for (const [name, write] of [
      ['d.npy', writeNpy],
      ['d.pfm', writePfm],
      ['d.tiff', writeTiff32]
    ] as const) {
      const target = path.join(folder, name);
      await write(depthMap(), target);
      const raster = await readDepthFile(target);
      expect([raster.width, raster.height], name).toEqual([WIDTH, HEIGHT]);
      expectSameDepth(raster.metres, 0);
    }
  });

  it('reads 16-bit PNGs at the scale the file states, within half a step, 0 as missing', async () => {
    for (const [scale, valuesPerMetre] of [['metres-x256', 256], ['millimetres', 1000]] as const) {
      const target = path.join(folder, `d-${scale}.png`);
      await writePng16(depthMap(), target, { scale });
      // The stated scale wins over a wrong guess, and says so.
      const raster = await readDepthFile(target, { png16: { valuesPerMetre: valuesPerMetre === 256 ? 1000 : 256 } });
      expect(raster.format).toBe('png16');
      expectSameDepth(raster.metres, 0.5 / valuesPerMetre + 1e-6);
      expect(raster.notes.join(' ')).toContain('as the file states');
    }
  });

  it('takes a 16-bit PNG without a stated scale at 256 per metre, or at the scale asked for', async () => {
    const stored = Uint16Array.from([256, 512, 0, 1000, 2560, 65535]);
    const target = path.join(folder, 'plain.png');
    await sharp(stored, { raw: { width: 3, height: 2, channels: 1 } }).toColourspace('grey16').png().toFile(target);
    const byDefault = await readDepthFile(target);
    expect(Array.from(byDefault.metres)).toEqual([1, 2, NaN, 1000 / 256, 10, 65535 / 256]);
    expect(byDefault.notes.join(' ')).toContain('does not state');
    const millimetres = await readDepthFile(target, { png16: { valuesPerMetre: 1000 } });
    expect(millimetres.metres[3]).toBeCloseTo(1, 6);
  });
});

describe('reading what other tools write', () => {
  it('reads big-endian, Fortran-order, float64 and float16 .npy arrays', async () => {
    const bigEndian = Buffer.alloc(METRES.length * 4);
    METRES.forEach((value, i) => bigEndian.writeFloatBE(value, i * 4));
    const fortran = Buffer.alloc(METRES.length * 8);
    for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) fortran.writeDoubleLE(METRES[y * WIDTH + x] ?? NaN, (x * HEIGHT + y) * 8);
    const cases: [string, Buffer][] = [
      ['be.npy', npyFile(`{'descr': '>f4', 'fortran_order': False, 'shape': (${HEIGHT}, ${WIDTH}), }`, bigEndian)],
      ['fortran.npy', npyFile(`{'descr': '<f8', 'fortran_order': True, 'shape': (${HEIGHT}, ${WIDTH}), }`, fortran)],
      ['channel.npy', npyFile(`{'descr': '>f4', 'fortran_order': False, 'shape': (${HEIGHT}, ${WIDTH}, 1), }`, bigEndian)]
    ];
    for (const [name, bytes] of cases) {
      await writeFile(path.join(folder, name), bytes);
      const raster = await readDepthFile(path.join(folder, name));
      expect([raster.width, raster.height], name).toEqual([WIDTH, HEIGHT]);
      expectSameDepth(raster.metres, 1e-6);
    }
    // float16: 1.5 is 0x3e00, 2.0 is 0x4000, 0.5 is 0x3800, 65504 is 0x7bff.
    const halves = Buffer.alloc(8);
    [0x3e00, 0x4000, 0x3800, 0x7bff].forEach((bits, i) => halves.writeUInt16LE(bits, i * 2));
    await writeFile(path.join(folder, 'half.npy'), npyFile("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }", halves));
    expect(Array.from((await readDepthFile(path.join(folder, 'half.npy'))).metres)).toEqual([1.5, 2, 0.5, 65504]);
  });

  it('reads a big-endian colour PFM (first channel), rows bottom to top', async () => {
    const header = Buffer.from(`PF\n${WIDTH} ${HEIGHT}\n1.0\n`, 'latin1');
    const data = Buffer.alloc(METRES.length * 12);
    for (let row = 0; row < HEIGHT; row++) {
      const y = HEIGHT - 1 - row;
      for (let x = 0; x < WIDTH; x++) {
        const at = (row * WIDTH + x) * 12;
        data.writeFloatBE(METRES[y * WIDTH + x] ?? NaN, at);
        data.writeFloatBE(-1, at + 4);
        data.writeFloatBE(-2, at + 8);
      }
    }
    await writeFile(path.join(folder, 'colour.pfm'), Buffer.concat([header, data]));
    const raster = await readDepthFile(path.join(folder, 'colour.pfm'));
    expectSameDepth(raster.metres, 0);
    expect(raster.notes.join(' ')).toContain('first channel');
  });

  it('tells the format from the first bytes, not the name', async () => {
    await writeNpy(depthMap(), path.join(folder, 'misnamed.png'));
    expect((await readDepthFile(path.join(folder, 'misnamed.png'))).format).toBe('npy');
    expect(sniffDepthFormat(Buffer.from('hello'))).toBeNull();
  });
});

describe('files that are not depth maps', () => {
  it('refuses them with the reason, as UNSUPPORTED_IMAGE or NOT_FOUND', async () => {
    const eight = path.join(folder, 'eight.png');
    await sharp(Buffer.alloc(12, 100), { raw: { width: 4, height: 3, channels: 1 } }).png().toFile(eight);
    const integerTiff = path.join(folder, 'integer.tiff');
    await sharp(Buffer.alloc(12, 100), { raw: { width: 4, height: 3, channels: 1 } }).tiff().toFile(integerTiff);
    await writeFile(path.join(folder, 'ints.npy'), npyFile("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", Buffer.alloc(16)));
    await writeFile(path.join(folder, 'short.npy'), npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (20, 20), }", Buffer.alloc(16)));
    await writeFile(path.join(folder, 'cube.npy'), npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }", Buffer.alloc(32)));
    await writeFile(path.join(folder, 'text.pfm'), 'Pf\nabc');
    await writeFile(path.join(folder, 'notes.txt'), 'depth: 2 m');
    const cases: [string, RegExp][] = [
      ['eight.png', /8-bit PNG/],
      ['integer.tiff', /integers/],
      ['ints.npy', /type <i4/],
      ['short.npy', /ends before/],
      ['cube.npy', /3-D array/],
      ['text.pfm', /header is cut short|not a usable grid/],
      ['notes.txt', /not a \.npy, \.pfm/]
    ];
    for (const [name, reason] of cases) {
      const error = await readDepthFile(path.join(folder, name)).then(
        () => null,
        (thrown: unknown) => thrown
      );
      expect(error, name).toMatchObject({ code: 'UNSUPPORTED_IMAGE' });
      expect(error instanceof Error ? error.message : String(error), name).toMatch(reason);
    }
    await expect(readDepthFile(path.join(folder, 'absent.npy'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
