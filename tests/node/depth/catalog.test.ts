import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferManifestFromModel, loadCatalog } from '../../../src/main/depth';
import { REPO_ROOT, TEST_MODELS_DIR, ensureTestModels } from '../../helpers/depth-fixtures';

beforeAll(ensureTestModels);

describe('model catalog', () => {
  it('validates and holds the three ZoeDepth models with their contracts', async () => {
    const catalog = await loadCatalog(join(REPO_ROOT, 'resources'));
    const byId = new Map(catalog.models.map((m) => [m.id, m]));
    expect([...byId.keys()].sort()).toEqual(['zoed-k', 'zoed-n', 'zoed-nk']);
    const n = byId.get('zoed-n');
    const k = byId.get('zoed-k');
    const nk = byId.get('zoed-nk');
    expect(n?.input.size).toEqual({ kind: 'fixed', height: 384, width: 512 });
    expect(k?.input.size).toEqual({ kind: 'fixed', height: 384, width: 768 });
    expect(nk?.input.size).toEqual({ kind: 'fixed', height: 384, width: 512 });
    expect([n?.depthRange, k?.depthRange]).toEqual([{ min: 0.001, max: 10 }, { min: 0.001, max: 80 }]);
    expect([n?.domain, k?.domain, nk?.domain]).toEqual(['indoor', 'outdoor', 'auto']);
    expect([n?.output.index, k?.output.index, nk?.output.index]).toEqual([0, 0, 1]);
    for (const model of catalog.models) {
      expect(model.licence.name).toMatch(/MIT/);
      expect(model.input.normalisation).toEqual({ kind: 'in-graph' });
      expect(model.defaults).toEqual({ flip: true, pad: true });
      expect(model.source?.urls[0]).toMatch(/^https:\/\/.+\.onnx$/);
      expect(model.relativeError?.source).toMatch(/2302\.12288/);
    }
  });

  it('states zero-shot errors from the paper’s tables: the uncalibrated figure is their median, each figure cites its table, the in-domain figure is smaller', async () => {
    const catalog = await loadCatalog(join(REPO_ROOT, 'resources'));
    const domains: Record<string, string[]> = {
      'zoed-n': ['SUN RGB-D', 'iBims-1', 'DIODE Indoor', 'HyperSim'],
      'zoed-k': ['Virtual KITTI 2', 'DDAD', 'DIML Outdoor', 'DIODE Outdoor'],
      'zoed-nk': ['SUN RGB-D', 'iBims-1', 'DIODE Indoor', 'HyperSim', 'Virtual KITTI 2', 'DDAD', 'DIML Outdoor', 'DIODE Outdoor']
    };
    for (const model of catalog.models) {
      const stated = model.relativeError;
      if (stated?.zeroShot === undefined || stated.inDomain === undefined) throw new Error(`${model.id} states no zero-shot and in-domain errors`);
      // A photographer's photo is zero-shot: the paper's unseen datasets of the model's domain (Table 3 indoor, Table 4 outdoor).
      expect(stated.zeroShot.map((figure) => figure.dataset), model.id).toEqual(domains[model.id]);
      for (const figure of stated.zeroShot) {
        expect(figure.source).toMatch(/2302\.12288\), Table [34] \(and Table (9|1[0-6])\)/);
        expect(figure.source).toContain(`${figure.dataset}, REL ${figure.value.toFixed(3)}`);
        expect(figure.source).toContain(model.architecture?.replaceAll('_', '-') ?? 'no architecture');
      }
      const sorted = stated.zeroShot.map((figure) => figure.value).sort((a, b) => a - b);
      const middle = sorted.length / 2;
      expect(stated.value, model.id).toBeCloseTo(((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2, 9);
      expect(stated.source).toMatch(/zero-shot/);
      expect(stated.inDomain.source).toMatch(/2302\.12288\), Table [12]:/);
      expect(stated.inDomain.value).toBeLessThan(stated.value);
    }
  });

  it('refuses a damaged catalog with a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zoe-catalog-'));
    await mkdir(join(dir, 'models'));
    await writeFile(join(dir, 'models', 'catalog.json'), JSON.stringify({ $schemaVersion: 1, models: [{ id: 'Bad Id' }] }));
    await expect(loadCatalog(dir)).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/not valid/) });
    await expect(loadCatalog(join(dir, 'missing'))).rejects.toMatchObject({ code: 'IO_ERROR' });
    await rm(dir, { recursive: true, force: true });
  });
});

describe('manifest inferred from a model file', () => {
  it('a fixed [1,3,384,512] export: fixed size, normalisation in the graph, indoor range', async () => {
    const manifest = await inferManifestFromModel(join(TEST_MODELS_DIR, 'zoe-fixed.onnx'));
    expect(manifest).toMatchObject({
      id: 'zoe-fixed',
      input: { name: 'input', size: { kind: 'fixed', height: 384, width: 512 }, normalisation: { kind: 'in-graph' } },
      output: { name: 'metric_depth', index: 0 },
      depthRange: { min: 0.001, max: 10 },
      domain: 'indoor'
    });
  });

  it('a 384×768 export is outdoor; a two-output export reads the second output', async () => {
    expect(await inferManifestFromModel(join(TEST_MODELS_DIR, 'zoe-outdoor.onnx'))).toMatchObject({ depthRange: { max: 80 }, domain: 'outdoor' });
    expect(await inferManifestFromModel(join(TEST_MODELS_DIR, 'zoe-nk-like.onnx'), { id: 'my-nk' })).toMatchObject({
      id: 'my-nk',
      output: { name: 'metric_depth', index: 1 },
      domain: 'auto'
    });
  });

  it('a dynamic [1,3,H,W] input uses the minimal policy', async () => {
    const manifest = await inferManifestFromModel(join(TEST_MODELS_DIR, 'zoe-dynamic.onnx'));
    expect(manifest.input.size).toEqual({ kind: 'dynamic', targetHeight: 384, targetWidth: 512, multipleOf: 32, policy: 'minimal' });
  });

  it('refuses a model without an RGB input, and a file that is not a model', async () => {
    await expect(inferManifestFromModel(join(TEST_MODELS_DIR, 'not-rgb.onnx'))).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await expect(inferManifestFromModel(join(TEST_MODELS_DIR, 'invalid.onnx'))).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });
});
