/**
 * tools/export-zoedepth.py: the manifests it writes are valid Zoe Studio manifests, and one imports
 * a dynamic-shape graph with the same tensor names (input / metric_depth) through the real import
 * check (an onnxruntime session). The export itself needs PyTorch and the internet, which this
 * machine does not have; here the script runs with --manifest-only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelManager } from '../../../src/main/models/manager';
import { modelCatalogSchema, modelManifestSchema, type ModelManifest } from '../../../src/shared/manifest';
import { fidelityFactsOf } from '../../../src/shared/model-fidelity';
import { ensureTestModels, REPO_ROOT, TEST_MODELS_DIR } from '../../helpers/depth-fixtures';

const SCRIPT = path.join(REPO_ROOT, 'tools', 'export-zoedepth.py');
const python = ['python3', 'python'].find((command) => spawnSync(command, ['--version']).status === 0);
let workDir: string;

beforeAll(async () => {
  await ensureTestModels();
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-export-script-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function manifestsFor(model: string, precision: string): Promise<Map<string, ModelManifest>> {
  const out = path.join(workDir, model);
  execFileSync(python ?? 'python3', ['-B', SCRIPT, '--model', model, '--precision', precision, '--manifest-only', '--out', out], { encoding: 'utf8' });
  const manifests = new Map<string, ModelManifest>();
  for (const stem of precision.split(',').map((p) => (p === 'fp32' ? '' : `-${p}`))) {
    const id = `zoed-${model.toLowerCase()}-own-shape${stem}`;
    manifests.set(id, modelManifestSchema.parse(JSON.parse(await readFile(path.join(out, `${id}.json`), 'utf8'))));
  }
  return manifests;
}

describe.skipIf(python === undefined)('tools/export-zoedepth.py --manifest-only', () => {
  it('writes a dynamic-shape manifest per precision: the original’s "minimal" resize near 384×512, quick variants naming their original', async () => {
    const manifests = await manifestsFor('N', 'fp32,fp16,int8');
    const fp32 = manifests.get('zoed-n-own-shape');
    expect(fp32?.input).toMatchObject({ name: 'input', size: { kind: 'dynamic', targetHeight: 384, targetWidth: 512, multipleOf: 32, policy: 'minimal' }, normalisation: { kind: 'in-graph' } });
    expect(fp32?.output).toMatchObject({ name: 'metric_depth', unit: 'metres', kind: 'metric' });
    expect(fp32?.depthRange).toEqual({ min: 0.001, max: 10 });
    expect(fp32?.differencesFromOriginal).toEqual([]);
    expect(fp32 === undefined ? null : fidelityFactsOf(fp32)).toMatchObject({ photoShape: { kind: 'own-shape' }, precision: 'fp32' });
    expect(manifests.get('zoed-n-own-shape-fp16')?.variant).toEqual({ of: 'zoed-n-own-shape', precision: 'fp16' });
    expect(manifests.get('zoed-n-own-shape-int8')?.variant).toEqual({ of: 'zoed-n-own-shape', precision: 'int8' });
    expect(manifests.get('zoed-n-own-shape-int8')?.differencesFromOriginal?.[0]).toMatch(/8-bit/);
  });

  it('K is near 384×768 and outdoor up to 80 m, NK routes per photo', async () => {
    const k = (await manifestsFor('K', 'fp32')).get('zoed-k-own-shape');
    expect(k?.input.size).toMatchObject({ kind: 'dynamic', targetHeight: 384, targetWidth: 768 });
    expect([k?.domain, k?.depthRange.max]).toEqual(['outdoor', 80]);
    const nk = (await manifestsFor('NK', 'fp32')).get('zoed-nk-own-shape');
    expect([nk?.domain, nk?.architecture]).toEqual(['auto', 'ZoeD_M12_NK']);
  });

  it('a graph with the exported tensor names imports with the script’s manifest (real session check)', async () => {
    const manifest = (await manifestsFor('N', 'fp32')).get('zoed-n-own-shape');
    if (manifest === undefined) throw new Error('no manifest');
    const manager = new ModelManager({ dataDir: path.join(workDir, 'data'), catalog: modelCatalogSchema.parse({ $schemaVersion: 1, models: [manifest] }) });
    const installed = await manager.import(path.join(TEST_MODELS_DIR, 'zoe-dynamic-position.onnx'), manifest);
    expect(installed.manifest.id).toBe('zoed-n-own-shape');
    const listing = (await manager.list()).find((each) => each.id === 'zoed-n-own-shape');
    expect([listing?.state, listing?.origin]).toEqual(['installed', 'catalog']);
  });

  it('refuses an unknown model or precision with a clear message', () => {
    const run = (args: string[]): string => spawnSync(python ?? 'python3', ['-B', SCRIPT, ...args, '--manifest-only', '--out', workDir], { encoding: 'utf8' }).stderr;
    expect(run(['--model', 'X'])).toMatch(/invalid choice: 'X'/);
    expect(run(['--model', 'N', '--precision', 'fp8'])).toMatch(/unknown precision fp8/);
  });
});
