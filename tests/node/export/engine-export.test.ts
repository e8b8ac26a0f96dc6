/**
 * The whole chain on a real photo: the depth engine on a real ONNX session (a generated test model),
 * intrinsics from the photo's EXIF, then every export format at the photo's full resolution.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthEngine } from '../../../src/main/depth';
import { ExportWorker } from '../../../src/main/export/worker/client';
import { readPhotoIntrinsics } from '../../../src/main/measure/intrinsics';
import type { DepthMap } from '../../../src/shared/depth';
import { EXPORT_FORMATS } from '../../../src/shared/export';
import { ensureTestModels, PHOTOS_DIR, testModel } from '../../helpers/depth-fixtures';
import { readSingleChannelExr } from '../../helpers/readers/exr';
import { readNpy } from '../../helpers/readers/npy';
import { readPly } from '../../helpers/readers/ply';

let engine: DepthEngine;
let worker: ExportWorker;
let folder = '';

beforeAll(async () => {
  await ensureTestModels();
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-export-engine-'));
  engine = new DepthEngine({ optimisedCacheDir: path.join(folder, 'cache'), device: 'cpu' });
  worker = new ExportWorker();
});
afterAll(async () => {
  await worker.terminate();
  await engine.dispose();
  await rm(folder, { recursive: true, force: true });
});

describe('engine to export', () => {
  it('exports a real photo’s estimated depth in every format at full resolution', async () => {
    // Stored 600×450 with EXIF orientation 8: the exports are upright, 450×600.
    const photo = path.join(folder, 'portrait.jpg');
    await copyFile(path.join(PHOTOS_DIR, 'jpg', 'orientation', 'portrait_8.jpg'), photo);
    const depth = await engine.estimate(photo, testModel('zoe-fixed'));
    const intrinsics = await readPhotoIntrinsics(photo);
    expect([intrinsics.width, intrinsics.height]).toEqual([depth.photoWidth, depth.photoHeight]);

    let full: DepthMap | undefined;
    const result = await worker.exportDepth(depth, { path: photo, intrinsics }, EXPORT_FORMATS, {}, {
      folder: path.join(folder, 'out'),
      toPhotoResolution: async (map) => (full = await engine.toPhotoResolution(map))
    });
    if (full === undefined) throw new Error('full resolution was not asked for');
    expect([result.depthWidth, result.depthHeight]).toEqual([450, 600]);
    const out = (name: string): string => path.join(folder, 'out', `portrait${name}`);

    const npy = readNpy(await readFile(out('.depth.npy')));
    expect(npy.shape).toEqual([600, 450]);
    expect(Array.from(npy.values)).toEqual(Array.from(full.metres));
    expect(Array.from(readSingleChannelExr(await readFile(out('.depth.exr')), 'Z').values)).toEqual(Array.from(full.metres));

    const { data } = await sharp(out('.depth.png')).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
    const png16 = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
    let worst = 0;
    for (let i = 0; i < full.metres.length; i++) worst = Math.max(worst, Math.abs((png16[i] ?? 0) / 256 - (full.metres[i] ?? 0)));
    expect(worst).toBeLessThanOrEqual(0.5 / 256 + 1e-6);

    const points = readPly(await readFile(out('.depth.ply'))).elements.get('vertex')?.get('z') ?? [];
    expect(points.length).toBe(450 * 600);
    const validation = await validateBytes(new Uint8Array(await readFile(out('.depth.glb'))), { writeTimestamp: false });
    expect(validation.issues.numErrors).toBe(0);
    const colour = await sharp(out('.depth-color.png')).metadata();
    expect([colour.width, colour.height]).toEqual([450, 600]);
    const sidecar: unknown = JSON.parse(await readFile(out('.depth.json'), 'utf8'));
    expect(sidecar).toMatchObject({ model: { id: depth.modelId, provider: 'cpu' }, intrinsics: { source: intrinsics.source }, depth: { resolution: 'photo' } });
  });
});
