/**
 * One photo to measure, for the measuring store and panel tests: a camera looking square at a flat
 * wall 4 m away (fx = fy = 1000 px, 800×600 photo, depth grid at a quarter resolution), answered
 * over the in-memory transport by the shared geometry the main process uses (`measureDistance`,
 * `measureHeight`…, `calibrateWithKnownLength`) with measurements kept in memory as the main
 * process keeps them on disk. On that wall a length
 * of n pixels along a row is exactly n × 4 / 1000 metres.
 */
import type { CameraPoint, ComputedMeasurement, MeasurementDraft, PhotoCalibration, PhotoCamera, SavedMeasurement } from '../../src/shared/api';
import type { IntrinsicsOverride } from '../../src/shared/camera';
import { toErrorValue, ZoeError } from '../../src/shared/errors';
import { calibrateWithKnownLength } from '../../src/shared/measure/calibration';
import {
  measureAngle,
  measureArea,
  measureDistance,
  measureHeight,
  measurePointDepth,
  measurePolyline,
  type MeasureContext,
  type MeasureResult
} from '../../src/shared/measure/measures';
import type { MemoryBackend } from './memory-backend';

export const WALL_METRES = 4;
export const FOCAL_PX = 1000;
export const RELATIVE_ERROR = 0.1;

const WIDTH = 800;
const HEIGHT = 600;

export const WALL_CAMERA: PhotoCamera = {
  fx: FOCAL_PX,
  fy: FOCAL_PX,
  cx: (WIDTH - 1) / 2,
  cy: (HEIGHT - 1) / 2,
  width: WIDTH,
  height: HEIGHT,
  source: 'focal-length-35mm',
  sourceDescription: 'EXIF: 43 mm equivalent focal length (35 mm film, on the diagonal)',
  warnings: [],
  equivalentFocalLengthMm: 43,
  horizontalFieldOfViewDeg: 43.6,
  override: null
};

const TITLES: Record<MeasurementDraft['kind'], string> = {
  'point-depth': 'Point',
  distance: 'Distance',
  polyline: 'Path',
  area: 'Area',
  height: 'Height',
  angle: 'Angle'
};

type Measurable = Pick<MeasurementDraft, 'kind' | 'points' | 'ground'> & { id?: string; name?: string };

function runTool(context: MeasureContext, input: Measurable): MeasureResult {
  const [a, b, c] = input.points;
  const at = (point: { u: number; v: number } | undefined): { u: number; v: number } => {
    if (point === undefined) throw new ZoeError('INVALID_ARGUMENT', 'A point is missing.');
    return point;
  };
  switch (input.kind) {
    case 'point-depth':
      return measurePointDepth(context, at(a));
    case 'distance':
      return measureDistance(context, at(a), at(b));
    case 'polyline':
      return measurePolyline(context, input.points);
    case 'area':
      return measureArea(context, input.points);
    case 'height':
      return measureHeight(context, input.ground ?? [], at(a));
    case 'angle':
      return measureAngle(context, at(a), at(b), at(c));
  }
}

function cameraPointsOf(result: MeasureResult): CameraPoint[] {
  const three = (point: readonly number[]): CameraPoint => [point[0] ?? 0, point[1] ?? 0, point[2] ?? 0];
  switch (result.kind) {
    case 'point-depth':
      return [three(result.point.camera)];
    case 'area':
      return result.vertices.map(three);
    case 'height':
      return [three(result.point.camera), three(result.foot)];
    default:
      return result.points.map((point) => three(point.camera));
  }
}

/** Values as `measure.compute` returns them: the shared tools' value, band and camera points. */
export function computeOn(context: MeasureContext, inputs: readonly Measurable[]): ComputedMeasurement[] {
  return inputs.map((input) => {
    const label = { ...(input.id === undefined ? {} : { id: input.id }), ...(input.name === undefined ? {} : { name: input.name }), kind: input.kind };
    try {
      const result = runTool(context, input);
      const unit = input.kind === 'area' ? 'm²' : input.kind === 'angle' ? '°' : 'm';
      return { ...label, ok: true, value: result.value, unit, band: result.uncertainty?.band ?? null, cameraPoints: cameraPointsOf(result) };
    } catch (error) {
      return { ...label, ok: false, error: toErrorValue(error) };
    }
  });
}

/** The wall photo's kept measurements and calibration, served through `backend`. */
export class WallPhoto {
  measurements: SavedMeasurement[] = [];
  calibration: PhotoCalibration | null = null;
  /** When false, `measure.compute` fails as it does before the photo has depth. */
  hasDepth = true;
  /** The focal length in pixels: EXIF's, or from the photographer's lens and sensor width. */
  focalPx = FOCAL_PX;
  override: IntrinsicsOverride | null = null;
  private counter = 0;

  camera(): PhotoCamera {
    if (this.focalPx === FOCAL_PX) return WALL_CAMERA;
    return { ...WALL_CAMERA, fx: this.focalPx, fy: this.focalPx, source: 'user', sourceDescription: 'Your lens and sensor width', override: this.override };
  }

  context(calibrated = true): MeasureContext {
    const width = WIDTH / 4;
    const height = HEIGHT / 4;
    return {
      depth: { width, height, metres: new Float32Array(width * height).fill(WALL_METRES), photoWidth: WIDTH, photoHeight: HEIGHT },
      intrinsics: { fx: this.focalPx, fy: this.focalPx, cx: WALL_CAMERA.cx, cy: WALL_CAMERA.cy, width: WIDTH, height: HEIGHT, source: 'focal-length-35mm', warnings: [] },
      calibration: { factor: calibrated ? (this.calibration?.factor ?? 1) : 1 },
      relativeError: RELATIVE_ERROR
    };
  }

  install(backend: MemoryBackend): void {
    backend.on('measure.intrinsics', ({ override }) => {
      if (override === null) {
        this.focalPx = FOCAL_PX;
        this.override = null;
      } else if (override?.kind === 'focal-length') {
        this.focalPx = (override.focalLengthMm / override.sensorWidthMm) * WIDTH;
        this.override = override;
      }
      return this.camera();
    });
    backend.on('measure.list', ({ photoId }) => ({ photoId, measurements: this.measurements.map((m) => ({ ...m })), calibration: this.calibration, intrinsicsOverride: null }));
    backend.on('measure.save', ({ measurement }) => {
      const now = new Date().toISOString();
      const existing = this.measurements.find((candidate) => candidate.id === measurement.id);
      const kept: SavedMeasurement = {
        id: existing?.id ?? `m${++this.counter}`,
        kind: measurement.kind,
        name: measurement.name ?? existing?.name ?? `${TITLES[measurement.kind]} ${this.counter}`,
        points: measurement.points.map((point) => ({ ...point })),
        ...(measurement.ground === undefined ? {} : { ground: measurement.ground.map((point) => ({ ...point })) }),
        created: existing?.created ?? now,
        modified: now
      };
      this.measurements = existing === undefined ? [...this.measurements, kept] : this.measurements.map((m) => (m.id === kept.id ? kept : m));
      return kept;
    });
    backend.on('measure.delete', ({ measurementId }) => {
      const before = this.measurements.length;
      this.measurements = this.measurements.filter((m) => m.id !== measurementId);
      return this.measurements.length < before;
    });
    backend.on('measure.rename', ({ measurementId, name }) => {
      const found = this.measurements.find((m) => m.id === measurementId);
      if (found === undefined) throw new ZoeError('NOT_FOUND', 'No such measurement.');
      found.name = name;
      return { ...found };
    });
    backend.on('measure.setCalibration', ({ reference }) => {
      if (reference === null) return (this.calibration = null);
      const [line] = computeOn(this.context(false), [{ kind: 'distance', points: [reference.from, reference.to] }]);
      if (line?.ok !== true) throw new ZoeError('NOT_FOUND', 'No depth under the reference line.');
      const factor = calibrateWithKnownLength(line.value, reference.knownLengthMetres).factor;
      this.calibration = { factor, knownLengthMetres: reference.knownLengthMetres, measuredMetres: line.value, from: reference.from, to: reference.to, modelId: 'wall' };
      return this.calibration;
    });
    backend.on('measure.compute', ({ measurements }) => {
      if (!this.hasDepth) throw new ZoeError('NOT_FOUND', 'This photo has no depth from Test model yet. Estimate its depth first, then measure.');
      return {
        results: computeOn(this.context(), measurements ?? this.measurements),
        intrinsicsSource: this.camera().source,
        intrinsicsDescription: this.camera().sourceDescription,
        calibrationFactor: this.calibration?.factor ?? 1,
        calibration: this.calibration,
        relativeError: { state: this.calibration === null ? ('uncalibrated' as const) : ('calibrated' as const), value: RELATIVE_ERROR, pointError: RELATIVE_ERROR, source: 'test manifest' },
        depth: { modelId: 'wall', width: WIDTH / 4, height: HEIGHT / 4 }
      };
    });
    backend.on('measure.export', ({ format, destination }) => ({
      format,
      fileName: `wall.measurements.${format}`,
      text: `${this.measurements.length} measurements`,
      savedTo: destination === 'folder' ? `/exports/wall.measurements.${format}` : null
    }));
  }
}
