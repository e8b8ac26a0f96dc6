import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExr } from '../../../src/main/export/exr';
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
});
