/** Measurements in the photographer's units: metres or feet and inches. */

/** Metres (and centimetres), or feet and inches. */
export type UnitSystem = 'metric' | 'imperial';

export const METRES_PER_FOOT = 0.3048;
export const METRES_PER_INCH = 0.0254;

/** A length for display: "85.3 cm", "2.35 m", "48.2 m"; "7 ft 8.5 in", "10.5 in". */
export function formatLength(metres: number, system: UnitSystem): string {
  if (!Number.isFinite(metres)) return '—';
  const sign = metres < 0 ? '−' : '';
  const size = Math.abs(metres);
  if (system === 'metric') {
    if (size < 1) return `${sign}${(size * 100).toFixed(1)} cm`;
    return `${sign}${size.toFixed(size < 100 ? 2 : 1)} m`;
  }
  const totalInches = Math.round((size / METRES_PER_INCH) * 2) / 2; // nearest half inch
  if (totalInches < 12) return `${sign}${totalInches.toFixed(1)} in`;
  const feet = Math.floor(totalInches / 12);
  const inches = totalInches - feet * 12;
  if (feet >= 100) return `${sign}${(size / METRES_PER_FOOT).toFixed(0)} ft`;
  return `${sign}${feet} ft ${inches.toFixed(1)} in`;
}

/** An area for display: "3.00 m²" / "32.3 ft²" (square centimetres / inches below a tenth). */
export function formatArea(squareMetres: number, system: UnitSystem): string {
  if (!Number.isFinite(squareMetres)) return '—';
  if (system === 'metric') {
    return squareMetres < 0.1 ? `${(squareMetres * 1e4).toFixed(0)} cm²` : `${squareMetres.toFixed(2)} m²`;
  }
  const squareFeet = squareMetres / METRES_PER_FOOT ** 2;
  return squareFeet < 1 ? `${(squareMetres / METRES_PER_INCH ** 2).toFixed(0)} in²` : `${squareFeet.toFixed(1)} ft²`;
}

/** An angle for display: "90.0°". */
export function formatAngle(degrees: number): string {
  return Number.isFinite(degrees) ? `${degrees.toFixed(1)}°` : '—';
}

/** A value with its band: "2.35 m ± 18.0 cm". Without a band, the value alone. */
export function formatWithBand(kind: 'length' | 'area' | 'angle', value: number, band: number | null, system: UnitSystem): string {
  const format = (x: number): string => (kind === 'length' ? formatLength(x, system) : kind === 'area' ? formatArea(x, system) : formatAngle(x));
  return band === null ? format(value) : `${format(value)} ± ${format(band)}`;
}

const LENGTH_PATTERN = /^\s*(\d+(?:[.,]\d+)?)\s*(mm|cm|m|km|in|inch|inches|"|ft|feet|foot|')?\s*(?:(\d+(?:[.,]\d+)?)\s*(in|inch|inches|")\s*)?$/i;

const METRES_PER: Readonly<Record<string, number>> = {
  mm: 0.001, cm: 0.01, m: 1, km: 1000,
  in: METRES_PER_INCH, inch: METRES_PER_INCH, inches: METRES_PER_INCH, '"': METRES_PER_INCH,
  ft: METRES_PER_FOOT, feet: METRES_PER_FOOT, foot: METRES_PER_FOOT, "'": METRES_PER_FOOT
};

/**
 * A length typed by the photographer, for calibration: "2", "2.00 m", "200 cm", "6 ft 8 in",
 * "6' 8\"", "80 in". A bare number is in the unit system's main unit (metres or feet). Null when
 * the text is not a length.
 */
export function parseLength(text: string, system: UnitSystem): number | null {
  const match = LENGTH_PATTERN.exec(text);
  if (match === null) return null;
  const [, amount, unit, extraAmount, extraUnit] = match;
  const number = (s: string): number => Number(s.replace(',', '.'));
  const unitKey = (unit ?? (system === 'metric' ? 'm' : 'ft')).toLowerCase();
  const perUnit = METRES_PER[unitKey];
  if (perUnit === undefined || amount === undefined) return null;
  let metres = number(amount) * perUnit;
  if (extraAmount !== undefined) {
    if (perUnit !== METRES_PER_FOOT || extraUnit === undefined) return null; // "2 m 3 in" is not a length
    metres += number(extraAmount) * METRES_PER_INCH;
  }
  return metres > 0 && Number.isFinite(metres) ? metres : null;
}
