/**
 * The optimised-graph cache that makes second and later model loads fast (issue 3, "Loading a real
 * model is expensive, and must not be"): the first load optimises the graph fully and onnxruntime
 * saves the result (weights as external data, so big models pass the 2 GB protobuf limit); later
 * loads open the saved graph with optimisation off.
 *
 * Layout: `<cacheDir>/<modelId>-<fingerprint>-ort<version>-<provider>/{model.onnx, weights.bin, complete.json}`.
 * The folder is written under a temporary name and renamed into place, so a half-written cache is
 * never used; `complete.json` is the last file written and is checked on every use.
 */
import { createHash } from 'node:crypto';
import { cpus } from 'node:os';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const OPTIMISED_MODEL_FILE = 'model.onnx';
export const OPTIMISED_WEIGHTS_FILE = 'weights.bin';
const COMPLETE_FILE = 'complete.json';

const completeRecordSchema = z.strictObject({
  modelId: z.string(),
  fingerprint: z.string(),
  ortVersion: z.string(),
  provider: z.string(),
  createdAt: z.string()
});

/** Where one model's optimised graph lives for one runtime version and provider. */
export interface OptimisedCacheEntry {
  directory: string;
  modelFile: string;
  fingerprint: string;
  modelId: string;
  ortVersion: string;
  provider: string;
}

/**
 * A fingerprint of the model file (path, size, modification time) and of this machine's CPU, whose
 * vector width the fully optimised CPU graph depends on.
 */
export async function modelFingerprint(modelPath: string): Promise<string> {
  const info = await stat(modelPath);
  const cpu = cpus()[0]?.model ?? 'unknown-cpu';
  return createHash('sha256')
    .update(JSON.stringify([modelPath, info.size, info.mtimeMs, process.arch, cpu]))
    .digest('hex')
    .slice(0, 16);
}

/** The cache entry for a model, runtime version and provider (nothing is created). */
export async function optimisedCacheEntry(cacheDir: string, modelId: string, modelPath: string, ortVersion: string, provider: string): Promise<OptimisedCacheEntry> {
  const fingerprint = await modelFingerprint(modelPath);
  const directory = join(cacheDir, `${modelId}-${fingerprint}-ort${ortVersion}-${provider}`);
  return { directory, modelFile: join(directory, OPTIMISED_MODEL_FILE), fingerprint, modelId, ortVersion, provider };
}

/** Whether the entry was completely written for exactly this model, runtime and provider. */
export async function isCacheComplete(entry: OptimisedCacheEntry): Promise<boolean> {
  try {
    const parsed = completeRecordSchema.safeParse(JSON.parse(await readFile(join(entry.directory, COMPLETE_FILE), 'utf8')));
    if (!parsed.success) return false;
    const record = parsed.data;
    await stat(entry.modelFile);
    return record.fingerprint === entry.fingerprint && record.ortVersion === entry.ortVersion && record.provider === entry.provider && record.modelId === entry.modelId;
  } catch {
    return false;
  }
}

/** A fresh temporary folder beside the entry, for onnxruntime to write the optimised graph into. */
export async function startCacheWrite(entry: OptimisedCacheEntry): Promise<string> {
  const temporary = `${entry.directory}.tmp-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
  await mkdir(temporary, { recursive: true });
  return temporary;
}

/** Marks the temporary folder complete and renames it into place (another writer may have won). */
export async function finishCacheWrite(entry: OptimisedCacheEntry, temporary: string): Promise<boolean> {
  const record = { modelId: entry.modelId, fingerprint: entry.fingerprint, ortVersion: entry.ortVersion, provider: entry.provider, createdAt: new Date().toISOString() };
  try {
    await stat(join(temporary, OPTIMISED_MODEL_FILE));
    // Another process (the app and the CLI share the folder) may have finished first: keep its copy,
    // which it may be reading right now.
    if (await isCacheComplete(entry)) {
      await rm(temporary, { recursive: true, force: true });
      return false;
    }
    await writeFile(join(temporary, COMPLETE_FILE), JSON.stringify(record, null, 2));
    await rm(entry.directory, { recursive: true, force: true });
    await rename(temporary, entry.directory);
    return true;
  } catch {
    await rm(temporary, { recursive: true, force: true });
    return false;
  }
}

/** Removes an entry that could not be used, so the next load rebuilds it. */
export async function discardCacheEntry(entry: OptimisedCacheEntry): Promise<void> {
  await rm(entry.directory, { recursive: true, force: true });
}

const STALE_TEMPORARY_MS = 24 * 60 * 60 * 1000;

/**
 * Removes what an entry replaces: the same model's entries for this provider made from another
 * model file or runtime version (each can weigh as much as the model), and temporary folders that a
 * crashed load left behind more than a day ago.
 */
export async function pruneStaleEntries(cacheDir: string, keep: OptimisedCacheEntry): Promise<string[]> {
  const escaped = keep.modelId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const sameModel = new RegExp(`^${escaped}-[0-9a-f]{16}-ort[^/]+-${keep.provider}(\\.tmp-.*)?$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = join(cacheDir, name);
    if (path === keep.directory || !sameModel.test(name)) continue;
    if (name.includes('.tmp-')) {
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < STALE_TEMPORARY_MS) continue;
    }
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

