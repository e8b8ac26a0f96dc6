import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPhoto } from '../../../src/main/thumbnails/make';
import { withExif } from './exif-fixture';

const ORIENTATION_DIR = path.resolve('tests/fixtures/photos/jpg/orientation');
const SIDE = 48;

/** Greyscale pixels of an image squeezed to SIDE×SIDE. */
async function signature(input: Buffer | string, upright: boolean): Promise<Uint8Array> {
  const image = upright ? sharp(input).rotate() : sharp(input);
  return image.resize(SIDE, SIDE, { fit: 'fill' }).greyscale().raw().toBuffer();
}

function meanAbsoluteDifference(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += Math.abs((a[index] as number) - (b[index] as number));
  return sum / a.length;
}

let workDir = '';
beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-orientation-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

const cases = ['landscape', 'portrait'].flatMap((shape) =>
  [1, 2, 3, 4, 5, 6, 7, 8].map((orientation) => ({ shape, orientation, file: `${shape}_${orientation}.jpg` }))
);

describe('thumbnails come out upright for every EXIF orientation', () => {
  it.each(cases)('$file, decoded and resized', async ({ file }) => {
    const original = path.join(ORIENTATION_DIR, file);
    const made = await renderPhoto({ absolutePath: original, kind: 'image' }, 320);
    expect(made.source).toBe('resized');
    const expected = await signature(original, true);
    const upright = meanAbsoluteDifference(await signature(made.jpeg, false), expected);
    expect(upright).toBeLessThan(6);
    // The photo is upright as shown, not as stored: portraits are taller than wide, landscapes wider.
    const { info } = await sharp(original).rotate().toBuffer({ resolveWithObject: true });
    expect(Math.sign(made.width - made.height)).toBe(Math.sign(info.width - info.height));
  });

  it.each(cases)('$file, from an embedded EXIF thumbnail', async ({ file, orientation }) => {
    const original = path.join(ORIENTATION_DIR, file);
    const bytes = await readFile(original);
    // The thumbnail is stored like the photo (not upright); the photo's orientation tag applies to both.
    const storedThumbnail = await sharp(bytes).resize(240, 240, { fit: 'inside' }).jpeg({ quality: 90 }).toBuffer();
    const withThumbnail = path.join(workDir, `thumb_${file}`);
    await writeFile(withThumbnail, withExif(bytes, { orientation, thumbnail: storedThumbnail }));

    const made = await renderPhoto({ absolutePath: withThumbnail, kind: 'image' }, 320);
    expect(made.source).toBe('embedded');
    expect(Math.max(made.width, made.height)).toBe(240);
    const expected = await signature(original, true);
    const difference = meanAbsoluteDifference(await signature(made.jpeg, false), expected);
    expect(difference).toBeLessThan(8);
    if (orientation !== 1) {
      // Had the orientation been ignored, the thumbnail would differ clearly from the upright photo.
      const ignored = meanAbsoluteDifference(await signature(storedThumbnail, false), expected);
      expect(ignored).toBeGreaterThan(difference + 10);
    }
  });
});
