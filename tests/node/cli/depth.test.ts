import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import type { DepthEngine, InstalledModel } from '../../../src/main/depth';
import { BROKEN_PHOTOS, GOOD_PHOTOS, memoryIo, openReferenceBench, readPng16, type ReferenceBench, uprightSize } from './helpers';

let bench: ReferenceBench;
let workDir: string;
let photoFolder: string;
let model: InstalledModel;
let engine: DepthEngine;

beforeAll(async () => {
  bench = await openReferenceBench('zoe-cli-depth-');
  ({ workDir, photoFolder, model, engine } = bench);
});
afterAll(async () => {
  await bench?.close();
});

/** The largest difference, in metres, between a PNG read back and the engine's own full-resolution depth. */
async function largestDifference(pngPath: string, photoPath: string, options: { flip?: boolean } = {}): Promise<number> {
  const png = await readPng16(pngPath);
  const reference = await engine.toPhotoResolution(await engine.estimate(photoPath, model, options));
  expect(png.bitDepth).toBe('ushort');
  expect([png.width, png.height]).toEqual([reference.width, reference.height]);
  let largest = 0;
  for (let index = 0; index < png.values.length; index += 1) {
    largest = Math.max(largest, Math.abs((png.values[index] ?? 0) / 256 - (reference.metres[index] ?? 0)));
  }
  return largest;
}

const name = (photo: string): string => path.basename(photo, path.extname(photo));

describe('zoe depth (in-process)', () => {
  it('writes depth for every good photo of a mixed folder, reports each broken one, and exits 1', async () => {
    const out = path.join(workDir, 'out-plain');
    const io = memoryIo(workDir);
    const code = await runCli(['depth', photoFolder, '--model', model.modelPath, '--out', out, '--data-dir', path.join(workDir, 'data-plain')], io);
    expect(code).toBe(1);

    const written = (await readdir(out)).sort();
    expect(written).toEqual(GOOD_PHOTOS.flatMap((photo) => [`${name(photo)}.depth.json`, `${name(photo)}.depth.png`]).sort());
    for (const photo of GOOD_PHOTOS) {
      const photoPath = path.join(photoFolder, path.basename(photo));
      const pngPath = path.join(out, `${name(photo)}.depth.png`);
      const upright = await uprightSize(photoPath);
      const png = await readPng16(pngPath);
      expect({ width: png.width, height: png.height }).toEqual(upright);
      expect(await largestDifference(pngPath, photoPath)).toBeLessThanOrEqual(1 / 256 + 1e-6);

      const sidecar = JSON.parse(await readFile(path.join(out, `${name(photo)}.depth.json`), 'utf8')) as Record<string, unknown>;
      expect(sidecar).toMatchObject({
        kind: 'zoe-studio-depth-export',
        photo: { name: path.basename(photo), width: upright.width, height: upright.height },
        depth: { width: upright.width, height: upright.height, resolution: 'photo', units: 'm', modelRange: model.manifest.depthRange },
        model: { id: model.manifest.id, title: model.manifest.title, file: model.modelPath, provider: 'cpu', options: { flip: true, pad: true } },
        fromCache: false,
        files: [{ format: 'png16', name: `${name(photo)}.depth.png`, details: { valuesPerMetre: 256 } }]
      });
      expect(sidecar.timings).toMatchObject({ depth: { inferenceMs: expect.any(Number), totalMs: expect.any(Number) } });
      expect(sidecar.intrinsics).toMatchObject({ fx: expect.any(Number), source: expect.any(String) });
    }

    const errors = io.err().split('\n');
    for (const photo of BROKEN_PHOTOS) {
      const line = errors.find((candidate) => candidate.includes(`${path.basename(photo)}: `));
      expect(line, `a line about ${photo} in:\n${io.err()}`).toBeDefined();
      const reason = line?.split(`${path.basename(photo)}: `)[1] ?? '';
      expect(reason.length).toBeGreaterThan(20);
      expect(reason).not.toContain('Something went wrong');
    }
    expect(io.out()).toContain('2 of 4 photos done, 2 failed.');
  });

  it('prints one JSON line per photo with --json, honours --no-flip, and reuses the depth cache on a second run', async () => {
    const out = path.join(workDir, 'out-json');
    const dataDir = path.join(workDir, 'data-json');
    const args = ['depth', photoFolder, '--model', model.modelPath, '--out', out, '--json', '--no-flip', '--device', 'cpu', '--data-dir', dataDir];

    const first = memoryIo(workDir);
    expect(await runCli(args, first)).toBe(1);
    const lines = first.out().trim().split('\n').map((line) => JSON.parse(line) as { photo: string; ok: boolean; fromCache?: boolean; error?: { code: string; message: string } });
    expect(lines.map((line) => path.basename(line.photo)).sort()).toEqual([...GOOD_PHOTOS, ...BROKEN_PHOTOS].map((photo) => path.basename(photo)).sort());
    for (const line of lines) {
      const broken = BROKEN_PHOTOS.some((photo) => line.photo.endsWith(path.basename(photo)));
      expect(line.ok).toBe(!broken);
      if (broken) expect(line.error?.code).toBe(line.photo.endsWith('.HEIC') ? 'UNSUPPORTED_IMAGE' : 'DAMAGED_IMAGE');
      else expect(line.fromCache).toBe(false);
    }
    const good = path.join(photoFolder, path.basename(GOOD_PHOTOS[0] ?? ''));
    const sidecar = JSON.parse(await readFile(path.join(out, `${name(good)}.depth.json`), 'utf8')) as { model: { options: unknown } };
    expect(sidecar.model.options).toEqual({ flip: false, pad: true });
    expect(await largestDifference(path.join(out, `${name(good)}.depth.png`), good, { flip: false })).toBeLessThanOrEqual(1 / 256 + 1e-6);

    const second = memoryIo(workDir);
    expect(await runCli(args, second)).toBe(1);
    const again = second.out().trim().split('\n').map((line) => JSON.parse(line) as { ok: boolean; fromCache?: boolean });
    expect(again.filter((line) => line.ok).map((line) => line.fromCache)).toEqual([true, true]);
  });

  it('infers the manifest of a model file that has none beside it, and exits 0 when every photo worked', async () => {
    const bare = path.join(workDir, 'models', 'my-zoe.onnx');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(bare), { recursive: true }));
    await copyFile(model.modelPath, bare);
    const io = memoryIo(workDir);
    const photo = path.join(photoFolder, path.basename(GOOD_PHOTOS[0] ?? ''));
    const code = await runCli(['depth', photo, '--model', bare, '--out', path.join(workDir, 'out-bare'), '--data-dir', path.join(workDir, 'data-bare')], io);
    expect(io.err()).not.toMatch(/zoe: .*DSCN/);
    expect(code).toBe(0);
    const sidecar = JSON.parse(await readFile(path.join(workDir, 'out-bare', `${name(photo)}.depth.json`), 'utf8')) as { model: { id: string } };
    expect(sidecar.model.id).toBe('my-zoe');

    // --manifest names the description explicitly.
    const manifestPath = path.join(workDir, 'models', 'described.json');
    await writeFile(manifestPath, JSON.stringify({ ...model.manifest, id: 'described-zoe', title: 'Described by hand' }));
    const described = memoryIo(workDir);
    const out = path.join(workDir, 'out-described');
    expect(await runCli(['depth', photo, '--model', bare, '--manifest', manifestPath, '--out', out, '--data-dir', path.join(workDir, 'data-bare')], described)).toBe(0);
    const describedSidecar = JSON.parse(await readFile(path.join(out, `${name(photo)}.depth.json`), 'utf8')) as { model: { id: string; title: string } };
    expect(describedSidecar.model).toMatchObject({ id: 'described-zoe', title: 'Described by hand' });
  });

  it('says how to install a catalog model that is not installed', async () => {
    const io = memoryIo(workDir);
    const code = await runCli(['depth', photoFolder, '--model', 'zoed-n', '--out', path.join(workDir, 'out-none'), '--data-dir', path.join(workDir, 'data-none')], io);
    expect(code).toBe(1);
    expect(io.err()).toContain('zoe models install zoed-n');
  });

  it('exits 2 on usage errors', async () => {
    const photo = path.join(photoFolder, 'DSCN0010.jpg');
    const cases: string[][] = [
      ['depth', photo, '--out', path.join(workDir, 'x')],
      ['depth', photo, '--model', model.modelPath],
      ['depth', photo, '--model', model.modelPath, '--out', path.join(workDir, 'x'), '--format', 'png16,tiff99'],
      ['depth', photo, '--model', model.modelPath, '--out', path.join(workDir, 'x'), '--device', 'tpu'],
      ['measure-everything'],
      ['models']
    ];
    for (const args of cases) {
      const io = memoryIo(workDir);
      expect(await runCli(args, io), args.join(' ')).toBe(2);
      expect(io.err().length, args.join(' ')).toBeGreaterThan(0);
    }
    const help = memoryIo(workDir);
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.out()).toContain('depth');
  });
});
