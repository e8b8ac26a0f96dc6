import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExr } from '../../../src/main/export/exr';
import { toHalfBits } from '../../../src/main/export/half-float';
import { exrHeaderText, exrReadsWithReferenceLibrary, readSingleChannelExr } from '../../helpers/readers/exr';
import { slantedPlaneWithStep } from './synthetic';

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-export-exr-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// 53 rows: three ZIP blocks of 16 lines and a short last one.
const depth = slantedPlaneWithStep(71, 53, { near: 0.4, far: 78 });

/** Half precision keeps 11 significant bits: the step at `metres` is 2^(floor(log2 metres) − 10). */
function halfStep(metres: number): number {
  return 2 ** (Math.floor(Math.log2(metres)) - 10);
}

describe('OpenEXR depth', () => {
  for (const compression of ['none', 'zip'] as const) {
    it(`float, ${compression}: channel Z holds the metres exactly`, async () => {
      const target = path.join(folder, `float-${compression}.depth.exr`);
      await writeExr(depth, target, { pixelType: 'float', compression });
      const header = await exrHeaderText(target);
      expect(header).toMatch(/channels \(type chlist\):\s+Z, 32-bit floating-point/);
      expect(header).toMatch(compression === 'zip' ? /compression \(type compression\): zip, multi-scanline blocks/ : /compression \(type compression\): none/);
      expect(header).toMatch(/dataWindow \(type box2i\): \(0 0\) - \(70 52\)/);
      await exrReadsWithReferenceLibrary(target, path.join(folder, `float-${compression}-tiled.exr`));
      const decoded = readSingleChannelExr(await readFile(target), 'Z');
      expect([decoded.width, decoded.height]).toEqual([71, 53]);
      expect(Array.from(decoded.values)).toEqual(Array.from(depth.metres));
    });
  }

  it('half, zip: every sample within half a step of binary16', async () => {
    const target = path.join(folder, 'half.depth.exr');
    await writeExr(depth, target, { pixelType: 'half', compression: 'zip' });
    expect(await exrHeaderText(target)).toMatch(/\bZ, 16-bit floating-point/);
    await exrReadsWithReferenceLibrary(target, path.join(folder, 'half-tiled.exr'));
    const decoded = readSingleChannelExr(await readFile(target), 'Z');
    for (let i = 0; i < depth.metres.length; i++) {
      const metres = depth.metres[i] ?? 0;
      expect(Math.abs((decoded.values[i] ?? 0) - metres)).toBeLessThanOrEqual(halfStep(metres) / 2);
    }
  });

  it('stores blocks that ZIP cannot shrink as they are, and readers still decode them', async () => {
    const noisy = slantedPlaneWithStep(97, 40);
    const bits = new Uint32Array(noisy.metres.buffer);
    let state = 0x9e3779b9;
    for (let i = 0; i < bits.length; i++) {
      // xorshift32: low bits as random as the high ones.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      bits[i] = ((bits[i] ?? 0) & 0xfff00000) | (state & 0xfffff); // random low mantissa bits
    }
    const target = path.join(folder, 'noisy.depth.exr');
    await writeExr(noisy, target, { pixelType: 'float', compression: 'zip' });
    const file = await readFile(target);
    // Raw float rows take 97 × 4 bytes each; a stored-as-is block is exactly 16 rows of them.
    expect(file.length).toBeGreaterThan(97 * 40 * 4);
    await exrReadsWithReferenceLibrary(target, path.join(folder, 'noisy-tiled.exr'));
    expect(Array.from(readSingleChannelExr(file, 'Z').values)).toEqual(Array.from(noisy.metres));
  });
});

describe('binary16 rounding (IEEE 754)', () => {
  it('rounds to nearest, ties to even, through subnormals and overflow', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff); // largest finite half
    expect(toHalfBits(65519)).toBe(0x7bff); // below the midpoint to 2^16
    expect(toHalfBits(65520)).toBe(0x7c00); // the midpoint rounds to even: infinity
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie between 1 and 1 + 2^-10: even is 1
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie between odd 0x3c01 and even 0x3c02
    expect(toHalfBits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toHalfBits(2 ** -25)).toBe(0x0000); // tie with zero: even
    expect(toHalfBits(3 * 2 ** -25)).toBe(0x0002); // tie between 1 and 2 subnormal steps: even
    expect(toHalfBits(2 ** -14)).toBe(0x0400); // smallest normal
    expect(toHalfBits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(toHalfBits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalfBits(Number.NaN) & 0x03ff).not.toBe(0);
  });
});
