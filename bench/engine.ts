/**
 * `npm run bench:engine`: the depth engine on a model with realistic compute (ViT-L/16 + DPT-like
 * decoder, ~300 M random parameters, 384×512) and a 24-megapixel JPEG. Prints, asserts nothing:
 * cold and warm (optimised-cache) load time and peak memory (each in its own process); bare
 * `session.run` time on the cached graph and on the original fully optimised one; end-to-end time
 * with flip averaging and its ratio to the bare runs (flip counts as two runs); decode, pre- and
 * post-processing; the full-resolution map.
 * Generated files live in bench/models/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { DepthEngine } from '../src/main/depth';
import type { InstalledModel } from '../src/main/depth';
import { modelManifestSchema } from '../src/shared/manifest';
import { existingRealisticModel, makeRealisticModel } from './make-realistic-model';

const MODELS_DIR = join(__dirname, 'models');
const CACHE_DIR = join(MODELS_DIR, 'optimised-cache');
const PHOTO = join(MODELS_DIR, 'photo-24mp.jpg');

function installedModel(modelPath: string): InstalledModel {
  const manifest = modelManifestSchema.parse({
    id: 'bench-vit-l16-dpt',
    title: 'Bench: ViT-L/16 + DPT-like decoder, random weights',
    licence: { name: 'MIT (generated)' },
    input: { name: 'input', layout: 'NCHW', valueRange: '0-1', size: { kind: 'fixed', height: 384, width: 512 }, normalisation: { kind: 'in-graph' } },
    output: { name: 'metric_depth', unit: 'metres', kind: 'metric' },
    depthRange: { min: 0.001, max: 10 },
    domain: 'indoor',
    defaults: { flip: true, pad: true }
  });
  return { manifest, modelPath };
}

const ms = (value: number): string => `${value.toFixed(0).padStart(7)} ms`;
const mb = (kilobytes: number): string => `${(kilobytes / 1024).toFixed(0).padStart(7)} MB`;

/** Child process: one load, printing its time and the process's peak memory as JSON. */
async function loadOnly(modelPath: string): Promise<void> {
  const engine = new DepthEngine({ optimisedCacheDir: CACHE_DIR, device: 'cpu' });
  const info = await engine.load(installedModel(modelPath));
  await engine.dispose();
  console.log(JSON.stringify({ loadMs: info.loadMs, fromOptimisedCache: info.fromOptimisedCache, maxRssKb: process.resourceUsage().maxRSS }));
}

function loadInChild(modelPath: string): { loadMs: number; fromOptimisedCache: boolean; maxRssKb: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--load-only', modelPath], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) throw new Error(`load child failed: ${child.stderr}`);
  return JSON.parse(line) as { loadMs: number; fromOptimisedCache: boolean; maxRssKb: number };
}

/** A plain session on the same optimised graph, with the engine's threading settings. */
async function bareSession(modelFile: string, level: 'disabled' | 'all'): Promise<{ run: () => Promise<number>; release: () => Promise<void> }> {
  const session = await ort.InferenceSession.create(modelFile, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: level,
    extra: { session: { 'intra_op.allow_spinning': '0', 'inter_op.allow_spinning': '0' } }
  });
  const values = new Float32Array(3 * 384 * 512);
  for (let i = 0; i < values.length; i++) values[i] = (i % 1000) / 1000;
  const input = new ort.Tensor('float32', values, [1, 3, 384, 512]);
  return {
    run: async () => {
      const started = performance.now();
      await session.run({ input });
      return performance.now() - started;
    },
    release: () => session.release()
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main(): Promise<void> {
  const loadOnlyIndex = process.argv.indexOf('--load-only');
  const loadOnlyPath = process.argv[loadOnlyIndex + 1];
  if (loadOnlyIndex >= 0 && loadOnlyPath !== undefined) return loadOnly(loadOnlyPath);

  console.log(`Zoe Studio engine bench — onnxruntime-node ${ort.env.versions.node ?? '?'}, sharp ${sharp.versions.sharp}, ${process.platform}/${process.arch}`);
  let started = performance.now();
  let modelPath = existingRealisticModel(MODELS_DIR);
  if (modelPath === undefined) {
    const made = await makeRealisticModel(MODELS_DIR);
    modelPath = made.modelPath;
    console.log(`generated model             ${ms(performance.now() - started)}  (${(made.parameters / 1e6).toFixed(0)} M parameters)`);
  }
  if (!existsSync(PHOTO)) {
    started = performance.now();
    await sharp({ create: { width: 6000, height: 4000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .blur(1.5)
      .jpeg({ quality: 90 })
      .toFile(PHOTO);
    console.log(`generated 24 MP JPEG        ${ms(performance.now() - started)}`);
  }

  await rm(CACHE_DIR, { recursive: true, force: true });
  const cold = loadInChild(modelPath);
  const warm = loadInChild(modelPath);
  console.log(`cold load (optimise + save) ${ms(cold.loadMs)}  peak RSS ${mb(cold.maxRssKb)}  from cache: ${cold.fromOptimisedCache}`);
  console.log(`warm load (optimised cache) ${ms(warm.loadMs)}  peak RSS ${mb(warm.maxRssKb)}  from cache: ${warm.fromOptimisedCache}`);

  const engine = new DepthEngine({ optimisedCacheDir: CACHE_DIR, device: 'cpu' });
  const model = installedModel(modelPath);
  await engine.load(model);
  const bare = await bareSession(join(CACHE_DIR, (await readdir(CACHE_DIR))[0] ?? '', 'model.onnx'), 'disabled');
  const original = await bareSession(modelPath, 'all');
  await bare.run();
  await original.run();
  await engine.estimate(PHOTO, model);

  // Rounds alternate bare runs and engine runs, so a busy machine slows both alike.
  const rounds: { bare: number; original: number; total: number; inference: number; decode: number; pre: number; post: number }[] = [];
  let depth = await engine.estimate(PHOTO, model);
  for (let round = 0; round < 5; round++) {
    const bareFlip = (await bare.run()) + (await bare.run());
    const originalFlip = (await original.run()) + (await original.run());
    depth = await engine.estimate(PHOTO, model);
    const t = depth.timings;
    rounds.push({ bare: bareFlip, original: originalFlip, total: t.totalMs, inference: t.inferenceMs, decode: t.decodeMs, pre: t.preprocessMs, post: t.postprocessMs });
  }
  await bare.release();
  await original.release();
  started = performance.now();
  await engine.toPhotoResolution(depth);
  const fullColdMs = performance.now() - started;
  started = performance.now();
  const full = await engine.toPhotoResolution(depth);
  const fullMs = performance.now() - started;
  await engine.dispose();

  const m = (key: keyof (typeof rounds)[number]): number => median(rounds.map((r) => r[key]));
  console.log(`photo                       ${depth.photoWidth}×${depth.photoHeight}, display grid ${depth.width}×${depth.height}, flip + pad; medians of ${rounds.length} rounds`);
  console.log(`bare session.run ×2 (flip)  ${ms(m('bare'))}   per round: ${rounds.map((r) => r.bare.toFixed(0)).join(', ')}`);
  console.log(`same, original graph 'all'  ${ms(m('original'))}   per round: ${rounds.map((r) => r.original.toFixed(0)).join(', ')}  (the cached graph must not run slower)`);
  console.log(`engine inference (2 runs)   ${ms(m('inference'))}`);
  console.log(`decode (sharp, 24 MP)       ${ms(m('decode'))}`);
  console.log(`pre-processing              ${ms(m('pre'))}`);
  console.log(`post-processing (display)   ${ms(m('post'))}`);
  console.log(`pre + post                  ${ms(median(rounds.map((r) => r.pre + r.post)))}   (target ≤ 150 ms)`);
  console.log(`end-to-end                  ${ms(m('total'))}   per round: ${rounds.map((r) => r.total.toFixed(0)).join(', ')}`);
  console.log(`ratio end-to-end / 2 runs   ${median(rounds.map((r) => r.total / r.bare)).toFixed(3).padStart(10)}   per round: ${rounds.map((r) => (r.total / r.bare).toFixed(3)).join(', ')}   (target ≤ 1.05)`);
  console.log(`ratio end-to-end / own runs ${median(rounds.map((r) => r.total / r.inference)).toFixed(3).padStart(10)}   per round: ${rounds.map((r) => (r.total / r.inference).toFixed(3)).join(', ')}   (same call: immune to other processes)`);
  const best = Math.min(...rounds.map((r) => r.total)) / Math.min(...rounds.map((r) => r.bare));
  console.log(`ratio, best of each         ${best.toFixed(3).padStart(10)}   (fastest end-to-end / fastest 2 bare runs)`);
  console.log(`full resolution map         ${ms(fullMs)}  (${full.width}×${full.height}, worker thread; first call ${fullColdMs.toFixed(0)} ms with worker start)`);
  console.log(`peak RSS of this process    ${mb(process.resourceUsage().maxRSS)}`);
  console.log(`load average (1, 5, 15 min) ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${cpus().length} cores`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
