/**
 * Where installed models live: `<dataDir>/models/<id>/model.onnx` beside its `manifest.json`
 * (plus any external-data files the graph loads). A download in progress is `model.onnx.partial`.
 */
import path from 'node:path';
import { modelManifestSchema, type ModelManifest } from '../../shared/manifest';
import { ZoeError } from '../../shared/errors';
import { pathExists } from '../fs/exists';
import { readTextFile } from '../fs/read-file';

export const MODEL_FILE_NAME = 'model.onnx';
export const MANIFEST_FILE_NAME = 'manifest.json';
/** A model description is a few kilobytes; anything much larger is not one. */
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Model files larger than this are refused (ZoeDepth exports are about 1.4 GB). */
export const MAX_MODEL_BYTES = 16 * 1024 ** 3;

/** The folder holding every installed model. */
export function modelsFolderOf(dataDir: string): string {
  return path.join(dataDir, 'models');
}

/** The folder of one model; refuses ids that could step outside the models folder. */
export function modelFolderOf(dataDir: string, id: string): string {
  if (!modelManifestSchema.shape.id.safeParse(id).success) {
    throw new ZoeError('INVALID_ARGUMENT', `“${id}” is not a model name Zoe Studio knows (use lower-case letters, digits, . _ -).`);
  }
  return path.join(modelsFolderOf(dataDir), id);
}

/** Paths of one installed model's files. */
export interface ModelFiles {
  folder: string;
  modelPath: string;
  manifestPath: string;
}

export function modelFilesOf(dataDir: string, id: string): ModelFiles {
  const folder = modelFolderOf(dataDir, id);
  return { folder, modelPath: path.join(folder, MODEL_FILE_NAME), manifestPath: path.join(folder, MANIFEST_FILE_NAME) };
}

/** Reads and validates a manifest file (JSON, the shared schema); MODEL_INVALID with the reason otherwise. */
export async function readManifestFile(manifestPath: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readTextFile(manifestPath, 'model description', MAX_MANIFEST_BYTES);
  } catch (error) {
    if (error instanceof ZoeError && error.code !== 'NOT_FOUND') throw error;
    throw new ZoeError('IO_ERROR', `Zoe Studio could not read the model description ${path.basename(manifestPath)}.`, {
      detail: error instanceof Error ? error.message : String(error),
      cause: error
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ZoeError('MODEL_INVALID', `The model description ${path.basename(manifestPath)} is not valid JSON.`, {
      detail: error instanceof Error ? error.message : String(error),
      cause: error
    });
  }
  return parseManifest(json, path.basename(manifestPath));
}

/** Validates a manifest value; MODEL_INVALID naming the first wrong fields otherwise. */
export function parseManifest(value: unknown, where: string): ModelManifest {
  const parsed = modelManifestSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('; ');
    throw new ZoeError('MODEL_INVALID', `The model description ${where} is not valid (${fields}).`, { detail: parsed.error.message });
  }
  return parsed.data;
}

/** The description a model file brings along: `name.json` or `name.onnx.json` beside it; none otherwise. */
export async function manifestBeside(modelPath: string): Promise<ModelManifest | undefined> {
  const stem = modelPath.replace(/\.onnx$/i, '');
  for (const candidate of [`${stem}.json`, `${modelPath}.json`]) {
    if (await pathExists(candidate)) return readManifestFile(candidate);
  }
  return undefined;
}
