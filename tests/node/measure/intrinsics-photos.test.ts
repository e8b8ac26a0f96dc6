/**
 * Intrinsics of the real camera photos in tests/fixtures/photos, checked against values worked out
 * by hand from the EXIF fields as exiftool (an independent reader) reports them.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readPhotoIntrinsics } from '../../../src/main/measure/intrinsics';
import { testTool } from '../../tools/find';

const PHOTOS = path.resolve(__dirname, '../../fixtures/photos');

const exiftoolRecord = z.array(
  z.looseObject({
    FocalLength: z.number().optional(),
    FocalPlaneXResolution: z.number().optional(),
    FocalPlaneYResolution: z.number().optional(),
    FocalPlaneResolutionUnit: z.number().optional(),
    FocalLengthIn35mmFormat: z.number().optional(),
    ExifImageWidth: z.number().optional(),
    ExifImageHeight: z.number().optional(),
    ImageWidth: z.number(),
    ImageHeight: z.number(),
    Orientation: z.number().optional()
  })
);

/** What exiftool says about one photo (numbers, not their printed forms). */
function exiftool(relativePath: string): z.infer<typeof exiftoolRecord>[number] {
  const output = execFileSync(testTool('exiftool').file, ['-n', '-j', path.join(PHOTOS, relativePath)], { encoding: 'utf8' });
  const [record] = exiftoolRecord.parse(JSON.parse(output));
  if (record === undefined) throw new Error(`exiftool printed nothing for ${relativePath}`);
  return record;
}

/** A field the test relies on; its absence is a fixture problem, reported as such. */
function field(value: number | undefined, name: string): number {
  if (value === undefined) throw new Error(`exiftool reports no ${name}`);
  return value;
}

const FULL_FRAME_DIAGONAL = Math.sqrt(36 * 36 + 24 * 24); // 43.27 mm

describe('intrinsics of real camera photos', () => {
  it('Canon IXUS: focal length with the focal plane resolution in inches', async () => {
    const tags = exiftool('jpg/exif-org/canon-ixus.jpg');
    expect(tags.FocalPlaneResolutionUnit).toBe(2);
    const intrinsics = await readPhotoIntrinsics(path.join(PHOTOS, 'jpg/exif-org/canon-ixus.jpg'));
    // 25.4 mm per inch; the reference size (ExifImageWidth) equals the stored size here.
    const fx = (field(tags.FocalLength, 'FocalLength') * field(tags.FocalPlaneXResolution, 'FocalPlaneXResolution')) / 25.4;
    const fy = (field(tags.FocalLength, 'FocalLength') * field(tags.FocalPlaneYResolution, 'FocalPlaneYResolution')) / 25.4;
    expect(intrinsics.source).toBe('focal-plane-resolution');
    expect(intrinsics.fx).toBeCloseTo(fx, 6);
    expect(intrinsics.fy).toBeCloseTo(fy, 6);
    expect([intrinsics.width, intrinsics.height]).toEqual([tags.ImageWidth, tags.ImageHeight]);
    expect(intrinsics.cx).toBe((tags.ImageWidth - 1) / 2);
    expect(intrinsics.cy).toBe((tags.ImageHeight - 1) / 2);
    // A 10.8 mm lens on a 1/2.7" compact sensor (about 5.3 mm wide) sees about 27° across.
    expect((2 * Math.atan(tags.ImageWidth / 2 / intrinsics.fx) * 180) / Math.PI).toBeGreaterThan(25);
    expect((2 * Math.atan(tags.ImageWidth / 2 / intrinsics.fx) * 180) / Math.PI).toBeLessThan(29);
    expect(intrinsics.camera).toBe('Canon DIGITAL IXUS');
    expect(intrinsics.warnings).toEqual([]);
  });

  it('Fujifilm DX-10: focal plane resolution in centimetres', async () => {
    const tags = exiftool('jpg/exif-org/fujifilm-dx10.jpg');
    expect(tags.FocalPlaneResolutionUnit).toBe(3);
    const intrinsics = await readPhotoIntrinsics(path.join(PHOTOS, 'jpg/exif-org/fujifilm-dx10.jpg'));
    expect(intrinsics.source).toBe('focal-plane-resolution');
    expect(intrinsics.fx).toBeCloseTo((field(tags.FocalLength, 'FocalLength') * field(tags.FocalPlaneXResolution, 'FocalPlaneXResolution')) / 10, 6);
    expect(intrinsics.fy).toBeCloseTo((field(tags.FocalLength, 'FocalLength') * field(tags.FocalPlaneYResolution, 'FocalPlaneYResolution')) / 10, 6);
    expect(intrinsics.sourceDescription).toContain('centimetres');
  });

  it.each(['jpg/gps/DSCN0010.jpg', 'jpg/gps/DSCN0027.jpg', 'jpg/Nikon_D70.jpg'])(
    '%s: the 35 mm equivalent focal length on the diagonal',
    async (photo) => {
      const tags = exiftool(photo);
      expect(tags.FocalPlaneXResolution).toBeUndefined();
      const intrinsics = await readPhotoIntrinsics(path.join(PHOTOS, photo));
      const diagonal = Math.sqrt(tags.ImageWidth ** 2 + tags.ImageHeight ** 2);
      expect(intrinsics.source).toBe('focal-length-35mm');
      expect(intrinsics.fx).toBeCloseTo((field(tags.FocalLengthIn35mmFormat, 'FocalLengthIn35mmFormat') * diagonal) / FULL_FRAME_DIAGONAL, 6);
      expect(intrinsics.fy).toBe(intrinsics.fx);
      expect([intrinsics.width, intrinsics.height]).toEqual([tags.ImageWidth, tags.ImageHeight]);
    }
  );

  it('Jolla phone: a focal length without sensor size falls back to the default lens, saying why', async () => {
    const tags = exiftool('jpg/mobile/jolla.jpg');
    expect(tags.FocalLength).toBe(4);
    const intrinsics = await readPhotoIntrinsics(path.join(PHOTOS, 'jpg/mobile/jolla.jpg'));
    expect(intrinsics.source).toBe('default-fov');
    // The default lens is a 28 mm equivalent on the diagonal.
    const diagonal = Math.sqrt(tags.ImageWidth ** 2 + tags.ImageHeight ** 2);
    expect(intrinsics.fx).toBeCloseTo((28 * diagonal) / FULL_FRAME_DIAGONAL, 6);
    expect(intrinsics.warnings.join(' ')).toMatch(/4 mm/);
  });

  it.each(['jpg/xmp/no_exif.jpg', 'jpg/invalid/image00971.jpg', 'tiff/BSG1.tiff'])(
    '%s: no usable EXIF gives the default lens',
    async (photo) => {
      const tags = exiftool(photo);
      const intrinsics = await readPhotoIntrinsics(path.join(PHOTOS, photo));
      expect(intrinsics.source).toBe('default-fov');
      expect([intrinsics.width, intrinsics.height]).toEqual([tags.ImageWidth, tags.ImageHeight]);
    }
  );

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('orientation %i: intrinsics are for the upright photo', async (orientation) => {
    for (const shape of ['landscape', 'portrait'] as const) {
      const photo = `jpg/orientation/${shape}_${orientation}.jpg`;
      const tags = exiftool(photo);
      expect(tags.Orientation).toBe(orientation);
      const intrinsics = await readPhotoIntrinsics(path.join(PHOTOS, photo));
      // exiftool reports the stored size; orientations 5-8 display it a quarter turn round.
      const upright = orientation >= 5 ? [tags.ImageHeight, tags.ImageWidth] : [tags.ImageWidth, tags.ImageHeight];
      expect([intrinsics.width, intrinsics.height]).toEqual(upright);
      expect(intrinsics.width > intrinsics.height).toBe(shape === 'landscape');
      expect(intrinsics.cx).toBe((field(upright[0], 'width') - 1) / 2);
      expect(intrinsics.cy).toBe((field(upright[1], 'height') - 1) / 2);
    }
  });

  it('a photo that is not there is a NOT_FOUND error', async () => {
    await expect(readPhotoIntrinsics(path.join(PHOTOS, 'nope.jpg'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
