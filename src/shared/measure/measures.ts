/**
 * The measuring tools on one photo: point depth, two-point distance, polyline length, area on a
 * fitted plane, height above a ground plane, angle. Each takes photo pixels of the upright photo,
 * reads depth robustly (./sampling), applies the calibration, and returns its value with an
 * uncertainty band (./uncertainty) and the intrinsics source it relied on.
 */
import type { Intrinsics, IntrinsicsSource } from '../camera';
import { ZoeError } from '../errors';
import { calibrateWithKnownLength, NO_CALIBRATION, type Calibration } from './calibration';
import {
  angleAtDeg,
  intersectRayWithPlane,
  pathLength,
  planarPolygonArea,
  signedDistance,
  unproject,
  type Plane,
  type PhotoPoint
} from './geometry';
import { DEFAULT_PLANE_FIT_OPTIONS, fitPlane, type PlaneFit, type PlaneFitOptions } from './plane-fit';
import { collectRegionSamples } from './region';
import { DEFAULT_SAMPLE_OPTIONS, sampleDepth, type DepthGrid, type DepthSample, type DepthSampleOptions } from './sampling';
import { depthErrorBand, type BandErrors, type Uncertainty } from './uncertainty';
import { norm, scale, subtract, type Vec3 } from './vector';

/** Everything a measurement on one photo depends on. */
export interface MeasureContext {
  depth: DepthGrid;
  /** Intrinsics of the upright photo the depth grid covers. */
  intrinsics: Intrinsics;
  calibration?: Calibration;
  /** The relative error of the photo's overall depth scale (see ./uncertainty); no band without it. */
  relativeError?: number;
  /** The relative error of each point's depth on its own; `relativeError` when not given. */
  pointError?: number;
  sampling?: DepthSampleOptions;
  planeFit?: PlaneFitOptions;
}

/** A picked photo point with its depth and camera-space position (calibration applied). */
export interface MeasuredPoint {
  photo: PhotoPoint;
  depthMetres: number;
  camera: Vec3;
  sampling: DepthSample['method'];
}

/** What every tool returns. */
export interface MeasureResultBase {
  /** Metres for lengths, square metres for areas, degrees for angles. */
  value: number;
  uncertainty: Uncertainty | null;
  intrinsicsSource: IntrinsicsSource;
  calibrationFactor: number;
}

/** Depth at one point: `value` is the z-distance in metres. */
export interface PointDepthResult extends MeasureResultBase {
  kind: 'point-depth';
  point: MeasuredPoint;
  /** Straight-line distance from the camera (along the ray), metres. */
  rangeMetres: number;
}
/** Straight distance between two points, metres. */
export interface DistanceResult extends MeasureResultBase {
  kind: 'distance';
  points: [MeasuredPoint, MeasuredPoint];
}
/** Length of a path, metres, with each segment's length. */
export interface PolylineResult extends MeasureResultBase {
  kind: 'polyline';
  points: MeasuredPoint[];
  segmentMetres: number[];
}
/** Area of a polygon on a fitted plane, square metres. */
export interface AreaResult extends MeasureResultBase {
  kind: 'area';
  /** The polygon's corners on the fitted plane, camera space. */
  vertices: Vec3[];
  plane: PlaneFit;
  perimeterMetres: number;
}
/** Height of a point above a fitted ground plane, metres. */
export interface HeightResult extends MeasureResultBase {
  kind: 'height';
  point: MeasuredPoint;
  /** The point straight below (or above) on the ground plane. */
  foot: Vec3;
  ground: PlaneFit;
}
/** Angle at the middle point, degrees. */
export interface AngleResult extends MeasureResultBase {
  kind: 'angle';
  points: [MeasuredPoint, MeasuredPoint, MeasuredPoint];
}

/** Any tool's result, told apart by `kind`. */
export type MeasureResult = PointDepthResult | DistanceResult | PolylineResult | AreaResult | HeightResult | AngleResult;

function factorOf(context: MeasureContext): number {
  return (context.calibration ?? NO_CALIBRATION).factor;
}

/** Reads a picked point; throws a photographer-readable error where there is no depth. */
export function measurePoint(context: MeasureContext, photo: PhotoPoint): MeasuredPoint {
  const sample = sampleDepth(context.depth, photo.u, photo.v, context.sampling ?? DEFAULT_SAMPLE_OPTIONS);
  if (sample === null) {
    throw new ZoeError('INVALID_ARGUMENT', 'There is no usable depth at that point. Pick a point on the photo where the depth map has a value.', {
      detail: `(${photo.u}, ${photo.v})`
    });
  }
  const depthMetres = sample.metres * factorOf(context);
  return { photo, depthMetres, camera: unproject(context.intrinsics, photo, depthMetres), sampling: sample.method };
}

function base(context: MeasureContext, value: number, uncertainty: Uncertainty | null): MeasureResultBase {
  return { value, uncertainty, intrinsicsSource: context.intrinsics.source, calibrationFactor: factorOf(context) };
}

/** The errors a band is made of, or null when the model states none. */
function bandErrors(context: MeasureContext): BandErrors | null {
  if (context.relativeError === undefined) return null;
  return { scale: context.relativeError, point: context.pointError ?? context.relativeError };
}

/** Band for a measure that is a function of the picked points only. */
function pointsBand(context: MeasureContext, points: readonly MeasuredPoint[], evaluate: (cameraPoints: Vec3[]) => number, value: number): Uncertainty | null {
  const errors = bandErrors(context);
  if (errors === null) return null;
  const moved = (factors: readonly number[]): number => evaluate(points.map((p, i) => scale(p.camera, factors[i] ?? 1)));
  return depthErrorBand(errors, value, points.length, moved, (factor) => moved(points.map(() => factor)));
}

/** Depth at one point (z-distance, the model's own quantity). */
export function measurePointDepth(context: MeasureContext, photo: PhotoPoint): PointDepthResult {
  const point = measurePoint(context, photo);
  const uncertainty = pointsBand(context, [point], ([p]) => p[2], point.depthMetres);
  return { kind: 'point-depth', ...base(context, point.depthMetres, uncertainty), point, rangeMetres: norm(point.camera) };
}

/** Straight 3-D distance between two picked points. */
export function measureDistance(context: MeasureContext, from: PhotoPoint, to: PhotoPoint): DistanceResult {
  const points: [MeasuredPoint, MeasuredPoint] = [measurePoint(context, from), measurePoint(context, to)];
  const length = (camera: Vec3[]): number => pathLength(camera);
  const value = length(points.map((p) => p.camera));
  return { kind: 'distance', ...base(context, value, pointsBand(context, points, length, value)), points };
}

/** Length of a path through two or more picked points. */
export function measurePolyline(context: MeasureContext, photoPoints: readonly PhotoPoint[]): PolylineResult {
  if (photoPoints.length < 2) throw new ZoeError('INVALID_ARGUMENT', 'A path needs at least two points.');
  const points = photoPoints.map((p) => measurePoint(context, p));
  const camera = points.map((p) => p.camera);
  const value = pathLength(camera);
  const segmentMetres = camera.slice(1).map((p, i) => norm(subtract(p, camera[i])));
  return { kind: 'polyline', ...base(context, value, pointsBand(context, points, pathLength, value)), points, segmentMetres };
}

/** The angle at `vertex` between the directions to `a` and `b`, in degrees. */
export function measureAngle(context: MeasureContext, a: PhotoPoint, vertex: PhotoPoint, b: PhotoPoint): AngleResult {
  const points: [MeasuredPoint, MeasuredPoint, MeasuredPoint] = [measurePoint(context, a), measurePoint(context, vertex), measurePoint(context, b)];
  const angle = ([p, q, r]: Vec3[]): number => angleAtDeg(p, q, r);
  const value = angle(points.map((p) => p.camera));
  return { kind: 'angle', ...base(context, value, pointsBand(context, points, angle, value)), points };
}

/** Fits a plane to the depth inside a polygon drawn on the photo. */
export function fitPlaneInPolygon(context: MeasureContext, polygon: readonly PhotoPoint[]): PlaneFit {
  if (polygon.length < 3) throw new ZoeError('INVALID_ARGUMENT', 'An area needs at least three corners.');
  const samples = collectRegionSamples(context.depth, context.intrinsics, polygon, factorOf(context));
  const fit = fitPlane(samples, context.planeFit ?? DEFAULT_PLANE_FIT_OPTIONS);
  if (fit === null || fit.inlierCount < 3) {
    throw new ZoeError('INVALID_ARGUMENT', 'There is not enough depth inside that shape to find a surface. Draw a larger shape on one surface.');
  }
  return fit;
}

function scalePlane(plane: Plane, factor: number): Plane {
  return { normal: plane.normal, offset: plane.offset * factor };
}

/**
 * Area of a polygon drawn on a flat surface: a plane is fitted (RANSAC, then least squares) to the
 * depth inside it and each corner's ray is intersected with that plane, so the corners need no
 * depth of their own (they often sit on edges where depth is unreliable).
 */
export function measureArea(context: MeasureContext, polygon: readonly PhotoPoint[]): AreaResult {
  const fit = fitPlaneInPolygon(context, polygon);
  const corners = (plane: Plane): Vec3[] =>
    polygon.map((corner) => {
      const hit = intersectRayWithPlane(context.intrinsics, corner, plane);
      if (hit === null) {
        throw new ZoeError('INVALID_ARGUMENT', 'A corner of the shape lies beyond the surface’s horizon. Keep the corners on the surface.');
      }
      return hit;
    });
  const vertices = corners(fit.plane);
  const value = planarPolygonArea(vertices);
  const perimeterMetres = pathLength([...vertices, vertices[0]]);
  const errors = bandErrors(context);
  const uncertainty = errors === null ? null : depthErrorBand(errors, value, 0, () => value, (factor) => planarPolygonArea(corners(scalePlane(fit.plane, factor))));
  return { kind: 'area', ...base(context, value, uncertainty), vertices, plane: fit, perimeterMetres };
}

/**
 * Height of a picked point above a ground plane fitted to a region the user marks (a polygon on
 * the floor). Positive on the camera's side of the ground, i.e. above the floor for a camera held
 * above it.
 */
export function measureHeight(context: MeasureContext, groundPolygon: readonly PhotoPoint[], photo: PhotoPoint): HeightResult {
  const ground = fitPlaneInPolygon(context, groundPolygon);
  if (Math.abs(ground.plane.offset) < 1e-9) throw new ZoeError('INVALID_ARGUMENT', 'The ground region passes through the camera; pick a region on the ground.');
  const side = Math.sign(ground.plane.offset);
  const point = measurePoint(context, photo);
  const heightOf = (p: Vec3, plane: Plane): number => side * signedDistance(plane, p);
  const value = heightOf(point.camera, ground.plane);
  const foot = subtract(point.camera, scale(ground.plane.normal, signedDistance(ground.plane, point.camera)));
  const errors = bandErrors(context);
  const uncertainty =
    errors === null
      ? null
      : depthErrorBand(
          errors,
          value,
          1,
          ([f]) => heightOf(scale(point.camera, f ?? 1), ground.plane),
          (factor) => heightOf(scale(point.camera, factor), scalePlane(ground.plane, factor))
        );
  return { kind: 'height', ...base(context, value, uncertainty), point, foot, ground };
}

/** A calibration worked out from a reference line, with how sure its scale is. */
export interface ReferenceCalibration extends Calibration {
  /** The reference line's length on the uncalibrated depth. */
  measuredMetres: number;
  /**
   * Relative error of the calibrated scale: the reference's own length error from its two ends'
   * independent depth errors (`pointError`), over its length; null without error figures.
   */
  scaleError: number | null;
}

/**
 * The calibration that makes the line from `from` to `to` measure `knownMetres` on this depth and
 * camera (`context` without calibration). Worked out again whenever the depth or the camera
 * changes, so a line drawn on the reference always reads the known length.
 */
export function calibrationFromReference(context: MeasureContext, reference: { from: PhotoPoint; to: PhotoPoint; knownMetres: number }): ReferenceCalibration {
  const uncalibrated: MeasureContext = { ...context, calibration: NO_CALIBRATION };
  const measured = measureDistance(uncalibrated, reference.from, reference.to);
  const calibration = calibrateWithKnownLength(measured.value, reference.knownMetres);
  const pointBand = measured.uncertainty?.pointBand;
  return { ...calibration, measuredMetres: measured.value, scaleError: pointBand === undefined ? null : pointBand / measured.value };
}
