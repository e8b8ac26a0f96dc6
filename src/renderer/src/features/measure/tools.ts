/**
 * The measuring tools as the viewer offers them: their names, keys, how many points each takes and
 * how a pointer position on the photo becomes a pixel of the upright photo. Pure, no DOM.
 */
import { POINTS_PER_KIND, type BandBasis, type MeasurementDraft, type MeasurementKind, type SavedMeasurement } from '../../../../shared/api/measure';
import { formatAngle, formatArea, formatLength, formatWithBand, type UnitSystem } from '../../../../shared/measure/units';
import type { LengthUnit } from '../../../../shared/settings';

/** A tool: one of the measurement kinds, or drawing the reference line of a calibration. */
export type MeasureTool = MeasurementKind | 'calibrate';

/** A pixel of the upright photo at full resolution (pixel centres at integers). */
export interface PhotoPoint {
  u: number;
  v: number;
}

/** A key that picks or drives a tool, and how a tooltip writes it. */
export interface MeasureKey {
  /** `KeyboardEvent.key`, lower-cased. */
  key: string;
  label: string;
  command?: boolean;
  shift?: boolean;
}

/** Each tool's name, key and what to do with it. */
export const TOOLS: readonly { tool: MeasureTool; title: string; key: MeasureKey; hint: string }[] = [
  { tool: 'point-depth', title: 'Point', key: { key: 'p', label: 'P' }, hint: 'Click a point to read its distance from the camera.' },
  { tool: 'distance', title: 'Distance', key: { key: 'm', label: 'M' }, hint: 'Click two points: their distance in 3-D.' },
  { tool: 'polyline', title: 'Path', key: { key: 'l', label: 'L' }, hint: 'Click along a path; Enter or a double-click ends it.' },
  { tool: 'area', title: 'Area', key: { key: 'a', label: 'A' }, hint: 'Click the corners of a flat region; Enter or a double-click closes it.' },
  { tool: 'height', title: 'Height', key: { key: 'h', label: 'H' }, hint: 'Outline the ground (3 or more clicks, then Enter), then click the point to measure.' },
  { tool: 'angle', title: 'Angle', key: { key: 'g', label: 'G' }, hint: 'Click three points; the angle is at the middle one.' },
  { tool: 'calibrate', title: 'Calibrate', key: { key: 'k', label: 'K' }, hint: 'Click both ends of something of known length (a door, a table), then type its length.' }
];

/** Keys that drive the tools once one is picked. */
export const EDIT_KEYS = {
  cancel: { key: 'escape', label: 'Esc' },
  finish: { key: 'enter', label: 'Enter' },
  undo: { key: 'z', label: 'Ctrl+Z', command: true },
  redo: { key: 'z', label: 'Ctrl+Shift+Z', command: true, shift: true },
  deleteSelected: { key: 'delete', label: 'Delete' }
} as const satisfies Record<string, MeasureKey>;

/** Whether a key event is this key, with exactly its modifiers. */
export function isKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, key: MeasureKey): boolean {
  if (event.altKey || (event.ctrlKey || event.metaKey) !== (key.command === true)) return false;
  // Shift matters for the Ctrl shortcuts (undo/redo) and is ignored for letters typed alone.
  if (key.command === true && event.shiftKey !== (key.shift === true)) return false;
  return event.key.toLowerCase() === key.key;
}

/** A tooltip naming the key: “Distance (M)”. */
export function keyTooltip(action: string, key: MeasureKey): string {
  return `${action} (${key.label})`;
}

/** Points a tool takes: [fewest, most]. Calibration takes a line. */
export function pointsOf(tool: MeasureTool): readonly [number, number] {
  return tool === 'calibrate' ? [2, 2] : POINTS_PER_KIND[tool];
}

/**
 * The photo pixel under a pointer: `x`, `y` are the pointer's offset in the photo's box on screen,
 * `boxWidth`/`boxHeight` that box's size and `photoWidth`/`photoHeight` the upright photo's. The
 * position snaps to the centre of the pixel under the pointer and stays inside the photo.
 */
export function photoPixelAt(x: number, y: number, boxWidth: number, boxHeight: number, photoWidth: number, photoHeight: number): PhotoPoint {
  const u = Math.floor((x / boxWidth) * photoWidth);
  const v = Math.floor((y / boxHeight) * photoHeight);
  return { u: Math.min(photoWidth - 1, Math.max(0, u)), v: Math.min(photoHeight - 1, Math.max(0, v)) };
}

/** The settings' length unit as the unit system of the shared formatters. */
export function unitSystemOf(units: LengthUnit): UnitSystem {
  return units === 'feet' ? 'imperial' : 'metric';
}

/** A value in the photographer's units, with its band when there is one: “2.35 m ± 18.0 cm”. */
export function formatValue(unit: 'm' | 'm²' | '°', value: number, band: number | null, units: LengthUnit): string {
  const kind = unit === 'm' ? 'length' : unit === 'm²' ? 'area' : 'angle';
  return formatWithBand(kind, value, band, unitSystemOf(units));
}

/** A value alone, without its band. */
export function formatBare(unit: 'm' | 'm²' | '°', value: number, units: LengthUnit): string {
  const system = unitSystemOf(units);
  return unit === 'm' ? formatLength(value, system) : unit === 'm²' ? formatArea(value, system) : formatAngle(value);
}

/** Whether two photo pixels are the same one. */
export function samePoint(a: PhotoPoint | undefined, b: PhotoPoint): boolean {
  return a !== undefined && a.u === b.u && a.v === b.v;
}

/** A kept measurement as a draft that keeps it again (after an undone delete, or a moved handle). */
export function restorable(measurement: SavedMeasurement): MeasurementDraft {
  const draft: MeasurementDraft = { kind: measurement.kind, name: measurement.name, points: measurement.points.map((point) => ({ ...point })) };
  return measurement.ground === undefined ? draft : { ...draft, ground: measurement.ground.map((point) => ({ ...point })) };
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

/** “Uncalibrated ± 24.8 %” or “Calibrated ± 1.2 %”: the state of the bands and the error of the photo's overall scale. */
export function bandState(basis: BandBasis): string {
  return `${basis.state === 'calibrated' ? 'Calibrated' : 'Uncalibrated'} ± ${percent(basis.value)}`;
}

/** What the ± bands rest on, in a sentence for the measuring panel and the values' tooltips. */
export function bandSentence(basis: BandBasis | null): string {
  if (basis === null) return 'No uncertainty band: this model states no relative depth error.';
  const scale =
    basis.state === 'calibrated'
      ? `the reference length sets the overall scale, to within ${percent(basis.value)}`
      : `the overall scale may be off by ${percent(basis.value)} (the model's error on photos unlike its training data); calibrate with a known length to narrow it`;
  return `± bands: ${scale}; each point ${percent(basis.pointError)} on its own. Sources: ${basis.source}.`;
}
