/**
 * The measuring panel's part of the contract: the camera a photo is measured with, the
 * measurements kept per photo (saved, listed, renamed, deleted), the calibration with a known
 * length, their values in metres with uncertainty, and exports (CSV, JSON, an annotated image).
 * Points are pixels of the upright photo at its full resolution (pixel centres at integers).
 */
import { z } from 'zod';
import type { IntrinsicsOverride, IntrinsicsSource } from '../camera';
import type { ZoeErrorValue } from '../errors';

const photoId = z.string().min(1).max(64);
const measurementId = z.string().min(1).max(64);
const finite = z.number().finite();

/** A pixel of the upright photo. */
export const photoPointSchema = z.strictObject({ u: finite, v: finite });

/** The tools: what a measurement is. */
export const MEASUREMENT_KINDS = ['point-depth', 'distance', 'polyline', 'area', 'height', 'angle'] as const;
export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

/** Points each tool takes: [fewest, most]. A height also needs a `ground` polygon of 3 or more. */
export const POINTS_PER_KIND: Readonly<Record<MeasurementKind, readonly [number, number]>> = {
  'point-depth': [1, 1],
  distance: [2, 2],
  polyline: [2, 1000],
  area: [3, 1000],
  height: [1, 1],
  angle: [3, 3]
};

const measurementName = z.string().trim().min(1).max(200);

/**
 * A measurement as the viewer draws it: the tool, its points and (for a height) the ground region.
 * With the `id` of a saved one, saving replaces it (moved handles); its name then defaults to the
 * saved name.
 */
export const measurementDraftSchema = z
  .strictObject({
    id: measurementId.optional(),
    kind: z.enum(MEASUREMENT_KINDS),
    name: measurementName.optional(),
    points: z.array(photoPointSchema).min(1).max(1000),
    ground: z.array(photoPointSchema).min(3).max(1000).optional()
  })
  .superRefine((draft, context) => {
    const [fewest, most] = POINTS_PER_KIND[draft.kind];
    if (draft.points.length < fewest || draft.points.length > most) {
      const wanted = fewest === most ? `${fewest}` : `${fewest} or more`;
      context.addIssue({ code: 'custom', path: ['points'], message: `A ${draft.kind} measurement takes ${wanted} point${fewest === 1 && most === 1 ? '' : 's'}.` });
    }
    if ((draft.kind === 'height') !== (draft.ground !== undefined)) {
      context.addIssue({ code: 'custom', path: ['ground'], message: 'A height needs a ground region, and only a height has one.' });
    }
  });
export type MeasurementDraft = z.output<typeof measurementDraftSchema>;

/** A measurement kept with a photo. */
export interface SavedMeasurement {
  id: string;
  kind: MeasurementKind;
  name: string;
  points: { u: number; v: number }[];
  ground?: { u: number; v: number }[];
  /** ISO 8601 times. */
  created: string;
  modified: string;
}

export const intrinsicsOverrideSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('focal-length'), focalLengthMm: z.number().positive().max(2000), sensorWidthMm: z.number().positive().max(100) }),
  z.strictObject({ kind: z.literal('field-of-view'), degrees: z.number().gt(0).lt(180), axis: z.enum(['horizontal', 'vertical', 'diagonal']).optional() })
]);

/**
 * `override` absent: the photo's camera as it stands (with the override kept for the photo, if
 * any). An override: kept for the photo and used by every measurement on it. `null`: back to EXIF.
 */
export const measureIntrinsicsRequest = z.strictObject({ photoId, override: intrinsicsOverrideSchema.nullable().optional() });

/** The camera a photo is measured with. */
export interface PhotoCamera {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  width: number;
  height: number;
  source: IntrinsicsSource;
  /** Where the focal length came from, in a sentence. */
  sourceDescription: string;
  warnings: string[];
  /** Camera make and model from EXIF. */
  camera?: string;
  equivalentFocalLengthMm: number;
  horizontalFieldOfViewDeg: number;
  /** The override kept for this photo, if any. */
  override: IntrinsicsOverride | null;
}

export const measurePhotoRequest = z.strictObject({ photoId });
export const measureSaveRequest = z.strictObject({ photoId, measurement: measurementDraftSchema });
export const measureRenameRequest = z.strictObject({ photoId, measurementId, name: measurementName });
export const measureDeleteRequest = z.strictObject({ photoId, measurementId });

/** A known length drawn on the photo: the line from `from` to `to` really is `knownLengthMetres` long. */
export const calibrationReferenceSchema = z.strictObject({
  knownLengthMetres: z.number().positive().max(100_000),
  from: photoPointSchema,
  to: photoPointSchema
});

/** Sets the photo's calibration from a reference, or resets it with `null`. */
export const measureSetCalibrationRequest = z.strictObject({ photoId, reference: calibrationReferenceSchema.nullable() });

/** A photo's calibration: every depth is multiplied by `factor`. */
export interface PhotoCalibration {
  factor: number;
  knownLengthMetres: number;
  /** The reference line's length before calibrating. */
  measuredMetres: number;
  from: { u: number; v: number };
  to: { u: number; v: number };
  /** The model whose depth the factor was worked out on. */
  modelId: string;
}

/** Everything kept for one photo. */
export interface PhotoMeasurements {
  photoId: string;
  measurements: SavedMeasurement[];
  calibration: PhotoCalibration | null;
  intrinsicsOverride: IntrinsicsOverride | null;
}

/** Values for drafts (e.g. while dragging), or for the photo's saved measurements when `measurements` is absent. */
export const measureComputeRequest = z.strictObject({ photoId, measurements: z.array(measurementDraftSchema).max(500).optional() });

/** A camera-space point in metres: x right, y down, z forward. */
export type CameraPoint = [number, number, number];

/** One measurement's value, or why it has none (e.g. no depth under a point). */
export type ComputedMeasurement = {
  id?: string;
  name?: string;
  kind: MeasurementKind;
} & (
  | {
      ok: true;
      /** Metres, square metres or degrees. */
      value: number;
      unit: 'm' | 'm²' | '°';
      /** Half width of the uncertainty band in the same unit; null without a known relative error. */
      band: number | null;
      /**
       * Points in camera space: the picked points (with their depth), the corners on the fitted
       * plane for an area, the point and its foot on the ground for a height.
       */
      cameraPoints: CameraPoint[];
    }
  | { ok: false; error: ZoeErrorValue }
);

/** Values of a photo's measurements and what they rest on. */
export interface MeasureComputation {
  results: ComputedMeasurement[];
  intrinsicsSource: IntrinsicsSource;
  intrinsicsDescription: string;
  calibrationFactor: number;
  /**
   * The photo's calibration as it stands on this depth and camera: the factor worked out again from
   * the reference line (after a new model or a changed camera), or null when it has none.
   */
  calibration: PhotoCalibration | null;
  /** The relative depth errors the bands use and where they come from; null when the model states none. */
  relativeError: BandBasis | null;
  depth: { modelId: string; width: number; height: number };
}

/**
 * What the ± bands rest on (see src/shared/measure/uncertainty.ts). `uncalibrated`: the overall
 * scale may be off by the model's zero-shot error; `calibrated`: a reference length set the scale,
 * and only the reference's own error and each point's error are left.
 */
export interface BandBasis {
  state: 'uncalibrated' | 'calibrated';
  /** Relative error of the photo's overall depth scale. */
  value: number;
  /** Relative error of each picked point's depth on its own. */
  pointError: number;
  /** Where the figures come from, in a sentence. */
  source: string;
}

/**
 * A CSV or JSON of the photo's saved measurements. `text` returns it; `folder` asks for a folder
 * (the host's output folder chooser) and writes it there too.
 */
export const measureExportRequest = z.strictObject({
  photoId,
  format: z.enum(['csv', 'json']),
  destination: z.enum(['text', 'folder']).default('text')
});

/** An export's text, and the file written (`null` for `text`). */
export interface MeasurementExport {
  format: 'csv' | 'json';
  fileName: string;
  text: string;
  /** The file written, for display; null when only the text was asked for. */
  savedTo: string | null;
}

/** The upright photo with its saved measurements drawn on it, written into a folder the photographer chooses. */
export const measureExportAnnotatedRequest = z.strictObject({
  photoId,
  format: z.enum(['jpeg', 'png']).default('jpeg'),
  units: z.enum(['metric', 'imperial']).default('metric')
});

/** The annotated image written. */
export interface AnnotatedExport {
  fileName: string;
  /** For display. */
  savedTo: string;
  width: number;
  height: number;
}
