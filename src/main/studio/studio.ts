/**
 * The depth side of one host (Electron main process or test host): the model manager, one depth
 * engine (made lazily, remade when the device setting changes), the depth cache and its service,
 * the job queue and model downloads, all created on first use and released by `dispose()`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DepthStatus, LoadedModelSummary, ModelsOverview, ModelSummary } from '../../shared/api/models';
import type { DepthMap, DepthOptions, DevicePreference } from '../../shared/depth';
import { toErrorValue, ZoeError } from '../../shared/errors';
import { fidelityFactsOf, mostFaithful } from '../../shared/model-fidelity';
import { DepthEngine, inferManifestFromModel, loadCatalog, type InstalledModel } from '../depth';
import { DepthService } from '../depth-cache/service';
import { DepthCache } from '../depth-cache/store';
import type { HostServices } from '../ipc/handlers';
import { DepthJobQueue, type DepthJobOutcome, type DepthJobRequest } from '../jobs/queue';
import type { PhotoRegistry } from '../library/handlers';
import { ModelManager, type ModelListing } from '../models/manager';
import type { SettingsStore } from '../settings/handlers';
import { namedPhotoError } from '../photos/describe';
import { DepthLookup, depthForRenderer } from './depth-lookup';
import { DepthSources } from './depth-source';
import { ModelDownloads } from './downloads';

/** The folders under the data folder that the depth side owns. */
export const OPTIMISED_MODELS_FOLDER = 'optimised-models';
export const DEPTH_CACHE_FOLDER = 'depth-cache';
export const RAW_PREVIEWS_FOLDER = 'raw-previews';
/** The depth cache is trimmed (least recently used first) to this size whenever the queue empties. */
export const DEPTH_CACHE_LIMIT_BYTES = 4 * 1024 ** 3;

/** Tuning a host may change; tests make the limits small. */
export interface StudioOptions {
  depthCacheLimitBytes?: number;
}

/**
 * The folder `loadCatalog` reads `models/catalog.json` from. Hosts give `resourcesDir` as the
 * bundled `resources/models` folder itself; a `resources` folder is accepted too.
 */
export function catalogRootOf(resourcesDir: string): string {
  return existsSync(path.join(resourcesDir, 'catalog.json')) ? path.dirname(resourcesDir) : resourcesDir;
}

/** The model, device and options a job is made with, read from the settings. */
export interface JobSettings {
  modelId: string;
  device: DevicePreference;
  options: DepthOptions;
}

function outOfMemory(error: unknown): ZoeError | null {
  const value = toErrorValue(error);
  if (value.code === 'OUT_OF_MEMORY') return error instanceof ZoeError ? error : new ZoeError('OUT_OF_MEMORY', value.message);
  if (!/bad_alloc|failed to allocate|out of memory|ENOMEM/i.test(`${value.message} ${value.detail ?? ''}`)) return null;
  return new ZoeError('OUT_OF_MEMORY', 'The computer ran out of memory while estimating depth. Close other applications, or choose a smaller model, and try again.', {
    ...(value.detail === undefined ? {} : { detail: value.detail }),
    cause: error
  });
}

export class Studio {
  readonly jobs: DepthJobQueue;
  readonly downloads: ModelDownloads;
  readonly depthCache: DepthCache;
  private readonly depthService: DepthService;
  private readonly lookup: DepthLookup;
  private readonly sources: DepthSources;
  private managerLoad: Promise<ModelManager> | undefined;
  private engine: { device: DevicePreference; engine: DepthEngine } | null = null;
  /** Sessions loaded in the current engine, by model id (the provider follows the last run). */
  private readonly loaded = new Map<string, LoadedModelSummary>();
  private readonly loading = new Map<string, Promise<LoadedModelSummary>>();
  private disposed = false;
  private statusAnnouncements: Promise<void> = Promise.resolve();
  /** The model ran since the cache was last trimmed. */
  private ranSinceTrim = false;
  private readonly depthCacheLimitBytes: number;

  constructor(
    private readonly services: HostServices,
    readonly settings: SettingsStore,
    private readonly registry: PhotoRegistry,
    options: StudioOptions = {}
  ) {
    this.depthCacheLimitBytes = options.depthCacheLimitBytes ?? DEPTH_CACHE_LIMIT_BYTES;
    this.depthCache = new DepthCache(path.join(services.dataDir, DEPTH_CACHE_FOLDER));
    // The service runs photos on whichever engine is current: a job switches it to its device first.
    this.depthService = new DepthService({ engine: { estimate: (photo, model, options) => this.currentEngine().estimate(photo, model, options) }, cache: this.depthCache });
    this.lookup = new DepthLookup(this.depthCache);
    this.sources = new DepthSources(path.join(services.dataDir, RAW_PREVIEWS_FOLDER));
    this.jobs = new DepthJobQueue({
      run: (job, signal) => this.runJob(job, signal),
      onChange: (change) => {
        services.emit('jobs.changed', change);
        if (change.summary.queued + change.summary.running === 0) this.trimDepthCache();
      }
    });
    this.downloads = new ModelDownloads((progress) => services.emit('models.progress', progress));
  }

  /** The model manager, with the bundled catalog (read once). */
  manager(): Promise<ModelManager> {
    if (this.managerLoad === undefined) {
      const load = loadCatalog(catalogRootOf(this.services.resourcesDir)).then(
        (catalog) => new ModelManager({ dataDir: this.services.dataDir, catalog, inferManifest: (modelPath) => inferManifestFromModel(modelPath) })
      );
      this.managerLoad = load;
      // A catalog that could not be read is read again next time (after a reinstall, say).
      load.catch(() => {
        if (this.managerLoad === load) this.managerLoad = undefined;
      });
    }
    return this.managerLoad;
  }

  /** The model jobs use: the settings' choice, else the most faithful installed model, else null. */
  async effectiveModelId(listings?: readonly ModelListing[]): Promise<string | null> {
    const chosen = (await this.settings.get()).modelId;
    if (chosen !== null) return chosen;
    const all = listings ?? (await (await this.manager()).list());
    const installed = all.filter((listing): listing is ModelListing & { manifest: NonNullable<ModelListing['manifest']> } => listing.state === 'installed' && listing.manifest !== null);
    return mostFaithful(installed, (listing) => fidelityFactsOf(listing.manifest))?.id ?? null;
  }

  /** Makes `id` the settings' model when none is chosen yet (the first model installed). */
  async selectIfNone(id: string): Promise<void> {
    if ((await this.settings.get()).modelId === null) await this.settings.set({ modelId: id });
  }

  /** The settings a job is made with now; MODEL_NOT_INSTALLED when there is no usable model. */
  async jobSettings(): Promise<{ settings: JobSettings; model: InstalledModel }> {
    const settings = await this.settings.get();
    const modelId = await this.effectiveModelId();
    if (modelId === null) {
      throw new ZoeError('MODEL_NOT_INSTALLED', 'No depth model is installed yet. Install one from the models panel (ZoeDepth indoor for rooms, outdoor for streets and landscapes).');
    }
    const model = await (await this.manager()).resolve(modelId);
    return { settings: { modelId, device: settings.device, options: { flip: settings.flip, pad: settings.pad } }, model };
  }

  /** The models screen's list. */
  async overview(): Promise<ModelsOverview> {
    const listings = await (await this.manager()).list();
    const selectedModelId = await this.effectiveModelId(listings);
    const downloadable = listings.filter((listing) => listing.origin === 'catalog' && listing.manifest?.source !== undefined);
    const recommended = mostFaithful(downloadable, (listing) => fidelityFactsOf(listing.manifest as NonNullable<ModelListing['manifest']>))?.id ?? null;
    return { models: listings.map((listing) => this.summarise(listing, selectedModelId, recommended)), selectedModelId };
  }

  /** One model of the list; NOT_FOUND when neither the catalog nor the models folder has it. */
  async summaryOf(id: string): Promise<ModelSummary> {
    const overview = await this.overview();
    const summary = overview.models.find((model) => model.id === id);
    if (summary === undefined) throw new ZoeError('NOT_FOUND', `There is no model “${id}”.`);
    return summary;
  }

  /** Tells the renderer that the models list changed, and what is in use now. */
  async announceModelsChanged(): Promise<void> {
    try {
      this.services.emit('models.changed', await this.overview());
    } catch (error) {
      console.warn('[zoe] could not list the models:', error);
    }
    await this.announceStatus();
  }

  /** What the depth engine will use and where it runs. */
  async status(): Promise<DepthStatus> {
    const settings = await this.settings.get();
    const listings = await (await this.manager()).list();
    const modelId = await this.effectiveModelId(listings);
    const loaded = modelId !== null && this.engine?.device === settings.device ? this.loaded.get(modelId) : undefined;
    return {
      modelId,
      modelInstalled: listings.some((listing) => listing.id === modelId && listing.state === 'installed'),
      device: settings.device,
      provider: loaded?.provider ?? null,
      ...(loaded?.providerFallbackReason === undefined ? {} : { providerFallbackReason: loaded.providerFallbackReason }),
      loading: modelId !== null && this.loading.has(modelId)
    };
  }

  /** Sends `depth.status`; announcements go out in the order they were asked for, each saying how things are then. */
  announceStatus(): Promise<void> {
    const next = this.statusAnnouncements.then(async () => {
      if (this.disposed) return;
      try {
        this.services.emit('depth.status', await this.status());
      } catch (error) {
        console.warn('[zoe] could not tell the depth status:', error);
      }
    });
    this.statusAnnouncements = next;
    return next;
  }

  /** Loads `model` into the engine for `device` (once), reporting `models.loadProgress`. */
  loadModel(model: InstalledModel, device: DevicePreference): Promise<LoadedModelSummary> {
    const engine = this.engineFor(device);
    const id = model.manifest.id;
    const known = this.loaded.get(id);
    if (known !== undefined) return Promise.resolve({ ...known });
    const pending = this.loading.get(id);
    if (pending !== undefined) return pending;
    const load: Promise<LoadedModelSummary> = (async (): Promise<LoadedModelSummary> => {
      try {
        const info = await engine.load(model, (progress) => this.services.emit('models.loadProgress', { id, ...progress }));
        const summary: LoadedModelSummary = {
          modelId: id,
          provider: info.provider,
          ...(info.providerFallbackReason === undefined ? {} : { providerFallbackReason: info.providerFallbackReason }),
          loadMs: info.loadMs,
          fromOptimisedCache: info.fromOptimisedCache
        };
        if (this.engine?.engine === engine) this.loaded.set(id, summary);
        return { ...summary };
      } catch (error) {
        const value = toErrorValue(error);
        this.services.emit('models.loadProgress', { id, stage: 'failed', fraction: 1, message: value.message, error: value });
        throw error;
      } finally {
        // Not the same promise only when the engine was replaced meanwhile (its map was cleared).
        if (this.engine?.engine === engine) this.loading.delete(id);
        await this.announceStatus();
      }
    })();
    this.loading.set(id, load);
    void this.announceStatus();
    return load;
  }

  /**
   * The file depth is estimated from for a photo of an open folder: the photo itself, or the
   * embedded preview of a camera RAW file. The depth cache is keyed by this file's content.
   */
  depthFileOf(photoId: string): Promise<string> {
    return this.sources.fileFor(this.registry.get(photoId));
  }

  /**
   * The photo's cached depth for the current model and options, as the cache holds it (with the
   * model output that full-resolution export needs); null when there is none.
   */
  async cachedDepthMap(photoId: string): Promise<DepthMap | null> {
    let job;
    try {
      job = await this.jobSettings();
    } catch (error) {
      if (error instanceof ZoeError && (error.code === 'MODEL_NOT_INSTALLED' || error.code === 'MODEL_INVALID')) return null;
      throw error;
    }
    let source: string;
    try {
      source = await this.depthFileOf(photoId);
    } catch (error) {
      if (error instanceof ZoeError && ['UNSUPPORTED_IMAGE', 'DAMAGED_IMAGE', 'TOO_LARGE'].includes(error.code)) return null;
      throw error;
    }
    return this.lookup.find(source, job.model, job.settings.options);
  }

  /** The photo's cached depth, ready for the renderer (public fields only); null when there is none. */
  async cachedDepth(photoId: string): Promise<DepthMap | null> {
    const depth = await this.cachedDepthMap(photoId);
    return depth === null ? null : depthForRenderer(depth);
  }

  /** The photos a `jobs.enqueue` names, as queue requests (unknown ids become failed jobs). */
  async enqueue(photoIds: readonly string[], priority: 'now' | 'normal'): Promise<string[]> {
    const { settings } = await this.jobSettings();
    const requests = photoIds.map((photoId) => {
      try {
        const photo = this.registry.get(photoId);
        return { photoId, photoName: photo.name, photoPath: photo.absolutePath, photoKind: photo.kind, ...settings };
      } catch (error) {
        return { photoId, photoName: photoId, ...settings, error: toErrorValue(error) };
      }
    });
    return this.jobs.enqueue(requests, priority);
  }

  /** Once the queue is idle after new depth was made, keeps the cache within its limit. */
  private trimDepthCache(): void {
    if (!this.ranSinceTrim) return;
    this.ranSinceTrim = false;
    this.depthCache.trimTo(this.depthCacheLimitBytes).catch((error: unknown) => console.warn('[zoe] could not trim the depth cache:', error));
  }

  /** Empties the depth cache (and the saved RAW previews depth was made from). */
  async clearDepthCache(): Promise<void> {
    await this.depthService.clear();
    await this.sources.clear();
  }

  /** Cancels the model's jobs and releases its session (before the model is removed or replaced). */
  async releaseModel(id: string): Promise<void> {
    this.jobs.cancelModel(id);
    if (this.loaded.has(id) || this.loading.has(id)) await this.resetEngine();
  }

  /** Stops downloads and jobs and releases every session and worker thread. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.jobs.dispose();
    await this.downloads.dispose();
    await this.resetEngine();
  }

  private summarise(listing: ModelListing, selectedModelId: string | null, recommendedId: string | null): ModelSummary {
    const manifest = listing.manifest;
    const facts = manifest === null ? null : fidelityFactsOf(manifest);
    const download = this.downloads.progressOf(listing.id);
    const loaded = this.loaded.get(listing.id);
    return {
      id: listing.id,
      title: listing.title,
      ...(manifest?.description === undefined ? {} : { description: manifest.description }),
      ...(manifest?.architecture === undefined ? {} : { architecture: manifest.architecture }),
      origin: listing.origin,
      state: download !== null ? 'downloading' : listing.state,
      domain: manifest?.domain ?? 'auto',
      depthRange: manifest === null ? { min: 0, max: 0 } : { ...manifest.depthRange },
      licence: manifest === null ? { name: 'unknown' } : { ...manifest.licence },
      sizeBytes: listing.sizeBytes ?? manifest?.source?.sizeBytes ?? null,
      partialBytes: listing.partialBytes,
      ...(listing.problem === undefined ? {} : { problem: listing.problem }),
      selected: listing.id === selectedModelId,
      download,
      loaded: loaded === undefined ? null : { ...loaded },
      photoShape: facts?.photoShape ?? { kind: 'squashed', height: 0, width: 0 },
      differencesFromOriginal: [...(facts?.differencesFromOriginal ?? [])],
      precision: facts?.precision ?? 'fp32',
      ...(manifest?.variant === undefined ? {} : { variantOf: manifest.variant.of }),
      recommended: listing.id === recommendedId
    };
  }

  private engineFor(device: DevicePreference): DepthEngine {
    if (this.disposed) throw new ZoeError('CANCELLED', 'Zoe Studio is closing.');
    if (this.engine?.device === device) return this.engine.engine;
    const previous = this.engine;
    this.engine = { device, engine: new DepthEngine({ optimisedCacheDir: path.join(this.services.dataDir, OPTIMISED_MODELS_FOLDER), device }) };
    this.loaded.clear();
    this.loading.clear();
    if (previous !== null) void previous.engine.dispose();
    return this.engine.engine;
  }

  private currentEngine(): DepthEngine {
    if (this.engine === null) throw new ZoeError('INTERNAL', 'The depth engine is not running.');
    return this.engine.engine;
  }

  private async resetEngine(): Promise<void> {
    const previous = this.engine;
    this.engine = null;
    this.loaded.clear();
    this.loading.clear();
    await previous?.engine.dispose();
  }

  /** One job: the model loaded, then depth from the cache or the engine; `depth.ready` when there is some. */
  private async runJob(job: Readonly<DepthJobRequest & { jobId: string }>, signal: AbortSignal): Promise<DepthJobOutcome> {
    try {
      const model = await (await this.manager()).resolve(job.modelId);
      if (signal.aborted) throw new ZoeError('CANCELLED', 'Depth estimation was cancelled.');
      await this.loadModel(model, job.device);
      const source = await this.sources.fileFor({ absolutePath: job.photoPath, kind: job.photoKind });
      const result = await this.depthService.estimate(source, model, { ...job.options, signal });
      if (!result.fromCache) this.ranSinceTrim = true;
      const loaded = this.loaded.get(job.modelId);
      if (!result.fromCache && loaded !== undefined && (loaded.provider !== result.depth.provider || loaded.providerFallbackReason !== result.depth.providerFallbackReason)) {
        // A GPU provider that failed on its first run fell back to CPU: show where it really runs.
        const { providerFallbackReason: _previous, ...rest } = loaded;
        this.loaded.set(job.modelId, {
          ...rest,
          provider: result.depth.provider,
          ...(result.depth.providerFallbackReason === undefined ? {} : { providerFallbackReason: result.depth.providerFallbackReason })
        });
        void this.announceStatus();
      }
      this.services.emit('depth.ready', { photoId: job.photoId, jobId: job.jobId, modelId: job.modelId, fromCache: result.fromCache });
      return { fromCache: result.fromCache, provider: result.depth.provider };
    } catch (failure) {
      // The decoder worked on bytes (of the photo, or of a RAW's preview): name the photo the library shows.
      const error = namedPhotoError(failure, job.photoPath);
      const memory = outOfMemory(error);
      if (memory === null) throw error;
      // A worker that ran out of memory is gone: the next photo gets a fresh engine.
      await this.resetEngine();
      throw memory;
    }
  }
}
