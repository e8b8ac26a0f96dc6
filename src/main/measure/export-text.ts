/**
 * A photo's saved measurements as CSV (RFC 4180: comma separated, fields quoted when they hold a
 * comma, quote or line break, CRLF line ends) and as JSON. Numbers are written in full precision
 * so they read back exactly; lengths in metres, areas in square metres, angles in degrees.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { ComputedMeasurement, MeasureComputation, PhotoCalibration, SavedMeasurement } from '../../shared/api/measure';
import type { ZoeErrorValue } from '../../shared/errors';
import { unitOf } from './compute';

/** The saved measurements with their values, or with the reason there are none. */
export interface MeasurementsForExport {
  photoName: string;
  measurements: SavedMeasurement[];
  calibration: PhotoCalibration | null;
  /** Null when the values could not be worked out (no model, no depth yet): `unavailable` says why. */
  computation: MeasureComputation | null;
  unavailable?: ZoeErrorValue;
}

/** The columns of the CSV, in order. */
export const CSV_COLUMNS = [
  'name',
  'kind',
  'value',
  'unit',
  'uncertainty',
  'relative_error',
  'intrinsics_source',
  'calibration_factor',
  'points',
  'ground',
  'created',
  'modified',
  'note'
] as const;

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function pointsText(points: readonly { u: number; v: number }[] | undefined): string {
  return points === undefined ? '' : points.map((point) => `${point.u} ${point.v}`).join('; ');
}

function resultOf(data: MeasurementsForExport, index: number): ComputedMeasurement | undefined {
  return data.computation?.results[index];
}

/** The CSV text: a header line, then one line per saved measurement. */
export function measurementsCsv(data: MeasurementsForExport): string {
  const lines = [CSV_COLUMNS.join(',')];
  data.measurements.forEach((measurement, index) => {
    const result = resultOf(data, index);
    const ok = result?.ok === true ? result : undefined;
    const note = result === undefined ? (data.unavailable?.message ?? '') : result.ok ? '' : result.error.message;
    const row: Record<(typeof CSV_COLUMNS)[number], string> = {
      name: measurement.name,
      kind: measurement.kind,
      value: ok === undefined ? '' : String(ok.value),
      unit: unitOf(measurement.kind),
      uncertainty: ok?.band === null || ok === undefined ? '' : String(ok.band),
      relative_error: ok === undefined || data.computation?.relativeError == null ? '' : String(data.computation.relativeError.value),
      intrinsics_source: data.computation?.intrinsicsSource ?? '',
      calibration_factor: data.computation === null ? '' : String(data.computation.calibrationFactor),
      points: pointsText(measurement.points),
      ground: pointsText(measurement.ground),
      created: measurement.created,
      modified: measurement.modified,
      note
    };
    lines.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** The JSON text: the photo, the camera and calibration used, and each measurement with its value. */
export function measurementsJson(data: MeasurementsForExport): string {
  const computation = data.computation;
  const document = {
    kind: 'zoe-studio-measurements',
    version: 1,
    photo: data.photoName,
    units: { length: 'm', area: 'm²', angle: '°' },
    camera: computation === null ? null : { source: computation.intrinsicsSource, description: computation.intrinsicsDescription },
    depth: computation?.depth ?? null,
    relativeError: computation?.relativeError ?? null,
    calibration: data.calibration,
    ...(data.unavailable === undefined ? {} : { valuesUnavailable: data.unavailable.message }),
    measurements: data.measurements.map((measurement, index) => ({ ...measurement, result: resultOf(data, index) ?? null }))
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `<stem><ending>` in `folder`, or `<stem>-2<ending>`, `-3`… when taken: an export never replaces a file. */
export async function freeFileName(folder: string, stem: string, ending: string): Promise<string> {
  for (let number = 1; ; number++) {
    const name = number === 1 ? `${stem}${ending}` : `${stem}-${number}${ending}`;
    try {
      await access(path.join(folder, name));
    } catch {
      return name;
    }
  }
}
