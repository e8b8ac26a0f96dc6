import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../../src/main/cli/data-dir';
import { runCli } from '../../../src/main/cli/run';
import type { InstalledModel } from '../../../src/main/depth';
import { startModelServer, type ModelServer } from '../../helpers/http-model-server';
import { GOOD_PHOTOS, PHOTOS, memoryIo } from './helpers';
import { TEST_MODELS_DIR, testModel } from './test-models';

let workDir: string;
let model: InstalledModel;
let server: ModelServer;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-cli-models-'));
  model = await testModel('zoe-fixed');
  server = await startModelServer({ '/zoe-fixed.onnx': { body: await readFile(model.modelPath), dropAfterBytes: 300_000 } });
});
afterAll(async () => {
  await server.close();
  await rm(workDir, { recursive: true, force: true });
});

interface ListedModel {
  id: string;
  state: string;
  origin: string;
}

async function listModels(dataDir: string, resourcesDir?: string): Promise<ListedModel[]> {
  const io = memoryIo(workDir, {}, resourcesDir);
  expect(await runCli(['models', 'list', '--json', '--data-dir', dataDir], io)).toBe(0);
  return (JSON.parse(io.out()) as { models: ListedModel[] }).models;
}

describe('zoe models', () => {
  it('lists the bundled catalog, imports a model, uses it by id, verifies and removes it', async () => {
    const dataDir = path.join(workDir, 'data-import');
    const before = await listModels(dataDir);
    expect(before.map((entry) => entry.id)).toEqual(expect.arrayContaining(['zoed-n', 'zoed-k', 'zoed-nk']));
    expect(before.every((entry) => entry.state === 'not-installed')).toBe(true);

    const imported = memoryIo(workDir);
    const manifest = path.join(TEST_MODELS_DIR, 'zoe-fixed.json');
    expect(await runCli(['models', 'import', model.modelPath, '--manifest', manifest, '--json', '--data-dir', dataDir], imported)).toBe(0);
    expect(JSON.parse(imported.out())).toMatchObject({ ok: true, id: model.manifest.id });
    expect(await listModels(dataDir)).toContainEqual(expect.objectContaining({ id: model.manifest.id, state: 'installed', origin: 'imported' }));

    const photo = path.join(PHOTOS, GOOD_PHOTOS[0] ?? '');
    const depth = memoryIo(workDir);
    expect(await runCli(['depth', photo, '--model', model.manifest.id, '--out', path.join(workDir, 'out-by-id'), '--data-dir', dataDir], depth)).toBe(0);
    const sidecar = JSON.parse(await readFile(path.join(workDir, 'out-by-id', 'DSCN0010.depth.json'), 'utf8')) as { model: { file: string } };
    expect(sidecar.model.file).toBe(path.join(dataDir, 'models', model.manifest.id, 'model.onnx'));

    const verified = memoryIo(workDir);
    expect(await runCli(['models', 'verify', model.manifest.id, '--data-dir', dataDir], verified)).toBe(0);
    expect(verified.out()).toContain('OK');
    const sha256 = createHash('sha256').update(await readFile(model.modelPath)).digest('hex');
    expect(verified.out()).toContain(sha256);

    // Damage the installed copy: verify says so and exits 1.
    const installed = path.join(dataDir, 'models', model.manifest.id, 'model.onnx');
    const bytes = await readFile(installed);
    await writeFile(installed, bytes.subarray(0, bytes.length - 64));
    const damaged = memoryIo(workDir);
    expect(await runCli(['models', 'verify', model.manifest.id, '--json', '--data-dir', dataDir], damaged)).toBe(1);
    expect(JSON.parse(damaged.out())).toMatchObject({ ok: false });

    expect(await runCli(['models', 'remove', model.manifest.id, '--data-dir', dataDir], memoryIo(workDir))).toBe(0);
    expect((await listModels(dataDir)).some((entry) => entry.id === model.manifest.id)).toBe(false);
    const again = memoryIo(workDir);
    expect(await runCli(['models', 'remove', model.manifest.id, '--data-dir', dataDir], again)).toBe(1);
    expect(again.err()).toContain('not installed');
  });

  it('installs a catalog model over HTTP, resuming after a dropped connection', async () => {
    const resourcesDir = path.join(workDir, 'resources');
    const body = await readFile(model.modelPath);
    const catalog = {
      $schemaVersion: 1,
      models: [
        {
          ...JSON.parse(await readFile(path.join(TEST_MODELS_DIR, 'zoe-fixed.json'), 'utf8')),
          id: 'served-model',
          source: {
            fileName: 'zoe-fixed.onnx',
            urls: [server.url('/zoe-fixed.onnx')],
            sizeBytes: body.length,
            sha256: createHash('sha256').update(body).digest('hex')
          }
        }
      ]
    };
    await mkdir(path.join(resourcesDir, 'models'), { recursive: true });
    await writeFile(path.join(resourcesDir, 'models', 'catalog.json'), JSON.stringify(catalog));
    const dataDir = path.join(workDir, 'data-install');

    const io = memoryIo(workDir, {}, resourcesDir);
    expect(await runCli(['models', 'install', 'served-model', '--json', '--data-dir', dataDir], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ ok: true, id: 'served-model' });
    expect(server.requests.map((request) => request.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
    expect((await readFile(path.join(dataDir, 'models', 'served-model', 'model.onnx'))).equals(body)).toBe(true);
    expect(await listModels(dataDir, resourcesDir)).toEqual([expect.objectContaining({ id: 'served-model', state: 'installed', origin: 'catalog' })]);

    const unknown = memoryIo(workDir, {}, resourcesDir);
    expect(await runCli(['models', 'install', 'zoed-q', '--data-dir', dataDir], unknown)).toBe(1);
    expect(unknown.err()).toContain('no model “zoed-q”');
  });

  it('uses the Electron userData folder of "Zoe Studio" unless ZOE_DATA_DIR says otherwise', () => {
    expect(defaultDataDir({}, 'linux', '/home/ada')).toBe('/home/ada/.config/Zoe Studio');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ada')).toBe('/cfg/Zoe Studio');
    expect(defaultDataDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Zoe Studio');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\Zoe Studio');
    expect(defaultDataDir({ ZOE_DATA_DIR: '/srv/zoe' }, 'darwin', '/Users/ada')).toBe('/srv/zoe');
  });
});
