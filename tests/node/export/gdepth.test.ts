import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeGDepth } from '../../../src/main/export/gdepth';
import type { DepthMap } from '../../../src/shared/depth';
import { exiftoolBinary, exiftoolJson } from '../../helpers/readers/exiftool';
import { jpegSegments } from '../../helpers/readers/jpeg-segments';
import { slantedPlaneWithStep } from './synthetic';

const PHOTO = path.resolve(__dirname, '../../fixtures/photos/jpg/orientation/portrait_6.jpg');

let folder = '';
let photoJpeg = Buffer.alloc(0);
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-export-gdepth-'));
  photoJpeg = await sharp(PHOTO).rotate().jpeg({ quality: 90 }).toBuffer();
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** GDepth's decoding (developers.google.com/depthmap-metadata), from a normalised value in [0, 1] to metres. */
function decode(normalised: number, near: number, far: number, format: string): number {
  return format === 'RangeInverse' ? (far * near) / (far - normalised * (far - near)) : near + normalised * (far - near);
}

/** Every sample's stored level must decode to an interval (±½ level) that holds the true depth. */
async function expectDepthWithinQuantisation(png: Buffer, depth: DepthMap, near: number, far: number, format: string): Promise<void> {
  const meta = await sharp(png).metadata();
  expect([meta.format, meta.width, meta.height, meta.channels, meta.depth]).toEqual(['png', depth.width, depth.height, 1, 'uchar']);
  const { data } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const outside: string[] = [];
  for (let i = 0; i < depth.metres.length; i++) {
    const level = data[i] ?? 0;
    const lower = decode(Math.max(0, level - 0.5) / 255, near, far, format);
    const upper = decode(Math.min(255, level + 0.5) / 255, near, far, format);
    const metres = depth.metres[i] ?? 0;
    if (metres < lower - 1e-4 || metres > upper + 1e-4) outside.push(`sample ${i}: ${metres} m stored as level ${level} [${lower}, ${upper}]`);
  }
  expect(outside.slice(0, 5)).toEqual([]);
}

const gdepthSchema = z.object({
  GDepth: z.object({ Format: z.string(), Near: z.number(), Far: z.number(), Units: z.string(), Mime: z.string(), Data: z.string() }),
  xmpNote: z.object({ HasExtendedXMP: z.string() }).optional()
});

describe('GDepth JPEG', () => {
  it('a small map travels in the standard XMP packet; exiftool and exifr decode it back within one level', async () => {
    const depth = slantedPlaneWithStep(60, 80, { photoWidth: 450, photoHeight: 600 });
    const target = path.join(folder, 'small.depth.jpg');
    const report = await writeGDepth(depth, target, { photoJpeg, format: 'RangeInverse' });
    expect(report.extendedXmp).toBe(false);

    const tags = await exiftoolJson(target, ['-n', '-XMP-GDepth:all']);
    expect(tags).toMatchObject({ Format: 'RangeInverse', Units: 'm', Mime: 'image/png', MeasureType: 'OpticalAxis' });
    const near = z.number().parse(tags.Near);
    const far = z.number().parse(tags.Far);
    expect(near).toBeCloseTo(Math.min(...depth.metres), 5);
    expect(far).toBeCloseTo(Math.max(...depth.metres), 5);
    await expectDepthWithinQuantisation(await exiftoolBinary(target, 'XMP-GDepth:DepthImage'), depth, near, far, 'RangeInverse');

    const parsed = gdepthSchema.parse(await exifr.parse(target, { xmp: true, multiSegment: true, mergeOutput: false, tiff: false }));
    await expectDepthWithinQuantisation(Buffer.from(parsed.GDepth.Data, 'base64'), depth, parsed.GDepth.Near, parsed.GDepth.Far, parsed.GDepth.Format);

    // The picture is the upright photo, untouched by the metadata.
    const meta = await sharp(target).metadata();
    expect([meta.width, meta.height]).toEqual([450, 600]);
    expect(meta.orientation ?? 1).toBe(1);
  });

  it('a large map goes to extended XMP in segments of at most 65,400 bytes, tied by the MD5 GUID', async () => {
    const depth = slantedPlaneWithStep(450, 600);
    // Texture that PNG cannot squeeze below one segment.
    let seed = 7;
    for (let i = 0; i < depth.metres.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      depth.metres[i] = (depth.metres[i] ?? 0) + (seed / 0x7fffffff) * 0.6;
    }
    const target = path.join(folder, 'large.depth.jpg');
    const report = await writeGDepth(depth, target, { photoJpeg, format: 'RangeLinear' });
    expect(report.extendedXmp).toBe(true);

    const file = await readFile(target);
    const extensionHeader = 'http://ns.adobe.com/xmp/extension/\0';
    const standardHeader = 'http://ns.adobe.com/xap/1.0/\0';
    const app1 = jpegSegments(file).filter((segment) => segment.marker === 0xffe1);
    const standard = app1.filter((segment) => segment.payload.toString('latin1', 0, standardHeader.length) === standardHeader);
    const pieces = app1.filter((segment) => segment.payload.toString('latin1', 0, extensionHeader.length) === extensionHeader);
    expect(standard).toHaveLength(1);
    expect(pieces.length).toBeGreaterThan(1);
    const guid = pieces[0]?.payload.toString('latin1', extensionHeader.length, extensionHeader.length + 32) ?? '';
    const fullLength = pieces[0]?.payload.readUInt32BE(extensionHeader.length + 32) ?? 0;
    const extended = Buffer.alloc(fullLength);
    for (const piece of pieces) {
      expect(piece.payload.toString('latin1', extensionHeader.length, extensionHeader.length + 32)).toBe(guid);
      const chunk = piece.payload.subarray(extensionHeader.length + 40);
      expect(chunk.length).toBeLessThanOrEqual(65400);
      chunk.copy(extended, piece.payload.readUInt32BE(extensionHeader.length + 36));
    }
    expect(createHash('md5').update(extended).digest('hex').toUpperCase()).toBe(guid);
    expect(standard[0]?.payload.toString('utf8')).toContain(`xmpNote:HasExtendedXMP="${guid}"`);

    const tags = await exiftoolJson(target, ['-n', '-XMP-GDepth:all', '-XMP-xmpNote:all']);
    expect(tags).toMatchObject({ Format: 'RangeLinear', HasExtendedXMP: guid });
    const near = z.number().parse(tags.Near);
    const far = z.number().parse(tags.Far);
    await expectDepthWithinQuantisation(await exiftoolBinary(target, 'XMP-GDepth:DepthImage'), depth, near, far, 'RangeLinear');

    const parsed = gdepthSchema.parse(await exifr.parse(target, { xmp: true, multiSegment: true, mergeOutput: false, tiff: false }));
    expect(parsed.xmpNote?.HasExtendedXMP).toBe(guid);
    await expectDepthWithinQuantisation(Buffer.from(parsed.GDepth.Data, 'base64'), depth, parsed.GDepth.Near, parsed.GDepth.Far, 'RangeLinear');
  });
});
