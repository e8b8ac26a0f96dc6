import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DepthEngine, modelOutputOf } from '../../../src/main/depth';
import type { LoadProgress } from '../../../src/main/depth';
import { gpuProviderOrder, providerCandidates } from '../../../src/main/depth/providers';
import { ZoeError } from '../../../src/shared/errors';
import { ensureTestModels, syntheticPhoto, testModel, TEST_MODELS_DIR } from '../../helpers/depth-fixtures';
import { modelManifestSchema } from '../../../src/shared/manifest';
import { maxAbsDifference } from '../../helpers/zoe-reference';

let root: string;
const engines: DepthEngine[] = [];

function newEngine(cacheName: string, device: 'auto' | 'gpu' | 'cpu' = 'cpu'): DepthEngine {
  const engine = new DepthEngine({ optimisedCacheDir: join(root, cacheName), device });
  engines.push(engine);
  return engine;
}

beforeAll(async () => {
  await ensureTestModels();
  root = await mkdtemp(join(tmpdir(), 'zoe-sessions-'));
});

afterAll(async () => {
  for (const engine of engines) await engine.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('execution providers', () => {
  const backends = [
    { name: 'cpu', bundled: true },
    { name: 'webgpu', bundled: true },
    { name: 'cuda', bundled: false },
    { name: 'dml', bundled: true },
    { name: 'coreml', bundled: true }
  ];
  it('tries each platform’s GPU providers in order, CPU last', () => {
    const installed = (name: string): boolean => name === 'cuda';
    expect(providerCandidates('auto', { platform: 'linux', backends, isInstalled: installed })).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerCandidates('gpu', { platform: 'win32', backends, isInstalled: installed })).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(providerCandidates('auto', { platform: 'darwin', backends, isInstalled: installed })).toEqual(['coreml', 'webgpu', 'cpu']);
    expect(providerCandidates('cpu', { platform: 'win32', backends, isInstalled: installed })).toEqual(['cpu']);
    expect(gpuProviderOrder({ platform: 'linux', backends, isInstalled: () => false })).toEqual(['webgpu']);
  });

  it('falls back to CPU when WebGPU finds no adapter, and says why on every result', async () => {
    const engine = newEngine('fallback', 'auto');
    const model = testModel('zoe-clamp');
    const info = await engine.load(model);
    expect(info.provider).toBe('cpu');
    expect(info.providerFallbackReason).toMatch(/webgpu/i);
    const photo = (await syntheticPhoto(64, 48, 1)).png;
    for (let i = 0; i < 2; i++) {
      const depth = await engine.estimate(photo, model);
      expect(depth.provider).toBe('cpu');
      expect(depth.providerFallbackReason).toMatch(/webgpu/i);
    }
  });

  it('records no fallback when CPU was asked for', async () => {
    const engine = newEngine('cpu-only', 'cpu');
    const info = await engine.load(testModel('zoe-clamp'));
    expect(info).toMatchObject({ provider: 'cpu', fromOptimisedCache: false });
    expect(info.providerFallbackReason).toBeUndefined();
  });
});

describe('loading', () => {
  it('shares one load between concurrent callers and reports progress', async () => {
    const engine = newEngine('shared');
    const model = testModel('zoe-fixed');
    const seen: LoadProgress[] = [];
    const [a, b] = await Promise.all([engine.load(model, (p) => seen.push(p)), engine.load(model)]);
    expect(a).toBe(b);
    const stages = seen.map((p) => p.stage).filter((stage, i, all) => stage !== all[i - 1]);
    expect(stages).toEqual(['reading', 'optimising', 'creating-session', 'ready']);
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(await engine.load(model)).toBe(a);
  });

  it('saves the optimised graph once; later loads use it and give the same depth', async () => {
    const model = testModel('zoe-fixed');
    const photo = (await syntheticPhoto(200, 150, 4)).png;
    const first = newEngine('optimised');
    expect((await first.load(model)).fromOptimisedCache).toBe(false);
    const before = await first.estimate(photo, model);
    await first.dispose();

    const entries = await readdir(join(root, 'optimised'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(/^test-fixed-[0-9a-f]{16}-ort1\.30\.0-cpu$/);
    const files = await readdir(join(root, 'optimised', entries[0] ?? ''));
    expect(files.sort()).toEqual(['complete.json', 'model.onnx', 'weights.bin']);

    const second = newEngine('optimised');
    const stages: string[] = [];
    const info = await second.load(model, (p) => stages.push(p.stage));
    expect(info.fromOptimisedCache).toBe(true);
    expect(stages).not.toContain('optimising');
    const after = await second.estimate(photo, model);
    expect(maxAbsDifference(after.metres, before.metres)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDifference(modelOutputOf(after)?.metres ?? [], modelOutputOf(before)?.metres ?? [])).toBeLessThanOrEqual(1e-6);
  });

  it('rebuilds a damaged optimised cache instead of failing', async () => {
    const model = testModel('zoe-clamp');
    const first = newEngine('damaged');
    await first.load(model);
    await first.dispose();
    const [entry] = await readdir(join(root, 'damaged'));
    await writeFile(join(root, 'damaged', entry ?? '', 'model.onnx'), 'not a model any more');
    const second = newEngine('damaged');
    const info = await second.load(model);
    expect(info.fromOptimisedCache).toBe(false);
    expect((await readFile(join(root, 'damaged', entry ?? '', 'model.onnx'))).length).toBeGreaterThan(100);
    const third = newEngine('damaged');
    expect((await third.load(model)).fromOptimisedCache).toBe(true);
  });

  it('removes the same model’s stale optimised graphs (older runtime, changed file) when it saves a new one', async () => {
    const dir = join(root, 'pruning');
    const stale = ['test-clamp-0123456789abcdef-ort1.29.0-cpu', 'test-clamp-fedcba9876543210-ort1.30.0-cpu'];
    const kept = ['test-clamp-0123456789abcdef-ort1.29.0-webgpu', 'test-clamp2-0123456789abcdef-ort1.29.0-cpu', 'test-clamp-0123456789abcdef-ort1.30.0-cpu.tmp-1-2-3'];
    for (const name of [...stale, ...kept]) {
      await mkdir(join(dir, name), { recursive: true });
      await writeFile(join(dir, name, 'model.onnx'), 'old');
    }
    await newEngine('pruning').load(testModel('zoe-clamp'));
    const left = await readdir(dir);
    for (const name of stale) expect(left).not.toContain(name);
    for (const name of kept) expect(left).toContain(name);
    expect(left.filter((n) => /^test-clamp-[0-9a-f]{16}-ort1\.30\.0-cpu$/.test(n))).toHaveLength(1);
  });

  it('refuses a file that is not a model with MODEL_INVALID, and tries again on the next call', async () => {
    const engine = newEngine('invalid');
    const model = testModel('zoe-clamp');
    const invalid = { manifest: { ...model.manifest, id: 'test-invalid' }, modelPath: join(model.modelPath, '..', 'invalid.onnx') };
    for (let i = 0; i < 2; i++) {
      const error = await engine.load(invalid).then(
        () => undefined,
        (e: unknown) => e
      );
      expect(error).toBeInstanceOf(ZoeError);
      expect((error as ZoeError).code).toBe('MODEL_INVALID');
    }
    // The engine still runs good models.
    expect((await engine.estimate((await syntheticPhoto(32, 32, 1)).png, model)).metres.length).toBe(32 * 32);
  });

  it('refuses, photo by photo, a model whose output is not a float32 depth map', async () => {
    const engine = newEngine('double-output');
    const modelPath = join(TEST_MODELS_DIR, 'double-output.onnx');
    const double = { manifest: modelManifestSchema.parse(JSON.parse(await readFile(join(TEST_MODELS_DIR, 'double-output.json'), 'utf8'))), modelPath };
    await engine.load(double);
    await expect(engine.estimate((await syntheticPhoto(40, 30, 1)).png, double)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });

  it('refuses a manifest whose fixed input size is not the model’s', async () => {
    const engine = newEngine('bad-size');
    const model = testModel('zoe-clamp');
    const wrong = { manifest: { ...model.manifest, input: { ...model.manifest.input, size: { kind: 'fixed' as const, height: 384, width: 512 } } }, modelPath: model.modelPath };
    await expect(engine.load(wrong)).rejects.toMatchObject({ code: 'MODEL_INVALID', message: expect.stringMatching(/512×384/) });
  });

  it('refuses a manifest naming an output the model does not have', async () => {
    const engine = newEngine('bad-output');
    const model = testModel('zoe-clamp');
    const wrong = { manifest: { ...model.manifest, output: { ...model.manifest.output, index: 3 } }, modelPath: model.modelPath };
    await expect(engine.load(wrong)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });
});

describe('queue and cancellation', () => {
  it('runs photos one at a time in order, drops a cancelled queued photo and discards a cancelled running one', async () => {
    const engine = newEngine('queue');
    const model = testModel('zoe-fixed');
    await engine.load(model);
    const photo = (await syntheticPhoto(400, 300, 8)).png;
    const running = new AbortController();
    const queued = new AbortController();
    const settled: string[] = [];
    const track = (name: string, p: Promise<unknown>): Promise<unknown> =>
      p.then(
        () => settled.push(`${name}:ok`),
        (e: unknown) => settled.push(`${name}:${e instanceof ZoeError ? e.code : 'error'}`)
      );
    const jobs = [
      track('first', engine.estimate(photo, model, { signal: running.signal })),
      track('second', engine.estimate(photo, model, { signal: queued.signal })),
      track('third', engine.estimate(photo, model))
    ];
    // The first is running, the second and third wait.
    await new Promise((r) => setTimeout(r, 5));
    queued.abort();
    running.abort();
    await Promise.all(jobs);
    expect(settled).toEqual(['second:CANCELLED', 'first:CANCELLED', 'third:ok']);
    const aborted = new AbortController();
    aborted.abort();
    await expect(engine.estimate(photo, model, { signal: aborted.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('closing the engine cancels the running and the waiting photos, and refuses new work', async () => {
    const engine = newEngine('closing');
    const model = testModel('zoe-fixed');
    await engine.load(model);
    const photo = (await syntheticPhoto(300, 200, 2)).png;
    const jobs = [engine.estimate(photo, model), engine.estimate(photo, model)].map((p) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof ZoeError ? e.code : 'error')
      )
    );
    await new Promise((r) => setTimeout(r, 5));
    await engine.dispose();
    expect(await Promise.all(jobs)).toEqual(['CANCELLED', 'CANCELLED']);
    await expect(engine.load(model)).rejects.toBeInstanceOf(ZoeError);
  });
});

describe('the busy test model', () => {
  it('does real extra work yet gives exactly the depth of the plain fixed model it is built from', async () => {
    const engine = newEngine('busy');
    const { png } = await syntheticPhoto(320, 240, 7);
    const plain = await engine.estimate(png, testModel('zoe-fixed'));
    const busy = await engine.estimate(png, testModel('zoe-busy'));
    expect(maxAbsDifference(busy.metres, plain.metres)).toBe(0);
    const graph = await readFile(join(TEST_MODELS_DIR, 'zoe-busy.onnx'));
    const plainGraph = await readFile(join(TEST_MODELS_DIR, 'zoe-fixed.onnx'));
    // 128-channel 3×3 convolution weights make it far larger than the plain model.
    expect(graph.byteLength).toBeGreaterThan(plainGraph.byteLength + 128 * 128 * 9 * 4);
  });
});
