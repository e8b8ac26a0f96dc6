/**
 * The `export.*` methods: the output folder chooser, the plan (names, conflicts, sizes), batches
 * (start, cancel, `export.progress`) and the dialog's colourised preview. Depth comes from the
 * host's depth side: the depth cache when the photo was estimated with the current settings, else
 * a job on the depth queue (so the queue panel and the viewer see it too).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import type { ExportPlan, ExportPreview, OutputFolder, PlannedPhoto } from '../../shared/api/export';
import { colouriseDepth } from '../../shared/colormaps';
import type { DepthMap } from '../../shared/depth';
import { toErrorValue, ZoeError, type ZoeErrorValue } from '../../shared/errors';
import { exportOptionsSchema } from '../../shared/export';
import { DepthEngine } from '../depth';
import type { HandlersOf, HostServices } from '../ipc/handlers';
import type { PhotoRegistry } from '../library/handlers';
import { OPTIMISED_MODELS_FOLDER, type Studio } from '../studio/studio';
import type { PhotoCalibration } from '../../shared/api/measure';
import type { IntrinsicsOverride } from '../../shared/camera';
import { readPhotoIntrinsics } from '../measure/intrinsics';
import { MeasurementStore } from '../measure/store';
import { ExportBatches, type BatchDepthSource, type BatchPhoto } from './batch';
import { calibrationForDepth, scaleDepthMap, UNCALIBRATED } from './calibration';
import { conflictsOf, estimateBytes, outputFileNames, photoDimensions, templateDate, toExportConflict, type NamingContext, type OutputKind } from './batch-plan';
import { resolveColourRange } from './colour';

/** How often a waiting export looks at its depth job, in ms. */
const JOB_POLL_MS = 50;

/**
 * Waits for a depth job to end. The queue reports changes only as renderer events, so the job is
 * looked up in its snapshot now and then; a cancelled export cancels its job.
 */
async function jobFinished(studio: Studio, jobId: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    if (signal.aborted) {
      studio.jobs.cancel({ jobIds: [jobId] });
      throw new ZoeError('CANCELLED', 'The export was cancelled.');
    }
    const job = studio.jobs.list().jobs.find((candidate) => candidate.jobId === jobId);
    if (job === undefined || job.state === 'done') return;
    if (job.state === 'failed') {
      const error: ZoeErrorValue = job.error ?? { code: 'INTERNAL', message: 'Depth estimation failed.' };
      throw new ZoeError(error.code, error.message, error.detail === undefined ? undefined : { detail: error.detail });
    }
    if (job.state === 'cancelled') throw new ZoeError('CANCELLED', 'Depth estimation for this photo was cancelled.');
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
  }
}

/** The batch's view of the host: photos from the library, depth from the studio's cache and queue. */
class StudioDepthSource implements BatchDepthSource {
  /** Used only to bring depth to full resolution (its worker thread); it never loads a model. */
  private resampler: DepthEngine | null = null;
  /** Read only: the calibrations the measuring side keeps. */
  private readonly measurements: MeasurementStore;

  constructor(
    private readonly studio: Studio,
    private readonly registry: PhotoRegistry,
    private readonly dataDir: string
  ) {
    this.measurements = new MeasurementStore(dataDir);
  }

  /** Calibration and camera correction are kept with the original photo's measurements. */
  async measuringOf(photo: BatchPhoto): Promise<{ calibration: PhotoCalibration | null; intrinsicsOverride: IntrinsicsOverride | null }> {
    const record = await this.measurements.read(photo.path);
    return { calibration: record.calibration, intrinsicsOverride: record.intrinsicsOverride };
  }

  photo(photoId: string): BatchPhoto {
    const photo = this.registry.get(photoId);
    return { id: photo.id, name: photo.name, path: photo.absolutePath };
  }

  /** The photo itself, or for a camera RAW file its upright embedded preview, which depth is estimated on. */
  pixelsOf(photo: BatchPhoto): Promise<string> {
    return this.studio.depthFileOf(photo.id);
  }

  async modelId(): Promise<string> {
    return (await this.studio.jobSettings()).settings.modelId;
  }

  async depthOf(photo: BatchPhoto, signal: AbortSignal): Promise<DepthMap> {
    const cached = await this.studio.cachedDepthMap(photo.id);
    if (cached !== null) return cached;
    const [jobId] = await this.studio.enqueue([photo.id], 'normal');
    if (jobId === undefined) throw new ZoeError('INTERNAL', 'The depth queue did not take the photo.');
    await jobFinished(this.studio, jobId, signal);
    const made = await this.studio.cachedDepthMap(photo.id);
    if (made === null) throw new ZoeError('INTERNAL', `The depth of “${photo.name}” could not be found after it was estimated; try again.`, { detail: `job ${jobId}` });
    return made;
  }

  toPhotoResolution(depth: DepthMap): Promise<DepthMap> {
    this.resampler ??= new DepthEngine({ optimisedCacheDir: path.join(this.dataDir, OPTIMISED_MODELS_FOLDER), device: 'cpu' });
    return this.resampler.toPhotoResolution(depth);
  }

  async dispose(): Promise<void> {
    await this.resampler?.dispose();
    this.resampler = null;
  }
}

/** Output folders the photographer chose, by id (the renderer never sends paths). */
class OutputFolders {
  private readonly folders = new Map<string, string>();

  remember(folder: string): OutputFolder {
    const absolute = path.resolve(folder);
    const outputFolderId = createHash('sha256').update(absolute).digest('hex').slice(0, 24);
    this.folders.set(outputFolderId, absolute);
    return { outputFolderId, displayPath: absolute, name: path.basename(absolute) };
  }

  get(outputFolderId: string): OutputFolder {
    const folder = this.folders.get(outputFolderId);
    if (folder === undefined) throw new ZoeError('NOT_FOUND', 'Choose the export folder again.');
    return { outputFolderId, displayPath: folder, name: path.basename(folder) };
  }
}

/** The export feature of one host; `dispose()` cancels its batches. */
export interface ExportFeature {
  handlers: HandlersOf<'export'>;
  dispose(): Promise<void>;
}

/** The `export.*` handlers over the host's library registry and depth studio. */
export function exportFeature(services: HostServices, studio: Studio, registry: PhotoRegistry): ExportFeature {
  const source = new StudioDepthSource(studio, registry, services.dataDir);
  const folders = new OutputFolders();
  const batches = new ExportBatches(source, (progress) => services.emit('export.progress', progress));

  const handlers: HandlersOf<'export'> = {
    'export.chooseFolder': async () => {
      if (services.chooseOutputFolder === undefined) throw new ZoeError('INVALID_ARGUMENT', 'This version of Zoe Studio cannot choose an export folder.');
      const folder = await services.chooseOutputFolder();
      return folder === null ? null : folders.remember(folder);
    },
    'export.plan': async (request): Promise<ExportPlan> => {
      const outputFolder = folders.get(request.outputFolderId);
      const options = exportOptionsSchema.parse({ ...request.options, onConflict: 'fail' });
      const kinds: OutputKind[] = [...new Set(request.formats), 'json'];
      const modelId = await source.modelId().catch(() => 'model');
      const photos: PlannedPhoto[] = [];
      const conflicts: ExportPlan['conflicts'] = [];
      const estimatedBytes: ExportPlan['estimatedBytes'] = {};
      const resolved = request.photoIds.map((photoId) => {
        try {
          return source.photo(photoId);
        } catch (error) {
          return { id: photoId, error: toErrorValue(error) };
        }
      });
      const naming: NamingContext = {
        folder: outputFolder.displayPath,
        originals: new Set(resolved.flatMap((photo) => ('path' in photo ? [path.resolve(photo.path)] : []))),
        claimed: new Set()
      };
      const date = templateDate();
      for (const photo of resolved) {
        if (!('path' in photo)) {
          photos.push({ photoId: photo.id, photoName: photo.id, files: [], problem: photo.error });
          continue;
        }
        const names = outputFileNames(request.namingTemplate, { name: path.parse(photo.path).name, model: modelId, date }, kinds);
        const planned: PlannedPhoto = { photoId: photo.id, photoName: photo.name, files: [...names].map(([format, fileName]) => ({ format, fileName })) };
        for (const conflict of await conflictsOf(names, naming)) conflicts.push(toExportConflict(photo.id, conflict));
        for (const name of names.values()) naming.claimed.add(name.toLowerCase());
        try {
          const dimensions = await photoDimensions(await source.pixelsOf(photo));
          for (const kind of kinds) estimatedBytes[kind] = Math.round((estimatedBytes[kind] ?? 0) + estimateBytes(kind, dimensions, options));
        } catch (error) {
          planned.problem = toErrorValue(error);
        }
        photos.push(planned);
      }
      const estimatedTotalBytes = Object.values(estimatedBytes).reduce((sum, bytes) => sum + bytes, 0);
      return { outputFolder, photos, conflicts, estimatedBytes, estimatedTotalBytes };
    },
    'export.start': async (request) => {
      const outputFolder = folders.get(request.outputFolderId);
      return batches.start({ ...request, outputFolder: outputFolder.displayPath });
    },
    'export.cancel': async ({ batchId }) => batches.cancel(batchId),
    'export.preview': async (request): Promise<ExportPreview> => {
      const photo = source.photo(request.photoId);
      const model = await source.depthOf(photo, new AbortController().signal);
      const { calibration: stored, intrinsicsOverride } = await source.measuringOf(photo);
      const calibration = stored === null ? UNCALIBRATED : calibrationForDepth(stored, model, await readPhotoIntrinsics(await source.pixelsOf(photo), intrinsicsOverride ?? undefined), request.applyCalibration);
      const depth = calibration.applied ? scaleDepthMap(model, calibration.factor) : model;
      const range = resolveColourRange(depth, {
        colormap: request.colormap,
        nearAtHighEnd: request.nearAtHighEnd,
        ...(request.nearMetres === undefined ? {} : { nearMetres: request.nearMetres }),
        ...(request.farMetres === undefined ? {} : { farMetres: request.farMetres })
      });
      const rgb = colouriseDepth(depth.metres, request.colormap, range);
      const { data, info } = await sharp(rgb, { raw: { width: depth.width, height: depth.height, channels: 3 } })
        .resize({ width: request.maxSide, height: request.maxSide, fit: 'inside', withoutEnlargement: true, kernel: 'nearest' })
        .png()
        .toBuffer({ resolveWithObject: true });
      return { png: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, nearMetres: range.nearMetres, farMetres: range.farMetres, calibrationFactor: calibration.applied ? calibration.factor : 1, photoCalibrationFactor: calibration.factor };
    }
  };
  return {
    handlers,
    async dispose() {
      await batches.dispose();
      await source.dispose();
    }
  };
}
