/**
 * What the export dialog says about each format: a short title, which tools read it, and the
 * helpers that turn a naming template and byte counts into words a photographer reads.
 */
import { EXPORT_FILE_SUFFIXES, type ExportFormat } from '../../../../shared/export';

/** One format as the dialog lists it. */
export interface FormatDescription {
  format: ExportFormat;
  title: string;
  /** Which tools read it and what it holds. */
  readers: string;
}

/** Every format, grouped as the dialog shows them: depth values, pictures, 3-D. */
export const FORMAT_DESCRIPTIONS: readonly FormatDescription[] = [
  { format: 'png16', title: '16-bit PNG', readers: 'Depth in greyscale steps (KITTI style); Photoshop, After Effects, OpenCV, most depth tools.' },
  { format: 'tiff32', title: '32-bit float TIFF', readers: 'Exact metres; Photoshop, GIMP, Affinity, QGIS.' },
  { format: 'exr', title: 'OpenEXR', readers: 'One Z channel in metres; Nuke, Blender, After Effects, DaVinci Resolve.' },
  { format: 'pfm', title: 'PFM', readers: 'Portable float map in metres; research tools, OpenCV, Middlebury.' },
  { format: 'npy', title: 'NumPy .npy', readers: 'A float32 array in metres for Python and NumPy.' },
  { format: 'png8', title: 'Colour PNG', readers: 'A picture of the depth with the colour map below; any viewer.' },
  { format: 'jpg', title: 'Colour JPEG', readers: 'The same colour picture, smaller; any viewer.' },
  { format: 'ply', title: 'PLY point cloud', readers: 'Coloured points in metres; MeshLab, CloudCompare, Blender.' },
  { format: 'glb', title: 'glTF mesh (.glb)', readers: 'A textured mesh cut at depth edges; Blender, Windows 3D Viewer, web viewers.' },
  { format: 'gdepth', title: 'JPEG with Google depth', readers: 'The photo with its depth inside (GDepth XMP); Google Photos-style depth viewers, exiftool.' }
];

/** Formats the dialog picks the first time it opens. */
export const DEFAULT_FORMATS: readonly ExportFormat[] = ['png16'];

/** Formats whose output uses the colour map and range. */
export const COLOURED_FORMATS: readonly ExportFormat[] = ['png8', 'jpg'];

/** Today as the `{date}` token writes it, YYYY-MM-DD in local time. */
export function templateDateOf(now: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A photo's name without its extension: `IMG_0042.CR3` → `IMG_0042`. */
export function photoBaseName(photoName: string): string {
  const dot = photoName.lastIndexOf('.');
  return dot > 0 ? photoName.slice(0, dot) : photoName;
}

/** The template filled in for one photo, as the writers fill it (before any conflict suffix). */
export function applyTemplate(template: string, tokens: { name: string; model: string; date: string }): string {
  return template.replace(/\{(name|model|date)\}/g, (_match, token: 'name' | 'model' | 'date') => tokens[token]);
}

/**
 * The file a format gets for a photo under a template, as the writers name it: the filled-in
 * template, then the format's ending after `.depth` (`.png`, `-color.png`, `.json`…), so the default
 * `{name}.depth` gives `IMG_0042.depth.png`.
 */
export function exampleFileName(template: string, format: ExportFormat | 'json', tokens: { name: string; model: string; date: string }): string {
  return `${applyTemplate(template, tokens)}${EXPORT_FILE_SUFFIXES[format].slice('.depth'.length)}`;
}

/** Bytes in the units a photographer reads: `830 KB`, `12.4 MB`, `1.2 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit] ?? 'TB'}`;
}
