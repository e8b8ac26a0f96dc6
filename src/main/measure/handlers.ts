/**
 * The `measure.*` methods: the camera a photo is measured with, measurements kept per photo in the
 * data folder, calibration with a known length, values from the photo's cached depth, and exports
 * (CSV, JSON, an annotated image) into a folder the photographer chooses.
 */
import path from 'node:path';
import type {
  AnnotatedExport,
  BandBasis,
  MeasureComputation,
  MeasurementExport,
  PhotoCalibration,
  PhotoCamera,
  SavedMeasurement
} from '../../shared/api/measure';
import type { IntrinsicsOverride } from '../../shared/camera';
import { toErrorValue, ZoeError } from '../../shared/errors';
import { equivalentFocalLengthMm, horizontalFieldOfViewDeg } from '../../shared/measure/intrinsics';
import { calibrationFromReference, type MeasureContext } from '../../shared/measure/measures';
import { formatWithBand } from '../../shared/measure/units';
import { writeFileAtomic } from '../fs/atomic';
import type { HandlersOf, HostServices } from '../ipc/handlers';
import type { PhotoRegistry } from '../library/handlers';
import type { Studio } from '../studio/studio';
import { writeAnnotatedPhoto, type Annotation } from './annotate';
import type { MeasurementInput } from './compute';
import { freeFileName, measurementsCsv, measurementsJson, type MeasurementsForExport } from './export-text';
import { readPhotoIntrinsics, type PhotoIntrinsics } from './intrinsics';
import { MeasurementStore, type PhotoRecord } from './store';
import { MeasureWorker } from './worker/client';

/** What measuring one photo rests on: its camera, its depth, the calibration and the model's error. */
interface PhotoMeasureContext {
  context: MeasureContext;
  intrinsics: PhotoIntrinsics;
  modelId: string;
  relativeError: BandBasis | null;
  /** The kept calibration with its factor worked out on this depth and camera; null when none is kept (or it is not asked for). */
  calibration: PhotoCalibration | null;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** The measuring side of one host. */
export class PhotoMeasuring {
  readonly store: MeasurementStore;
  /** Where measurements are computed: their per-pixel work stays off the main event loop. */
  readonly worker = new MeasureWorker();

  constructor(
    private readonly services: HostServices,
    private readonly studio: Studio,
    private readonly registry: PhotoRegistry
  ) {
    this.store = new MeasurementStore(services.dataDir);
  }

  /** The photo file of an id (the original: measurements are kept by its content). */
  photoPath(photoId: string): string {
    return this.registry.get(photoId).absolutePath;
  }

  /** The upright picture depth is made from and points are placed on (a RAW file's embedded preview). */
  picturePath(photoId: string): Promise<string> {
    return this.studio.depthFileOf(photoId);
  }

  async intrinsics(photoId: string, record: PhotoRecord): Promise<PhotoIntrinsics> {
    return readPhotoIntrinsics(await this.picturePath(photoId), record.intrinsicsOverride ?? undefined);
  }

  /** The camera, after keeping (or clearing, with `null`) an override when one is given. */
  async camera(photoId: string, override: IntrinsicsOverride | null | undefined): Promise<PhotoCamera> {
    const photoPath = this.photoPath(photoId);
    if (override !== undefined) {
      // Checked before it is kept: an override that makes no camera is refused, not stored.
      await readPhotoIntrinsics(await this.picturePath(photoId), override ?? undefined);
      await this.store.setIntrinsicsOverride(photoPath, override);
    }
    const record = await this.store.read(photoPath);
    const intrinsics = await this.intrinsics(photoId, record);
    return {
      fx: intrinsics.fx,
      fy: intrinsics.fy,
      cx: intrinsics.cx,
      cy: intrinsics.cy,
      width: intrinsics.width,
      height: intrinsics.height,
      source: intrinsics.source,
      sourceDescription: intrinsics.sourceDescription,
      warnings: intrinsics.warnings,
      ...(intrinsics.camera === undefined ? {} : { camera: intrinsics.camera }),
      equivalentFocalLengthMm: equivalentFocalLengthMm(intrinsics),
      horizontalFieldOfViewDeg: horizontalFieldOfViewDeg(intrinsics),
      override: record.intrinsicsOverride
    };
  }

  /**
   * Everything a measurement on the photo needs. The depth is the cached one for the current model
   * and options; the calibration factor is worked out again from the kept reference line on this
   * depth and camera, so that after another model or a corrected camera the reference line still
   * reads its known length.
   */
  async measureContext(photoId: string, record: PhotoRecord, calibrated = true): Promise<PhotoMeasureContext> {
    const { model } = await this.studio.jobSettings();
    const depth = await this.studio.cachedDepthMap(photoId);
    if (depth === null) {
      throw new ZoeError('NOT_FOUND', `This photo has no depth from ${model.manifest.title} yet. Estimate its depth first, then measure.`);
    }
    const intrinsics = await this.intrinsics(photoId, record);
    if (intrinsics.width !== depth.photoWidth || intrinsics.height !== depth.photoHeight) {
      throw new ZoeError('INTERNAL', 'The photo and its depth map differ in size; estimate its depth again.', {
        detail: `photo ${intrinsics.width}×${intrinsics.height}, depth over ${depth.photoWidth}×${depth.photoHeight}`
      });
    }
    const stated = model.manifest.relativeError;
    const pointError = stated?.inDomain?.value ?? stated?.value;
    const base: MeasureContext = { depth, intrinsics, ...(stated === undefined ? {} : { relativeError: stated.value, pointError }) };
    const pointSource = stated?.inDomain === undefined ? '' : `; each point on its own: ${stated.inDomain.source}`;
    const stored = record.calibration;
    if (!calibrated || stored === null) {
      const relativeError: BandBasis | null =
        stated === undefined || pointError === undefined ? null : { state: 'uncalibrated', value: stated.value, pointError, source: `${stated.source}${pointSource}` };
      return { context: base, intrinsics, modelId: depth.modelId, relativeError, calibration: null };
    }
    const reference = calibrationFromReference(base, { from: stored.from, to: stored.to, knownMetres: stored.knownLengthMetres });
    const calibration: PhotoCalibration = { ...stored, factor: reference.factor, measuredMetres: reference.measuredMetres, modelId: depth.modelId };
    const scaleError = reference.scaleError;
    const relativeError: BandBasis | null =
      scaleError === null || pointError === undefined
        ? null
        : {
            state: 'calibrated',
            value: scaleError,
            pointError,
            source: `the overall scale from the reference line, ${percent(scaleError)} from the depth error of ${percent(pointError)} at each of its two ends${pointSource}`
          };
    const context: MeasureContext = { ...base, calibration: reference, ...(scaleError === null ? {} : { relativeError: scaleError }) };
    return { context, intrinsics, modelId: depth.modelId, relativeError, calibration };
  }

  async compute(photoId: string, drafts: readonly (MeasurementInput | SavedMeasurement)[] | undefined): Promise<MeasureComputation> {
    const record = await this.store.read(this.photoPath(photoId));
    const measuring = await this.measureContext(photoId, record);
    return {
      results: await this.worker.compute(measuring.context, drafts ?? record.measurements),
      intrinsicsSource: measuring.intrinsics.source,
      intrinsicsDescription: measuring.intrinsics.sourceDescription,
      calibrationFactor: measuring.context.calibration?.factor ?? 1,
      calibration: measuring.calibration,
      relativeError: measuring.relativeError,
      depth: { modelId: measuring.modelId, width: measuring.context.depth.width, height: measuring.context.depth.height }
    };
  }

  async setCalibration(photoId: string, reference: { knownLengthMetres: number; from: { u: number; v: number }; to: { u: number; v: number } } | null): Promise<PhotoCalibration | null> {
    const photoPath = this.photoPath(photoId);
    if (reference === null) return this.store.setCalibration(photoPath, null);
    const measuring = await this.measureContext(photoId, await this.store.read(photoPath), false);
    const calibration = calibrationFromReference(measuring.context, { from: reference.from, to: reference.to, knownMetres: reference.knownLengthMetres });
    return this.store.setCalibration(photoPath, {
      factor: calibration.factor,
      knownLengthMetres: reference.knownLengthMetres,
      measuredMetres: calibration.measuredMetres,
      from: reference.from,
      to: reference.to,
      modelId: measuring.modelId
    });
  }

  /** The saved measurements with their values; without a model or depth, with the reason instead. */
  async forExport(photoId: string): Promise<MeasurementsForExport> {
    const photoPath = this.photoPath(photoId);
    const record = await this.store.read(photoPath);
    const data: MeasurementsForExport = { photoName: path.basename(photoPath), measurements: record.measurements, calibration: record.calibration, computation: null };
    try {
      data.computation = await this.compute(photoId, undefined);
    } catch (error) {
      if (!(error instanceof ZoeError) || (error.code !== 'NOT_FOUND' && error.code !== 'MODEL_NOT_INSTALLED')) throw error;
      data.unavailable = toErrorValue(error);
    }
    return data;
  }

  /** Asks for an output folder: the export chooser when the host has one, else its folder chooser. */
  chooseFolder(): Promise<string | null> {
    return this.services.chooseOutputFolder !== undefined ? this.services.chooseOutputFolder() : this.services.chooseFolder();
  }

  async exportText(photoId: string, format: 'csv' | 'json', destination: 'text' | 'folder'): Promise<MeasurementExport | null> {
    const data = await this.forExport(photoId);
    const text = format === 'csv' ? measurementsCsv(data) : measurementsJson(data);
    const stem = `${path.parse(data.photoName).name}.measurements`;
    if (destination === 'text') return { format, fileName: `${stem}.${format}`, text, savedTo: null };
    const folder = await this.chooseFolder();
    if (folder === null) return null;
    const fileName = await freeFileName(folder, stem, `.${format}`);
    const target = path.join(folder, fileName);
    await writeFileAtomic(target, text);
    return { format, fileName, text, savedTo: target };
  }

  async exportAnnotated(photoId: string, format: 'jpeg' | 'png', units: 'metric' | 'imperial'): Promise<AnnotatedExport | null> {
    const data = await this.forExport(photoId);
    if (data.measurements.length === 0) throw new ZoeError('INVALID_ARGUMENT', 'This photo has no saved measurements to draw.');
    const annotations = data.measurements.map((measurement, index) => annotationOf(measurement, data.computation?.results[index], units));
    const folder = await this.chooseFolder();
    if (folder === null) return null;
    const fileName = await freeFileName(folder, `${path.parse(data.photoName).name}.measured`, format === 'png' ? '.png' : '.jpg');
    const target = path.join(folder, fileName);
    const size = await writeAnnotatedPhoto(await this.picturePath(photoId), target, annotations, format);
    return { fileName, savedTo: target, ...size };
  }
}

function annotationOf(measurement: SavedMeasurement, result: MeasureComputation['results'][number] | undefined, units: 'metric' | 'imperial'): Annotation {
  const kind = measurement.kind === 'area' ? 'area' : measurement.kind === 'angle' ? 'angle' : 'length';
  const value = result?.ok === true ? formatWithBand(kind, result.value, result.band, units) : null;
  return {
    kind: measurement.kind,
    points: measurement.points,
    ...(measurement.ground === undefined ? {} : { ground: measurement.ground }),
    label: value === null ? measurement.name : `${measurement.name}: ${value}`
  };
}

/** The `measure.*` handlers of one host, and what releases their worker thread when the host quits. */
export interface MeasureFeature {
  handlers: HandlersOf<'measure'>;
  /** The photos' cameras and measurements, for other features that show them (the info panel). */
  measuring: PhotoMeasuring;
  dispose(): Promise<void>;
}

/** The `measure.*` handlers over one host's studio (depth) and photo registry. */
export function measureFeature(services: HostServices, studio: Studio, registry: PhotoRegistry): MeasureFeature {
  const measuring = new PhotoMeasuring(services, studio, registry);
  return { handlers: measureHandlers(measuring), measuring, dispose: () => measuring.worker.dispose() };
}

function measureHandlers(measuring: PhotoMeasuring): HandlersOf<'measure'> {
  return {
    'measure.intrinsics': ({ photoId, override }) => measuring.camera(photoId, override),
    'measure.list': async ({ photoId }) => {
      const record = await measuring.store.read(measuring.photoPath(photoId));
      return { photoId, measurements: record.measurements, calibration: record.calibration, intrinsicsOverride: record.intrinsicsOverride };
    },
    'measure.save': ({ photoId, measurement }) => measuring.store.save(measuring.photoPath(photoId), measurement),
    'measure.rename': ({ photoId, measurementId, name }) => measuring.store.rename(measuring.photoPath(photoId), measurementId, name),
    'measure.delete': ({ photoId, measurementId }) => measuring.store.delete(measuring.photoPath(photoId), measurementId),
    'measure.setCalibration': ({ photoId, reference }) => measuring.setCalibration(photoId, reference),
    'measure.compute': ({ photoId, measurements }) => measuring.compute(photoId, measurements),
    'measure.export': ({ photoId, format, destination }) => measuring.exportText(photoId, format, destination),
    'measure.exportAnnotated': ({ photoId, format, units }) => measuring.exportAnnotated(photoId, format, units)
  };
}
