/**
 * Test models and photos for the depth engine tests: makes sure `npm run models:test` output
 * exists, and turns a test model's spec into reference-pipeline settings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ModelManifest } from '../../src/shared/manifest';
import { modelManifestSchema } from '../../src/shared/manifest';
import type { TestModelSpec } from '../../tools/test-models';
import { TEST_MODELS, writeTestModels } from '../../tools/test-models';
import type { Planes, ReferenceSettings } from './zoe-reference';
import { applyExifOrientation, rgbToPlanes } from './zoe-reference';

export const REPO_ROOT = join(__dirname, '..', '..');
export const TEST_MODELS_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'models');
export const PHOTOS_DIR = join(REPO_ROOT, 'tests', 'fixtures', 'photos');

/** Writes the test models if `npm run models:test` has not been run. */
export async function ensureTestModels(): Promise<void> {
  const missing = [...TEST_MODELS.map((m) => `${m.name}.onnx`), 'invalid.onnx', 'not-rgb.onnx', 'double-output.onnx'].some((f) => !existsSync(join(TEST_MODELS_DIR, f)));
  if (missing) await writeTestModels(TEST_MODELS_DIR);
}

/** A test model as the engine gets it, with the spec of what it computes. */
export interface TestModel {
  spec: TestModelSpec;
  manifest: ModelManifest;
  modelPath: string;
}

/** One of the generated test models by file stem (`zoe-fixed`, …). */
export function testModel(name: string): TestModel {
  const spec = TEST_MODELS.find((m) => m.name === name);
  if (spec === undefined) throw new Error(`no test model ${name}`);
  const manifest = modelManifestSchema.parse(JSON.parse(readFileSync(join(TEST_MODELS_DIR, `${name}.json`), 'utf8')));
  return { spec, manifest, modelPath: join(TEST_MODELS_DIR, `${name}.onnx`) };
}

/** MiDaS "minimal" resize written out again, for the dynamic test models' reference. */
function referenceMinimalSize(paddedHeight: number, paddedWidth: number, targetHeight: number, targetWidth: number): { height: number; width: number } {
  let sh = targetHeight / paddedHeight;
  let sw = targetWidth / paddedWidth;
  if (Math.abs(1 - sw) < Math.abs(1 - sh)) sh = sw;
  else sw = sh;
  const toMultiple = (v: number): number => {
    const q = v / 32;
    const f = Math.floor(q);
    const r = q - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(q);
    return r * 32;
  };
  return { height: toMultiple(sh * paddedHeight), width: toMultiple(sw * paddedWidth) };
}

/** Reference-pipeline settings for a test model and options. */
export function referenceSettings(model: TestModel, options: { flip: boolean; pad: boolean }): ReferenceSettings {
  const n = model.manifest.input.normalisation;
  const size = model.manifest.input.size;
  return {
    fn: model.spec.depth,
    normalisation: n.kind === 'external' ? { mean: [...n.mean], std: [...n.std] } : { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
    inputSize:
      size.kind === 'fixed'
        ? () => ({ height: size.height, width: size.width })
        : (paddedHeight, paddedWidth) => referenceMinimalSize(paddedHeight, paddedWidth, size.targetHeight, size.targetWidth),
    flip: options.flip,
    pad: options.pad,
    range: model.manifest.depthRange
  };
}

/** A photo's stored pixels (no orientation applied by sharp), turned upright by the reference code. */
export async function uprightPlanesByHand(file: string): Promise<{ planes: Planes; orientation: number }> {
  const metadata = await sharp(file).metadata();
  const { data, info } = await sharp(file).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const orientation = metadata.orientation ?? 1;
  const upright = applyExifOrientation(data, info.width, info.height, orientation);
  return { planes: rgbToPlanes(upright.data, upright.width, upright.height), orientation };
}

/** A synthetic photo as JPEG-free RGB planes and PNG bytes (lossless, so both sides see the same pixels). */
export async function syntheticPhoto(width: number, height: number, seed: number): Promise<{ png: Buffer; planes: Planes }> {
  const data = new Uint8Array(width * height * 3);
  let state = seed >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / Math.max(1, width - 1);
      data[i + 1] = (y * 255) / Math.max(1, height - 1);
      data[i + 2] = state >>> 24;
    }
  }
  const png = await sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
  return { png, planes: rgbToPlanes(data, width, height) };
}
