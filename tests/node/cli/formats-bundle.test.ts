/**
 * `node bin/zoe.js depth --format …` from the electron-vite build: the bundled CLI finds its bundled
 * export worker and writes every format; a few are read back and compared with the depth engine.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateBytes } from 'gltf-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthEngine, type InstalledModel } from '../../../src/main/depth';
import { readNpy } from '../../helpers/readers/npy';
import { readPly } from '../../helpers/readers/ply';
import { BROKEN_PHOTOS, GOOD_PHOTOS, mixedPhotoFolder } from './helpers';
import { testModel } from './test-models';
import { requireBuiltCli, runBuiltZoe, type ZoeRun } from './built-zoe';

let workDir: string;
let model: InstalledModel;

beforeAll(async () => {
  await requireBuiltCli();
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-cli-formats-bundle-'));
  model = await testModel('zoe-fixed');
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function runZoe(args: string[], env: Record<string, string>): Promise<ZoeRun> {
  return runBuiltZoe(args, { cwd: workDir, env });
}

describe('zoe depth --format from the built bundle', () => {
  it('writes every format for the good photos and reports the broken ones', async () => {
    const folder = path.join(workDir, 'photos');
    await mixedPhotoFolder(folder);
    const out = path.join(workDir, 'out');
    const formats = 'png16,tiff32,exr,pfm,npy,png8,ply,glb,gdepth';
    const result = await runZoe(['depth', folder, '--model', model.modelPath, '--out', out, '--format', formats, '--json'], { ZOE_DATA_DIR: path.join(workDir, 'data') });
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { photo: string; ok: boolean; files?: string[] });
    expect(lines.filter((line) => !line.ok).map((line) => path.basename(line.photo)).sort()).toEqual(BROKEN_PHOTOS.map((photo) => path.basename(photo)).sort());
    expect((await readdir(out)).length).toBe(GOOD_PHOTOS.length * 10);

    const engine = new DepthEngine({ optimisedCacheDir: path.join(workDir, 'reference'), device: 'cpu' });
    try {
      for (const photo of GOOD_PHOTOS) {
        const name = path.basename(photo, path.extname(photo));
        const line = lines.find((candidate) => candidate.photo.endsWith(path.basename(photo)));
        expect(line?.files?.map((file) => path.basename(file))).toContain(`${name}.depth.glb`);
        const reference = await engine.toPhotoResolution(await engine.estimate(path.join(folder, path.basename(photo)), model));
        const npy = readNpy(await readFile(path.join(out, `${name}.depth.npy`)));
        expect(npy.shape).toEqual([reference.height, reference.width]);
        let largest = 0;
        npy.values.forEach((value, index) => (largest = Math.max(largest, Math.abs(value - (reference.metres[index] ?? 0)))));
        expect(largest).toBeLessThanOrEqual(1e-6);
        expect(readPly(await readFile(path.join(out, `${name}.depth.ply`))).elements.get('vertex')?.get('x')?.length).toBe(reference.width * reference.height);
        const glb = await validateBytes(new Uint8Array(await readFile(path.join(out, `${name}.depth.glb`))), { writeTimestamp: false });
        expect(glb.issues.numErrors).toBe(0);
      }
    } finally {
      await engine.dispose();
    }
  });
});
