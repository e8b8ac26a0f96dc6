/**
 * The generated test models (`npm run models:test` writes them to tests/fixtures/models, which git
 * ignores). A missing model fails the test with the command to run, rather than skipping it.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { InstalledModel } from '../../../src/main/depth';
import { readManifestFile } from '../../../src/main/models/layout';

export const TEST_MODELS_DIR = path.resolve(__dirname, '../../fixtures/models');

/** `tests/fixtures/models/<name>.onnx` with the manifest beside it (`<name>.json`). */
export async function testModel(name: string): Promise<InstalledModel> {
  const modelPath = path.join(TEST_MODELS_DIR, `${name}.onnx`);
  try {
    await access(modelPath);
  } catch {
    throw new Error(`The test model ${modelPath} is missing: run \`npm run models:test\` first.`);
  }
  return { modelPath, manifest: await readManifestFile(path.join(TEST_MODELS_DIR, `${name}.json`)) };
}
