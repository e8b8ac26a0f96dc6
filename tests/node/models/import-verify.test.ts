import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZoeError } from '../../../src/shared/errors';
import { modelCatalogSchema, modelManifestSchema, type ModelCatalog } from '../../../src/shared/manifest';
import { ModelManager } from '../../../src/main/models/manager';
import { makeTinyModel, tinyManifest } from './tiny-model';

const model = makeTinyModel(96, 128);
let workDir: string;
let dataDir: string;
let modelFile: string;
const emptyCatalog: ModelCatalog = modelCatalogSchema.parse({
  $schemaVersion: 1,
  models: [tinyManifest('zoed-n', 384, 512, { fileName: 'zoed-n.onnx', urls: ['http://127.0.0.1:9/zoed-n.onnx'] })]
});

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-import-'));
  dataDir = path.join(workDir, 'data');
  modelFile = path.join(workDir, 'my depth model.onnx');
  await writeFile(modelFile, model);
});
afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown
  );
  expect(error).toBeInstanceOf(ZoeError);
  return { code: (error as ZoeError).code, message: (error as ZoeError).message };
}

describe('model manager: import, verify, remove', () => {
  it('imports a local model with a confirmed manifest, leaving the original untouched', async () => {
    const manager = new ModelManager({ dataDir, catalog: emptyCatalog });
    const before = await stat(modelFile);
    const installed = await manager.import(modelFile, tinyManifest('my-model'));
    expect(installed.modelPath).toBe(path.join(dataDir, 'models', 'my-model', 'model.onnx'));
    expect((await readFile(installed.modelPath)).equals(model)).toBe(true);
    expect((await readFile(modelFile)).equals(model)).toBe(true);
    expect((await stat(modelFile)).mtimeMs).toBe(before.mtimeMs);

    const listing = (await manager.list()).find((entry) => entry.id === 'my-model');
    expect(listing).toMatchObject({ state: 'installed', origin: 'imported', sizeBytes: model.length });
    expect((await manager.list()).find((entry) => entry.id === 'zoed-n')?.state).toBe('not-installed');
  });

  it('infers a manifest from the model when none is given', async () => {
    const seen: string[] = [];
    const manager = new ModelManager({
      dataDir,
      catalog: emptyCatalog,
      inferManifest: async (modelPath) => {
        seen.push(modelPath);
        return modelManifestSchema.parse(tinyManifest('inferred'));
      }
    });
    const installed = await manager.import(modelFile);
    expect(seen).toEqual([modelFile]);
    expect(installed.manifest.id).toBe('inferred');
  });

  it('refuses a model whose inputs or outputs do not match the manifest, checked by a real session', async () => {
    const manager = new ModelManager({ dataDir, catalog: emptyCatalog });
    const wrongSize = await codeOf(manager.import(modelFile, tinyManifest('wrong-size', 384, 512)));
    expect(wrongSize.code).toBe('MODEL_INVALID');
    expect(wrongSize.message).toContain('96×128, but the manifest says 384×512');

    const wrongOutput = tinyManifest('wrong-output');
    wrongOutput.output = { name: 'metric_depth', unit: 'metres', kind: 'metric' };
    const noOutput = await codeOf(manager.import(modelFile, wrongOutput));
    expect(noOutput.message).toContain('no output named “metric_depth” (it has depth)');

    const secondOutput = tinyManifest('second-output');
    secondOutput.output = { index: 1, unit: 'metres', kind: 'metric' };
    expect((await codeOf(manager.import(modelFile, secondOutput))).message).toContain('output number 2, but the model has only 1');
    await expect(stat(path.join(dataDir, 'models', 'wrong-size'))).rejects.toThrow();
  });

  it('refuses files that are not ONNX models, and a manifest that is not valid', async () => {
    const manager = new ModelManager({ dataDir, catalog: emptyCatalog });
    const photo = path.join(workDir, 'photo.onnx');
    await writeFile(photo, await readFile(path.join(__dirname, '../../fixtures/photos/jpg/Nikon_D70.jpg')));
    expect(await codeOf(manager.import(photo, tinyManifest('photo')))).toMatchObject({ code: 'MODEL_INVALID' });
    const truncated = path.join(workDir, 'cut.onnx');
    await writeFile(truncated, model.subarray(0, 5000));
    expect((await codeOf(manager.import(truncated, tinyManifest('cut')))).message).toMatch(/incomplete|shorter/);
    const badManifest = { ...tinyManifest('bad'), depthRange: { min: -1, max: 10 } };
    expect((await codeOf(manager.import(modelFile, badManifest))).message).toContain('depthRange.min');
    expect(await codeOf(manager.import(path.join(workDir, 'missing.onnx'), tinyManifest('x')))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('does not overwrite an installed model unless asked to', async () => {
    const manager = new ModelManager({ dataDir, catalog: emptyCatalog });
    await manager.import(modelFile, tinyManifest('twice'));
    expect((await codeOf(manager.import(modelFile, tinyManifest('twice')))).message).toContain('already installed');
    await manager.import(modelFile, tinyManifest('twice', 96, 128), { replace: true });
  });

  it('verifies an installed model with its checksum and a real session, and finds damage', async () => {
    const sha256 = createHash('sha256').update(model).digest('hex');
    const manager = new ModelManager({ dataDir, catalog: emptyCatalog });
    await manager.import(modelFile, tinyManifest('checked', 96, 128, { fileName: 'checked.onnx', urls: ['http://127.0.0.1:9/c.onnx'], sha256 }));

    const good = await manager.verify('checked');
    expect(good).toMatchObject({ ok: true, sha256, checksumKnown: true, sizeBytes: model.length, problems: [] });
    expect(good.inputs).toEqual([{ name: 'pixels', type: 'float32', shape: [1, 3, 96, 128] }]);
    expect(good.outputs).toEqual([{ name: 'depth', type: 'float32', shape: [1, 1, 96, 128] }]);

    // Flip one byte of the weights: same size, so the quick list cannot tell; verify can.
    const installed = path.join(dataDir, 'models', 'checked', 'model.onnx');
    const handle = await open(installed, 'r+');
    await handle.write(Buffer.from([0x55]), 0, 1, Math.floor(model.length / 2));
    await handle.close();
    const flipped = await manager.verify('checked');
    expect(flipped.ok).toBe(false);
    expect(flipped.problems.join(' ')).toContain('not the published one');

    await truncate(installed, model.length - 10);
    const listing = (await manager.list()).find((entry) => entry.id === 'checked');
    expect(listing?.state).toBe('installed');
    const cut = await manager.verify('checked');
    expect(cut.problems.join(' ')).toMatch(/damaged/);
  });

  it('lists a model whose description is unreadable as corrupt, and removes models', async () => {
    const manager = new ModelManager({ dataDir, catalog: emptyCatalog });
    await manager.import(modelFile, tinyManifest('broken'));
    await writeFile(path.join(dataDir, 'models', 'broken', 'manifest.json'), '{ "id": ');
    const listing = (await manager.list()).find((entry) => entry.id === 'broken');
    expect(listing?.state).toBe('corrupt');
    expect(listing?.problem).toContain('not valid JSON');
    expect(await codeOf(manager.resolve('broken'))).toMatchObject({ code: 'MODEL_INVALID' });

    await manager.remove('broken');
    expect((await manager.list()).some((entry) => entry.id === 'broken')).toBe(false);
    expect(await codeOf(manager.remove('broken'))).toMatchObject({ code: 'MODEL_NOT_INSTALLED' });
    expect(await codeOf(manager.remove('../escape'))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
