import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { exportDepth } from '../../../src/main/export/export-depth';
import type { Intrinsics } from '../../../src/shared/camera';
import type { DepthMap } from '../../../src/shared/depth';
import { EXPORT_FORMATS } from '../../../src/shared/export';
import { exiftoolJson } from '../../helpers/readers/exiftool';
import { readNpy } from '../../helpers/readers/npy';
import { slantedPlaneWithStep } from './synthetic';

const FIXTURES = path.resolve(__dirname, '../../fixtures/photos/jpg');

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'zoe-export-all-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder holding a copy of a fixture photo. */
async function folderWith(fixture: string, name = path.basename(fixture)): Promise<{ folder: string; photo: string }> {
  const folder = await mkdtemp(path.join(root, 'case-'));
  const photo = path.join(folder, name);
  await copyFile(path.join(FIXTURES, fixture), photo);
  return { folder, photo };
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

// portrait_6.jpg is stored 600×450 with EXIF orientation 6: upright it is 450×600.
const upright: Intrinsics = { fx: 480, fy: 480, cx: 224.5, cy: 299.5, width: 450, height: 600, source: 'default-fov', warnings: [] };
const modelDepth = (): DepthMap => slantedPlaneWithStep(45, 60, { photoWidth: 450, photoHeight: 600 });

const sidecarSchema = z.object({
  kind: z.literal('zoe-studio-depth-export'),
  photo: z.object({ name: z.string(), width: z.number(), height: z.number() }),
  depth: z.object({ width: z.number(), height: z.number(), resolution: z.enum(['photo', 'model']), units: z.literal('m') }),
  model: z.object({ id: z.string(), provider: z.string() }),
  intrinsics: z.object({ fx: z.number(), source: z.string() }),
  files: z.array(z.object({ format: z.string(), name: z.string(), bytes: z.number(), details: z.record(z.string(), z.unknown()) })),
  timings: z.object({ exportMs: z.number() })
});

describe('exportDepth', () => {
  it('writes every format and the side-car beside the photo, leaving the photo as it was', async () => {
    const { folder, photo } = await folderWith('orientation/portrait_6.jpg', 'IMG_0006.jpg');
    const before = await sha256(photo);
    const result = await exportDepth(modelDepth(), { path: photo, intrinsics: upright }, EXPORT_FORMATS, { resolution: 'model' });
    expect(await sha256(photo)).toBe(before);

    const names = (await readdir(folder)).sort();
    expect(names).toEqual(
      [
        'IMG_0006.jpg',
        'IMG_0006.depth-color.jpg',
        'IMG_0006.depth-color.png',
        'IMG_0006.depth.exr',
        'IMG_0006.depth.glb',
        'IMG_0006.depth.jpg',
        'IMG_0006.depth.json',
        'IMG_0006.depth.npy',
        'IMG_0006.depth.pfm',
        'IMG_0006.depth.ply',
        'IMG_0006.depth.png',
        'IMG_0006.depth.tiff'
      ].sort()
    );
    expect(result.files.map((file) => file.format)).toEqual(['json', ...EXPORT_FORMATS]);

    const sidecar = sidecarSchema.parse(JSON.parse(await readFile(path.join(folder, 'IMG_0006.depth.json'), 'utf8')));
    expect(sidecar.photo).toEqual({ name: 'IMG_0006.jpg', width: 450, height: 600 });
    expect(sidecar.depth).toMatchObject({ width: 45, height: 60, resolution: 'model', units: 'm' });
    expect(sidecar.intrinsics).toMatchObject({ fx: 480, source: 'default-fov' });
    expect(sidecar.files.map((file) => file.name)).toContain('IMG_0006.depth.png');
    expect(sidecar.files.find((file) => file.format === 'png16')?.details).toMatchObject({ valuesPerMetre: 256 });

    // The GDepth JPEG is the upright photo with its camera EXIF, and says so.
    const tags = await exiftoolJson(path.join(folder, 'IMG_0006.depth.jpg'), ['-n', '-ImageWidth', '-ImageHeight', '-Orientation', '-XMP-GDepth:Format']);
    expect(tags).toMatchObject({ ImageWidth: 450, ImageHeight: 600, Format: 'RangeInverse' });
    expect(tags.Orientation ?? 1).toBe(1);
  });

  it('brings model-resolution depth to the photo’s size by default, through the engine', async () => {
    const { folder, photo } = await folderWith('gps/DSCN0010.jpg');
    const small = slantedPlaneWithStep(64, 48, { photoWidth: 640, photoHeight: 480 });
    const calls: string[] = [];
    const toPhotoResolution = async (depth: DepthMap): Promise<DepthMap> => {
      calls.push(`${depth.width}×${depth.height}`);
      return slantedPlaneWithStep(640, 480);
    };
    const intrinsics: Intrinsics = { fx: 560, fy: 560, cx: 319.5, cy: 239.5, width: 640, height: 480, source: 'focal-length-35mm', warnings: [] };
    const result = await exportDepth(small, { path: photo, intrinsics }, ['npy', 'png16'], {}, { toPhotoResolution, folder: path.join(folder, 'out') });
    expect(calls).toEqual(['64×48']);
    expect([result.depthWidth, result.depthHeight]).toEqual([640, 480]);
    expect(readNpy(await readFile(path.join(folder, 'out', 'DSCN0010.depth.npy'))).shape).toEqual([480, 640]);
    const meta = await sharp(path.join(folder, 'out', 'DSCN0010.depth.png')).metadata();
    expect([meta.width, meta.height]).toEqual([640, 480]);
  });

  it('never writes over a file it did not make: a number is added instead', async () => {
    const { folder, photo } = await folderWith('orientation/portrait_6.jpg', 'IMG.jpg');
    // Another photo that happens to carry the name the GDepth export would take.
    const other = path.join(folder, 'IMG.depth.jpg');
    await copyFile(path.join(FIXTURES, 'gps/DSCN0027.jpg'), other);
    const otherHash = await sha256(other);
    for (const onConflict of ['suffix', 'overwrite'] as const) {
      const result = await exportDepth(modelDepth(), { path: photo, intrinsics: upright }, ['gdepth'], { resolution: 'model', onConflict });
      expect(result.baseName).toBe('IMG (2)');
    }
    expect(await sha256(other)).toBe(otherHash);
    expect((await readdir(folder)).sort()).toEqual(['IMG (2).depth.jpg', 'IMG (2).depth.json', 'IMG.depth.jpg', 'IMG.jpg']);
  });

  it('replaces its own earlier files with overwrite, adds a number with suffix, stops with fail', async () => {
    const { folder, photo } = await folderWith('gps/DSCN0010.jpg', 'P.jpg');
    const intrinsics: Intrinsics = { fx: 560, fy: 560, cx: 319.5, cy: 239.5, width: 640, height: 480, source: 'user', warnings: [] };
    const depth = slantedPlaneWithStep(32, 24, { photoWidth: 640, photoHeight: 480 });
    const first = await exportDepth(depth, { path: photo, intrinsics }, ['pfm', 'png8'], { resolution: 'model' });
    expect(first.baseName).toBe('P');
    const again = await exportDepth(depth, { path: photo, intrinsics }, ['pfm', 'png8'], { resolution: 'model', onConflict: 'overwrite' });
    expect(again.baseName).toBe('P');
    const suffixed = await exportDepth(depth, { path: photo, intrinsics }, ['pfm'], { resolution: 'model', onConflict: 'suffix' });
    expect(suffixed.baseName).toBe('P (2)');
    await expect(exportDepth(depth, { path: photo, intrinsics }, ['pfm'], { resolution: 'model', onConflict: 'fail' })).rejects.toMatchObject({ code: 'IO_ERROR' });
    // A stray file under an export name it never recorded is not "its own".
    await writeFile(path.join(folder, 'P.depth.npy'), 'not mine');
    const stray = await exportDepth(depth, { path: photo, intrinsics }, ['npy'], { resolution: 'model', onConflict: 'overwrite' });
    // "P (2)" holds only its own earlier files (pfm and its side-car), so overwrite may use it.
    expect(stray.baseName).toBe('P (2)');
    expect(await readFile(path.join(folder, 'P.depth.npy'), 'utf8')).toBe('not mine');
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses unknown formats and settings, and unreadable photos, with clear codes', async () => {
    const { folder, photo } = await folderWith('orientation/portrait_6.jpg');
    const target = { path: photo, intrinsics: upright };
    await expect(exportDepth(modelDepth(), target, ['png16'], { png16Scale: 'inches' } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(exportDepth(modelDepth(), target, ['bmp'] as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(exportDepth(modelDepth(), target, [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const broken = path.join(folder, 'broken.jpg');
    await copyFile(path.join(FIXTURES, 'corrupted.jpg'), broken);
    await expect(
      exportDepth(modelDepth(), { path: broken, intrinsics: upright }, ['png16', 'npy', 'ply', 'exr'], { resolution: 'model' })
    ).rejects.toMatchObject({ code: 'DAMAGED_IMAGE' });
    // The formats written before the failure are taken back: no half export, no temporary files.
    expect((await readdir(folder)).sort()).toEqual(['broken.jpg', 'portrait_6.jpg']);
  });
});
