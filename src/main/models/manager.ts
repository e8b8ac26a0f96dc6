/**
 * The model manager: which models the catalog offers and which are installed in the user's
 * models folder; installing from the catalog (resumable, checked download), importing a local
 * `.onnx`, verifying and removing. Used by the app's models screen and by `zoe models`.
 */
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ZoeError } from '../../shared/errors';
import type { ModelCatalog, ModelManifest, ModelManifestInput } from '../../shared/manifest';
import type { InstalledModel } from '../depth';
import { copyFileAtomic, writeJsonAtomic } from '../fs/atomic';
import { sha256OfFile } from '../fs/hash';
import { downloadVerified, partialPathOf, type DownloadProgress } from './download';
import { MAX_MODEL_BYTES, modelFilesOf, modelsFolderOf, parseManifest, readManifestFile } from './layout';
import { checkRegularFile } from '../fs/read-file';
import { describeNonOnnxStart, describeOnnxFileProblem } from './onnx-file';
import { readModelContract, type TensorDescription } from './session-check';

export type { InstalledModel };

export type ModelState = 'not-installed' | 'installed' | 'corrupt';

/** One line of the models list. */
export interface ModelListing {
  id: string;
  title: string;
  /** From the bundled catalog, or imported by the photographer. */
  origin: 'catalog' | 'imported';
  state: ModelState;
  /** The installed manifest, else the catalog's; `null` only when an installed manifest is unreadable. */
  manifest: ModelManifest | null;
  /** Where the model file is, when installed. */
  modelPath: string | null;
  sizeBytes: number | null;
  /** Bytes of an interrupted download that `install` will resume from. */
  partialBytes: number | null;
  /** Why the model is `corrupt`. */
  problem?: string;
}

/** Options of `install`. */
export interface InstallOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Attempts per address when the connection drops (each resumes); default 4. */
  attempts?: number;
  /** A transfer that receives nothing for this long is dropped and resumed; default 60 s. */
  idleTimeoutMs?: number;
}

/** What `verify` found. */
export interface VerifyReport {
  id: string;
  ok: boolean;
  sizeBytes: number;
  sha256: string;
  /** Whether the catalog publishes a checksum to compare with. */
  checksumKnown: boolean;
  inputs: TensorDescription[];
  outputs: TensorDescription[];
  problems: string[];
}

export interface ModelManagerOptions {
  /** The app's data folder; models go to `<dataDir>/models`. */
  dataDir: string;
  /** The bundled catalog (`resources/models/catalog.json`). */
  catalog: ModelCatalog;
  /** Makes a manifest for an imported model from its input shape, when the photographer gives none. */
  inferManifest?: (modelPath: string) => Promise<ModelManifest>;
}

async function sizeOf(filePath: string): Promise<number | null> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

async function firstBytes(filePath: string, count: number): Promise<Buffer> {
  const handle = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export class ModelManager {
  private readonly dataDir: string;
  private readonly catalog: ModelCatalog;
  private readonly inferManifest: ((modelPath: string) => Promise<ModelManifest>) | undefined;
  /** Installs in progress, by id: a second request for the same model joins the first. */
  private readonly installing = new Map<string, Promise<InstalledModel>>();

  constructor(options: ModelManagerOptions) {
    this.dataDir = options.dataDir;
    this.catalog = options.catalog;
    this.inferManifest = options.inferManifest;
  }

  /** The folder holding the installed models. */
  get modelsFolder(): string {
    return modelsFolderOf(this.dataDir);
  }

  private catalogEntry(id: string): ModelManifest | undefined {
    return this.catalog.models.find((model) => model.id === id);
  }

  /** Catalog models (installed or not) and imported ones, catalog first, each with its state. */
  async list(): Promise<ModelListing[]> {
    const listings: ModelListing[] = [];
    for (const entry of this.catalog.models) listings.push(await this.describe(entry.id, entry));
    let folders: string[];
    try {
      folders = (await readdir(this.modelsFolder, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch {
      folders = [];
    }
    for (const id of folders.sort()) {
      if (this.catalogEntry(id) !== undefined || id.startsWith('.')) continue;
      try {
        const listing = await this.describe(id, undefined);
        if (listing.state !== 'not-installed') listings.push(listing);
      } catch {
        continue; // a folder whose name is not a model id: not ours
      }
    }
    return listings;
  }

  /** The state of one model, checked cheaply (files present, sizes, manifest, first bytes); `verify` goes further. */
  private async describe(id: string, catalogEntry: ModelManifest | undefined): Promise<ModelListing> {
    const files = modelFilesOf(this.dataDir, id);
    const modelSize = await sizeOf(files.modelPath);
    const partialBytes = await sizeOf(partialPathOf(files.modelPath));
    const base = {
      id,
      title: catalogEntry?.title ?? id,
      origin: catalogEntry === undefined ? ('imported' as const) : ('catalog' as const),
      manifest: catalogEntry ?? null,
      modelPath: null,
      sizeBytes: null,
      partialBytes
    };
    if (modelSize === null) return { ...base, state: 'not-installed' };
    const corrupt = (problem: string, manifest: ModelManifest | null): ModelListing => ({
      ...base,
      manifest,
      state: 'corrupt',
      modelPath: files.modelPath,
      sizeBytes: modelSize,
      problem
    });
    let manifest: ModelManifest;
    try {
      manifest = await readManifestFile(files.manifestPath);
    } catch (error) {
      return corrupt(error instanceof Error ? error.message : String(error), catalogEntry ?? null);
    }
    if (manifest.id !== id) return corrupt(`its description names “${manifest.id}”, not “${id}”`, manifest);
    const expectedSize = manifest.source?.sizeBytes;
    if (expectedSize !== undefined && expectedSize !== modelSize) {
      return corrupt(`the model file has ${modelSize} bytes instead of ${expectedSize}`, manifest);
    }
    const startProblem = describeNonOnnxStart(await firstBytes(files.modelPath, 64));
    if (startProblem !== null) return corrupt(`the model file is damaged: ${startProblem}`, manifest);
    return { ...base, title: manifest.title, manifest, state: 'installed', modelPath: files.modelPath, sizeBytes: modelSize };
  }

  /** An installed model, ready for the depth engine; MODEL_NOT_INSTALLED or MODEL_INVALID otherwise. */
  async resolve(id: string): Promise<InstalledModel> {
    const listing = await this.describe(id, this.catalogEntry(id));
    if (listing.state === 'not-installed') {
      const hint = this.catalogEntry(id) === undefined ? 'Import it or pick another model.' : `Install it first (zoe models install ${id}).`;
      throw new ZoeError('MODEL_NOT_INSTALLED', `The model “${id}” is not installed. ${hint}`);
    }
    if (listing.state === 'corrupt' || listing.manifest === null || listing.modelPath === null) {
      throw new ZoeError('MODEL_INVALID', `The installed model “${id}” is damaged (${listing.problem ?? 'unknown reason'}). Remove it and install it again.`);
    }
    return { manifest: listing.manifest, modelPath: listing.modelPath };
  }

  /**
   * Downloads a catalog model into the models folder (nothing to do when it is already installed;
   * a damaged one is downloaded again). An interrupted transfer resumes where it stopped (now,
   * with retries, or on a later call); size, sha256 and ONNX structure are checked before the
   * file takes its final name.
   */
  install(id: string, options: InstallOptions = {}): Promise<InstalledModel> {
    const running = this.installing.get(id);
    if (running !== undefined) return running;
    const job = this.runInstall(id, options).finally(() => this.installing.delete(id));
    this.installing.set(id, job);
    return job;
  }

  private async runInstall(id: string, options: InstallOptions): Promise<InstalledModel> {
    const manifest = this.catalogEntry(id);
    if (manifest === undefined) {
      const known = this.catalog.models.map((model) => model.id).join(', ');
      throw new ZoeError('NOT_FOUND', `There is no model “${id}” in the catalog (known: ${known}).`);
    }
    const current = await this.describe(id, manifest);
    if (current.state === 'installed' && current.manifest !== null && current.modelPath !== null) {
      return { manifest: current.manifest, modelPath: current.modelPath };
    }
    const source = manifest.source;
    if (source === undefined) throw new ZoeError('DOWNLOAD_FAILED', `The catalog gives no download address for “${id}”; import the file by hand.`);
    const files = modelFilesOf(this.dataDir, id);
    await mkdir(files.folder, { recursive: true });
    const common = {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.attempts === undefined ? {} : { attempts: options.attempts }),
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs })
    };
    for (const extra of source.externalData ?? []) {
      const extraPath = path.join(files.folder, path.basename(extra.fileName));
      if ((await sizeOf(extraPath)) !== null && (extra.sizeBytes === undefined || (await sizeOf(extraPath)) === extra.sizeBytes)) continue;
      await downloadVerified({
        urls: [extra.url],
        finalPath: extraPath,
        fileName: extra.fileName,
        ...(extra.sizeBytes === undefined ? {} : { expectedSizeBytes: extra.sizeBytes }),
        ...(extra.sha256 === undefined ? {} : { expectedSha256: extra.sha256 }),
        expectOnnx: false,
        ...common
      });
    }
    // The manifest first, the model last: a model file under its final name is always whole and described.
    await writeJsonAtomic(files.manifestPath, manifest);
    await downloadVerified({
      urls: source.urls,
      finalPath: files.modelPath,
      fileName: source.fileName,
      ...(source.sizeBytes === undefined ? {} : { expectedSizeBytes: source.sizeBytes }),
      ...(source.sha256 === undefined ? {} : { expectedSha256: source.sha256 }),
      expectOnnx: true,
      ...common
    });
    return { manifest, modelPath: files.modelPath };
  }

  /**
   * Copies a local `.onnx` into the models folder (the original is only read). Its inputs and
   * outputs are checked with a real onnxruntime session against `manifest`, or against one
   * inferred from its input shape when none is given.
   */
  async import(filePath: string, manifest?: ModelManifestInput, options: { replace?: boolean } = {}): Promise<InstalledModel> {
    const fileName = path.basename(filePath);
    await checkRegularFile(filePath, { maxBytes: MAX_MODEL_BYTES, what: 'model file' });
    if (path.extname(filePath).toLowerCase() !== '.onnx') throw new ZoeError('MODEL_INVALID', `“${fileName}” is not an ONNX model (.onnx).`);
    const structureProblem = await describeOnnxFileProblem(filePath);
    if (structureProblem !== null) throw new ZoeError('MODEL_INVALID', `“${fileName}” is not a usable ONNX model: ${structureProblem}.`);
    let confirmed: ModelManifest;
    if (manifest !== undefined) {
      confirmed = parseManifest(manifest, `given for ${fileName}`);
    } else if (this.inferManifest !== undefined) {
      confirmed = await this.inferManifest(filePath);
    } else {
      throw new ZoeError('INVALID_ARGUMENT', `Describe “${fileName}” with a manifest to import it.`);
    }
    const contract = await readModelContract(filePath, confirmed);
    if (contract.problems.length > 0) {
      throw new ZoeError('MODEL_INVALID', `“${fileName}” does not match its description: ${contract.problems.join('; ')}.`);
    }
    const files = modelFilesOf(this.dataDir, confirmed.id);
    const existing = await this.describe(confirmed.id, this.catalogEntry(confirmed.id));
    if (existing.state !== 'not-installed' && options.replace !== true) {
      throw new ZoeError('INVALID_ARGUMENT', `A model named “${confirmed.id}” is already installed; remove it first or choose another name.`);
    }
    await mkdir(files.folder, { recursive: true });
    try {
      await writeJsonAtomic(files.manifestPath, confirmed);
      await copyFileAtomic(filePath, files.modelPath);
    } catch (error) {
      if (existing.state === 'not-installed') await rm(files.folder, { recursive: true, force: true });
      throw new ZoeError('IO_ERROR', `Zoe Studio could not copy “${fileName}” into its models folder.`, {
        detail: error instanceof Error ? error.message : String(error),
        cause: error
      });
    }
    return { manifest: confirmed, modelPath: files.modelPath };
  }

  /** Re-reads an installed model completely: size and sha256 against the catalog, ONNX structure, a real session. */
  async verify(id: string): Promise<VerifyReport> {
    const files = modelFilesOf(this.dataDir, id);
    const sizeBytes = await sizeOf(files.modelPath);
    if (sizeBytes === null) throw new ZoeError('MODEL_NOT_INSTALLED', `The model “${id}” is not installed.`);
    const problems: string[] = [];
    let manifest: ModelManifest | null = null;
    try {
      manifest = await readManifestFile(files.manifestPath);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    const published = manifest?.source ?? this.catalogEntry(id)?.source;
    if (published?.sizeBytes !== undefined && published.sizeBytes !== sizeBytes) {
      problems.push(`the model file has ${sizeBytes} bytes instead of ${published.sizeBytes}`);
    }
    const sha256 = await sha256OfFile(files.modelPath);
    if (published?.sha256 !== undefined && published.sha256 !== sha256) {
      problems.push(`its checksum (sha256 ${sha256}) is not the published one`);
    }
    const structureProblem = await describeOnnxFileProblem(files.modelPath);
    let inputs: TensorDescription[] = [];
    let outputs: TensorDescription[] = [];
    if (structureProblem !== null) {
      problems.push(`the model file is damaged: ${structureProblem}`);
    } else if (manifest !== null) {
      try {
        const contract = await readModelContract(files.modelPath, manifest);
        inputs = contract.inputs;
        outputs = contract.outputs;
        problems.push(...contract.problems);
      } catch (error) {
        problems.push(error instanceof ZoeError ? `${error.message} (${error.detail ?? ''})` : String(error));
      }
    }
    return { id, ok: problems.length === 0, sizeBytes, sha256, checksumKnown: published?.sha256 !== undefined, inputs, outputs, problems };
  }

  /** Deletes an installed model (and any interrupted download of it). */
  async remove(id: string): Promise<void> {
    const files = modelFilesOf(this.dataDir, id);
    try {
      await stat(files.folder);
    } catch {
      throw new ZoeError('MODEL_NOT_INSTALLED', `The model “${id}” is not installed.`);
    }
    if (this.installing.has(id)) throw new ZoeError('INVALID_ARGUMENT', `The model “${id}” is being installed; stop the download first.`);
    await rm(files.folder, { recursive: true, force: true });
  }
}
