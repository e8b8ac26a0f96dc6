/** `--model`: a catalog id installed in the data folder, or a path to an `.onnx` file. */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { ZoeError } from '../../shared/errors';
import { inferManifestFromModel, loadCatalog, type InstalledModel } from '../depth';
import { readManifestFile } from '../models/layout';
import { ModelManager } from '../models/manager';

async function exists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}

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
  if (!(await exists(modelPath))) throw new ZoeError('NOT_FOUND', `There is no model file “${argument}”.`);
  if (options.manifestPath !== undefined) {
    return { modelPath, manifest: await readManifestFile(path.resolve(options.cwd, options.manifestPath)) };
  }
  const stem = modelPath.replace(/\.onnx$/i, '');
  for (const beside of [`${stem}.json`, `${modelPath}.json`]) {
    if (await exists(beside)) return { modelPath, manifest: await readManifestFile(beside) };
  }
  return { modelPath, manifest: await inferManifestFromModel(modelPath) };
}
