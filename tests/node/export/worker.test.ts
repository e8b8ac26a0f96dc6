import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDepth } from '../../../src/main/export/export-depth';
import { ExportWorker } from '../../../src/main/export/worker/client';
import type { Intrinsics } from '../../../src/shared/camera';
import { ZoeError } from '../../../src/shared/errors';
import { slantedPlaneWithStep } from './synthetic';

const FIXTURES = path.resolve(__dirname, '../../fixtures/photos/jpg');
const intrinsics: Intrinsics = { fx: 560, fy: 560, cx: 319.5, cy: 239.5, width: 640, height: 480, source: 'user', warnings: [] };

let folder = '';
let photo = '';
let worker: ExportWorker;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-export-worker-'));
  photo = path.join(folder, 'DSCN0010.jpg');
  await copyFile(path.join(FIXTURES, 'gps/DSCN0010.jpg'), photo);
  worker = new ExportWorker();
});
afterAll(async () => {
  await worker.terminate();
  await rm(folder, { recursive: true, force: true });
});

describe('export worker', () => {
  it('writes the same files off the main thread as on it', async () => {
    const depth = slantedPlaneWithStep(64, 48, { photoWidth: 640, photoHeight: 480 });
    await mkdir(path.join(folder, 'here'));
    await mkdir(path.join(folder, 'there'));
    await exportDepth(depth, { path: photo, intrinsics }, ['png16', 'ply', 'exr'], { resolution: 'model' }, { folder: path.join(folder, 'here') });
    const result = await worker.exportDepth(depth, { path: photo, intrinsics }, ['png16', 'ply', 'exr'], { resolution: 'model' }, { folder: path.join(folder, 'there') });
    expect(result.files.map((file) => path.basename(file.path))).toEqual(['DSCN0010.depth.json', 'DSCN0010.depth.png', 'DSCN0010.depth.ply', 'DSCN0010.depth.exr']);
    for (const name of ['DSCN0010.depth.png', 'DSCN0010.depth.ply', 'DSCN0010.depth.exr']) {
      expect((await readFile(path.join(folder, 'there', name))).equals(await readFile(path.join(folder, 'here', name))), name).toBe(true);
    }
    // The caller's depth map is still whole (copied to the thread, not moved).
    expect(depth.metres.length).toBe(64 * 48);
  });

  it('reaches full resolution through the engine on the main side', async () => {
    const depth = slantedPlaneWithStep(64, 48, { photoWidth: 640, photoHeight: 480 });
    const result = await worker.exportDepth(depth, { path: photo, intrinsics }, ['npy'], {}, {
      folder: path.join(folder, 'full'),
      toPhotoResolution: async () => slantedPlaneWithStep(640, 480)
    });
    expect([result.depthWidth, result.depthHeight]).toEqual([640, 480]);
  });

  it('brings errors back as ZoeErrors with their codes', async () => {
    const broken = path.join(folder, 'broken.jpg');
    await copyFile(path.join(FIXTURES, 'corrupted.jpg'), broken);
    const depth = slantedPlaneWithStep(64, 48, { photoWidth: 640, photoHeight: 480 });
    const failure = worker.exportDepth(depth, { path: broken, intrinsics }, ['glb'], { resolution: 'model' });
    await expect(failure).rejects.toBeInstanceOf(ZoeError);
    await expect(failure).rejects.toMatchObject({ code: 'DAMAGED_IMAGE' });
    await expect(worker.exportDepth(depth, { path: photo, intrinsics }, ['tga'] as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('an export under way fails as cancelled when the worker is stopped', async () => {
    const own = new ExportWorker();
    const depth = slantedPlaneWithStep(1600, 1200, { photoWidth: 640, photoHeight: 480 });
    const running = own.exportDepth(depth, { path: photo, intrinsics }, ['glb', 'exr'], { resolution: 'model' }, { folder: path.join(folder, 'stopped') });
    await own.terminate();
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
