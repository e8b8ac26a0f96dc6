import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZoeError } from '../../../src/shared/errors';
import { findEmbeddedJpegs } from '../../../src/main/thumbnails/jpeg-markers';
import { renderPhoto } from '../../../src/main/thumbnails/make';
import { tiffHeaderWithOrientation, withExif } from './exif-fixture';

const PHOTOS = path.resolve('tests/fixtures/photos');

/** A picture whose left half is dark and top-right quarter bright: any rotation or mirror changes it. */
async function asymmetricPicture(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const value = x < width / 2 ? 30 : y < height / 2 ? 230 : 120;
      pixels.fill(value, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
}

/** Bytes that start like lossless-JPEG sensor data (SOF3), which browsers cannot decode. */
function losslessJpegLookalike(): Buffer {
  return Buffer.from([0xff, 0xd8, 0xff, 0xc3, 0x00, 0x0b, 0x0c, 0x0f, 0xa0, 0x0b, 0x40, 0x01, 0x01, 0x11, 0x00, 0x12, 0x34, 0xff, 0xd9]);
}

let workDir = '';
beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-raw-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('camera RAW files are shown through their embedded JPEG preview', () => {
  it('finds the decodable previews, largest first, and skips lossless sensor data', async () => {
    const small = await asymmetricPicture(160, 120);
    const large = await asymmetricPicture(1200, 800);
    const file = Buffer.concat([tiffHeaderWithOrientation(1), Buffer.alloc(300, 7), small, losslessJpegLookalike(), Buffer.alloc(999, 0xff), large, Buffer.alloc(64)]);
    const found = findEmbeddedJpegs(file);
    expect(found.map(({ width, height }) => [width, height])).toEqual([[1200, 800], [160, 120]]);
    const largest = found[0];
    expect(file.subarray(largest?.offset, (largest?.offset ?? 0) + (largest?.length ?? 0)).equals(large)).toBe(true);
  });

  it('turns the preview upright with the RAW file’s own orientation tag (6: rotate 90° clockwise)', async () => {
    const preview = await asymmetricPicture(1200, 800);
    const raw = path.join(workDir, 'IMG_0001.CR2');
    await writeFile(raw, Buffer.concat([tiffHeaderWithOrientation(6), Buffer.alloc(4096, 0x55), preview]));
    const made = await renderPhoto({ absolutePath: raw, kind: 'raw' }, 320);
    expect(made.source).toBe('embedded');
    expect([made.width, made.height]).toEqual([213, 320]);
    const expected = await sharp(preview).rotate(90).resize(16, 24, { fit: 'fill' }).greyscale().raw().toBuffer();
    const actual = await sharp(made.jpeg).resize(16, 24, { fit: 'fill' }).greyscale().raw().toBuffer();
    let difference = 0;
    for (let index = 0; index < expected.length; index += 1) difference += Math.abs((expected[index] as number) - (actual[index] as number));
    expect(difference / expected.length).toBeLessThan(10);
  });

  it('explains a RAW file without any preview', async () => {
    const raw = path.join(workDir, 'empty.NEF');
    await writeFile(raw, Buffer.concat([tiffHeaderWithOrientation(1), Buffer.alloc(10_000, 0x12)]));
    await expect(renderPhoto({ absolutePath: raw, kind: 'raw' }, 320)).rejects.toMatchObject({
      code: 'UNSUPPORTED_IMAGE',
      message: expect.stringContaining('without a JPEG preview')
    });
  });
});

describe('embedded EXIF thumbnails', () => {
  it('lose the black bars a camera put around a 3:2 photo in its 4:3 thumbnail', async () => {
    const photo = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#d0d0d0' } }).jpeg().toBuffer();
    // 160×120 thumbnail: the 160×107 picture between black bars of 6 and 7 rows.
    const picture = await sharp({ create: { width: 160, height: 107, channels: 3, background: '#d0d0d0' } }).png().toBuffer();
    const letterboxed = await sharp({ create: { width: 160, height: 120, channels: 3, background: '#000000' } })
      .composite([{ input: picture, left: 0, top: 6 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const file = path.join(workDir, 'DSC_0001.JPG');
    await writeFile(file, withExif(photo, { orientation: 1, thumbnail: letterboxed }));
    const made = await renderPhoto({ absolutePath: file, kind: 'image' }, 320);
    expect(made.source).toBe('embedded');
    expect(made.width / made.height).toBeCloseTo(1.5, 1);
    const stats = await sharp(made.jpeg).stats();
    expect(stats.channels[0]?.min).toBeGreaterThan(150);
  });
});

describe('photos that cannot be read say why', () => {
  it('an iPhone HEIC needs HEVC, which the bundled image library lacks', async () => {
    const error = await renderPhoto({ absolutePath: path.join(PHOTOS, 'heic/IMG_5195.HEIC'), kind: 'image' }, 320).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ZoeError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_IMAGE', message: expect.stringContaining('HEVC') });
  });

  it('a damaged JPEG is reported as damaged when its pixels are needed', async () => {
    const error = await renderPhoto({ absolutePath: path.join(PHOTOS, 'jpg/corrupted.jpg'), kind: 'image' }, 2048).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'DAMAGED_IMAGE', message: expect.stringContaining('damaged') });
  });

  it('keeps each reason right when many broken photos are decoded at once', async () => {
    // libvips has one error buffer for all threads: under load its messages get mixed up.
    const attempts = Array.from({ length: 8 }, (_, index) =>
      index % 2 === 0
        ? { file: path.join(PHOTOS, 'heic/IMG_5195.HEIC'), reason: 'HEVC', code: 'UNSUPPORTED_IMAGE' }
        : { file: path.join(PHOTOS, 'jpg/corrupted.jpg'), reason: 'damaged', code: 'DAMAGED_IMAGE' }
    );
    const errors = await Promise.all(
      attempts.map(({ file }) => renderPhoto({ absolutePath: file, kind: 'image' }, 2048).then(() => null, (caught: unknown) => caught))
    );
    errors.forEach((error, index) => {
      expect(error).toMatchObject({ code: attempts[index]?.code, message: expect.stringContaining(attempts[index]?.reason ?? '?') });
    });
  });

  it('a file that vanished is not found', async () => {
    await expect(renderPhoto({ absolutePath: path.join(workDir, 'gone.jpg'), kind: 'image' }, 320)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('TIFF, and JPEG with an invalid EXIF block, still make thumbnails', async () => {
    for (const file of ['tiff/BSG1.tiff', 'jpg/invalid/image00971.jpg', 'jpg/xmp/no_exif.jpg']) {
      const made = await renderPhoto({ absolutePath: path.join(PHOTOS, file), kind: 'image' }, 320);
      const meta = await sharp(made.jpeg).metadata();
      expect(meta.format).toBe('jpeg');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
    }
  });
});
