/** `--model`: a catalog id installed in the data folder, or a path to an `.onnx` file. */
import path from 'node:path';
import { ZoeError } from '../../shared/errors';
import { inferManifestFromModel, loadCatalog, type InstalledModel } from '../depth';
import { checkRegularFile } from '../fs/read-file';
import { manifestBeside, MAX_MODEL_BYTES, readManifestFile } from '../models/layout';
import { ModelManager } from '../models/manager';

/** True when `--model` names a file rather than a catalog id. */
export function looksLikeModelPath(argument: string): boolean {
  return argument.toLowerCase().endsWith('.onnx') || argument.includes('/') || argument.includes('\\');
}

/** The manager for the data folder, with the bundled catalog. */
export async function openModelManager(dataDir: string, resourcesDir: string): Promise<ModelManager> {
  const catalog = await loadCatalog(resourcesDir);
  return new ModelManager({ dataDir, catalog, inferManifest: (modelPath) => inferManifestFromModel(modelPath) });
}

/**
 * The model `--model` names. For a file: the manifest given with `--manifest`, else
 * `<model>.json` beside it (`zoed.json` or `zoed.onnx.json`), else one inferred from its input shape.
 */
export async function resolveModelArgument(
  argument: string,
  options: { manifestPath?: string; cwd: string; dataDir: string; resourcesDir: string }
): Promise<InstalledModel> {
  if (!looksLikeModelPath(argument)) {
    if (options.manifestPath !== undefined) throw new ZoeError('INVALID_ARGUMENT', '--manifest goes with a model file, not with a catalog model name.');
    const manager = await openModelManager(options.dataDir, options.resourcesDir);
    return manager.resolve(argument);
  }
  const modelPath = path.resolve(options.cwd, argument);
  // A pipe or a device named .onnx would make the model loader wait or read for ever.
  await checkRegularFile(modelPath, { maxBytes: MAX_MODEL_BYTES, what: 'model file' });
  if (options.manifestPath !== undefined) {
    return { modelPath, manifest: await readManifestFile(path.resolve(options.cwd, options.manifestPath)) };
  }
  return { modelPath, manifest: (await manifestBeside(modelPath)) ?? (await inferManifestFromModel(modelPath)) };
}
