import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthEngine, type InstalledModel } from '../../../src/main/depth';
import { BROKEN_PHOTOS, GOOD_PHOTOS, mixedPhotoFolder, readPng16 } from './helpers';
import { testModel } from './test-models';
import { requireBuiltCli, runBuiltZoe, type ZoeRun } from './built-zoe';

let workDir: string;
let model: InstalledModel;

beforeAll(async () => {
  await requireBuiltCli();
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-cli-bundle-'));
  model = await testModel('zoe-fixed');
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function runZoe(args: string[], env: Record<string, string>): Promise<ZoeRun> {
  return runBuiltZoe(args, { cwd: workDir, env });
}

describe('zoe as a child process from the built bundle (node bin/zoe.js)', () => {
  it('writes depth for the good photos of a mixed folder, reports the broken ones, and exits 1', async () => {
    const folder = path.join(workDir, 'photos');
    await mixedPhotoFolder(folder);
    const out = path.join(workDir, 'out');
    const result = await runZoe(['depth', folder, '--model', model.modelPath, '--out', out, '--json'], { ZOE_DATA_DIR: path.join(workDir, 'data') });
    expect(result.code, result.stderr).toBe(1);

    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { photo: string; ok: boolean; error?: { code: string; message: string } });
    expect(lines).toHaveLength(GOOD_PHOTOS.length + BROKEN_PHOTOS.length);
    for (const photo of BROKEN_PHOTOS) {
      const line = lines.find((candidate) => candidate.photo.endsWith(path.basename(photo)));
      expect(line?.ok).toBe(false);
      expect(line?.error?.message.length).toBeGreaterThan(20);
      expect(result.stderr).toContain(`${path.basename(photo)}: ${line?.error?.message ?? ''}`);
    }
    expect((await readdir(path.join(workDir, 'data'))).sort()).toContain('depth-cache');

    const engine = new DepthEngine({ optimisedCacheDir: path.join(workDir, 'reference'), device: 'cpu' });
    try {
      for (const photo of GOOD_PHOTOS) {
        const photoPath = path.join(folder, path.basename(photo));
        expect(lines.find((candidate) => path.resolve(workDir, candidate.photo) === photoPath)?.ok).toBe(true);
        const png = await readPng16(path.join(out, `${path.basename(photo, path.extname(photo))}.depth.png`));
        const reference = await engine.toPhotoResolution(await engine.estimate(photoPath, model));
        expect([png.width, png.height]).toEqual([reference.width, reference.height]);
        let largest = 0;
        for (let index = 0; index < png.values.length; index += 1) {
          largest = Math.max(largest, Math.abs((png.values[index] ?? 0) / 256 - (reference.metres[index] ?? 0)));
        }
        expect(largest).toBeLessThanOrEqual(1 / 256 + 1e-6);
      }
    } finally {
      await engine.dispose();
    }
  });

  it('exits 2 on a usage error', async () => {
    const result = await runZoe(['depth', '--out', path.join(workDir, 'x')], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error/i);
  });
});
