/** How the info panel writes metadata: the way photographers read it (1/250 s, f/5.6, ISO 200). */
import type { PhotoMetadata } from '../../../../shared/api';
import type { IntrinsicsSource } from '../../../../shared/camera';

/** “1/250 s” below a second (the nearest whole denominator), “2.5 s”, “30 s” above. */
export function formatShutter(seconds: number): string {
  if (seconds < 1) {
    const denominator = Math.round(1 / seconds);
    return denominator <= 1 ? '1 s' : `1/${denominator} s`;
  }
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** “f/5.6”, “f/11”. */
export function formatAperture(fNumber: number): string {
  return `f/${Number(fNumber.toFixed(1))}`;
}

/** “+0.7 EV”, “−1.3 EV”, “0 EV”. */
export function formatBias(ev: number): string {
  if (Math.abs(ev) < 0.005) return '0 EV';
  const text = Math.abs(ev).toFixed(Number.isInteger(Math.round(ev * 100) / 100) ? 0 : 1);
  return `${ev > 0 ? '+' : '−'}${text} EV`;
}

/** The exposure on one line: “1/75 s · f/5.9 · ISO 64 · 0 EV”; null when EXIF gives none of it. */
export function formatExposure(exposure: PhotoMetadata['exposure']): string | null {
  const parts = [
    exposure.exposureTimeSeconds === null ? null : formatShutter(exposure.exposureTimeSeconds),
    exposure.fNumber === null ? null : formatAperture(exposure.fNumber),
    exposure.iso === null ? null : `ISO ${Math.round(exposure.iso)}`,
    exposure.biasEv === null ? null : formatBias(exposure.biasEv)
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** “24 mm (112 mm in 35 mm terms)”. */
export function formatFocalLength(focal: PhotoMetadata['focalLength']): string | null {
  const mm = focal.mm === null ? null : `${Number(focal.mm.toFixed(1))} mm`;
  const equivalent = focal.equivalent35mm === null ? null : `${Math.round(focal.equivalent35mm)} mm in 35 mm terms`;
  if (mm === null) return equivalent;
  return equivalent === null ? mm : `${mm} (${equivalent})`;
}

const SOURCE_NAMES: Record<IntrinsicsSource, string> = {
  'focal-plane-resolution': 'EXIF focal length and sensor resolution',
  'focal-length-35mm': 'EXIF 35 mm equivalent',
  'default-fov': 'default field of view (EXIF gives none)',
  user: 'your camera setting'
};

/** Where the focal length measurements use comes from, in a few words. */
export function sourceName(source: IntrinsicsSource): string {
  return SOURCE_NAMES[source];
}

/** “22 Oct 2008, 16:28:39” from the camera's wall-clock time (no time zone conversion), with “UTC+02:00” when known. */
export function formatDateTaken(local: string, offset: string | null): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(local);
  if (match === null) return local;
  const [, year, month, day, hour, minute, second] = match;
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const text = `${Number(day)} ${months[Number(month) - 1] ?? month} ${year}, ${hour}:${minute}:${second}`;
  return offset === null ? text : `${text} (UTC${offset})`;
}

/** “43.46745° N, 11.88513° E”. */
export function formatCoordinates(latitude: number, longitude: number): string {
  const lat = `${Math.abs(latitude).toFixed(5)}° ${latitude < 0 ? 'S' : 'N'}`;
  const lon = `${Math.abs(longitude).toFixed(5)}° ${longitude < 0 ? 'W' : 'E'}`;
  return `${lat}, ${lon}`;
}

/** “812 KB”, “24.6 MB” (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} KB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

/** “6000 × 4000 (24.0 MP)”. */
export function formatDimensions(width: number, height: number): string {
  return `${width} × ${height} (${((width * height) / 1e6).toFixed(1)} MP)`;
}
