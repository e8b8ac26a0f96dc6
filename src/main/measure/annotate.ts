/**
 * The annotated image: the upright photo at full resolution with its measurements drawn on it —
 * lines, corners, the ground region of a height, and a label with each value — drawn as an SVG
 * overlay that sharp (librsvg) renders and composites, written to a temporary file beside the
 * target and renamed into place. The photo itself is only read.
 */
import { readPhoto, photoSharp } from '../photos/read';
import type { MeasurementKind } from '../../shared/api/measure';
import { ZoeError } from '../../shared/errors';
import { replaceFileAtomic } from '../fs/atomic';

/** One measurement to draw. */
export interface Annotation {
  kind: MeasurementKind;
  points: readonly { u: number; v: number }[];
  ground?: readonly { u: number; v: number }[];
  /** E.g. "Door: 2.03 m ± 15.2 cm". */
  label: string;
}

/** The line colour: a saturated yellow that stands out on skin, sky, foliage and walls alike. */
export const ANNOTATION_COLOUR = { r: 255, g: 212, b: 0 } as const;
const LINE = `rgb(${ANNOTATION_COLOUR.r},${ANNOTATION_COLOUR.g},${ANNOTATION_COLOUR.b})`;
const GROUND = 'rgb(0,200,255)';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[character] ?? character);
}

function pointList(points: readonly { u: number; v: number }[]): string {
  return points.map((point) => `${point.u.toFixed(2)},${point.v.toFixed(2)}`).join(' ');
}

/** Where a label goes: beside the middle of the first segment, off the line, inside the picture. */
function labelAnchor(annotation: Annotation, offset: number): { x: number; y: number } {
  const [a, b] = annotation.points;
  if (a === undefined) return { x: 0, y: 0 };
  if (b === undefined || annotation.kind === 'area') {
    const count = annotation.points.length;
    const centre = annotation.points.reduce((sum, point) => ({ x: sum.x + point.u / count, y: sum.y + point.v / count }), { x: 0, y: 0 });
    return annotation.kind === 'area' ? centre : { x: a.u + offset, y: a.v - offset };
  }
  const length = Math.hypot(b.u - a.u, b.v - a.v) || 1;
  // The perpendicular that points up (or left), so the label sits above the line.
  let nx = -(b.v - a.v) / length;
  let ny = (b.u - a.u) / length;
  if (ny > 0 || (ny === 0 && nx > 0)) {
    nx = -nx;
    ny = -ny;
  }
  return { x: (a.u + b.u) / 2 + nx * offset, y: (a.v + b.v) / 2 + ny * offset };
}

/** The overlay for a `width` × `height` upright photo. */
export function annotationSvg(width: number, height: number, annotations: readonly Annotation[]): string {
  const stroke = Math.max(3, Math.round(Math.min(width, height) / 250));
  const fontSize = Math.max(14, Math.round(Math.min(width, height) / 32));
  // Layers, bottom to top: regions, lines, points, labels, so no region ever covers a line.
  const regions: string[] = [];
  const lines: string[] = [];
  const points: string[] = [];
  const labels: string[] = [];
  for (const annotation of annotations) {
    if (annotation.ground !== undefined) {
      regions.push(`<polygon points="${pointList(annotation.ground)}" fill="${GROUND}" fill-opacity="0.15" stroke="${GROUND}" stroke-width="${stroke}" stroke-dasharray="${stroke * 3},${stroke * 2}"/>`);
    }
    const shape = annotation.kind === 'area' ? 'polygon' : 'polyline';
    if (annotation.points.length > 1) {
      if (annotation.kind === 'area') regions.push(`<polygon points="${pointList(annotation.points)}" fill="${LINE}" fill-opacity="0.18"/>`);
      lines.push(`<${shape} points="${pointList(annotation.points)}" fill="none" stroke="black" stroke-opacity="0.55" stroke-width="${stroke + 4}" stroke-linejoin="round"/>`);
      lines.push(`<${shape} points="${pointList(annotation.points)}" fill="none" stroke="${LINE}" stroke-width="${stroke}" stroke-linejoin="round" stroke-linecap="round"/>`);
    }
    for (const point of annotation.points) {
      points.push(`<circle cx="${point.u.toFixed(2)}" cy="${point.v.toFixed(2)}" r="${stroke * 2}" fill="white" stroke="black" stroke-width="${Math.max(1, stroke / 2)}"/>`);
    }
    const anchor = labelAnchor(annotation, fontSize * 1.2);
    const boxWidth = annotation.label.length * fontSize * 0.6 + fontSize * 0.8;
    const boxHeight = fontSize * 1.5;
    const x = Math.min(Math.max(anchor.x - boxWidth / 2, 0), Math.max(0, width - boxWidth));
    const y = Math.min(Math.max(anchor.y - boxHeight / 2, 0), Math.max(0, height - boxHeight));
    labels.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${boxWidth.toFixed(1)}" height="${boxHeight.toFixed(1)}" rx="${(fontSize / 4).toFixed(1)}" fill="black" fill-opacity="0.65"/>`);
    labels.push(
      `<text x="${(x + fontSize * 0.4).toFixed(1)}" y="${(y + fontSize * 1.1).toFixed(1)}" font-family="sans-serif" font-size="${fontSize}" fill="white">${escapeXml(annotation.label)}</text>`
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${[...regions, ...lines, ...points, ...labels].join('')}</svg>`;
}

/** Size of the photo once EXIF orientation is applied. */
export async function uprightPhotoSize(photoPath: string): Promise<{ width: number; height: number }> {
  return uprightSizeOf((await readPhoto(photoPath)).bytes);
}

async function uprightSizeOf(bytes: Uint8Array): Promise<{ width: number; height: number }> {
  let metadata;
  try {
    metadata = await photoSharp(bytes).metadata();
  } catch (error) {
    throw new ZoeError('UNSUPPORTED_IMAGE', 'Zoe Studio cannot read this photo to draw on it.', { cause: error });
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  return (metadata.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/** Writes the upright photo with `annotations` drawn on it to `target` as JPEG or PNG. */
export async function writeAnnotatedPhoto(
  photoPath: string,
  target: string,
  annotations: readonly Annotation[],
  format: 'jpeg' | 'png'
): Promise<{ width: number; height: number }> {
  const { bytes } = await readPhoto(photoPath);
  const size = await uprightSizeOf(bytes);
  const overlay = Buffer.from(annotationSvg(size.width, size.height, annotations));
  await replaceFileAtomic(target, async (temporaryPath) => {
    const image = photoSharp(bytes).rotate().composite([{ input: overlay, top: 0, left: 0 }]);
    await (format === 'png' ? image.png() : image.jpeg({ quality: 92, chromaSubsampling: '4:4:4' })).toFile(temporaryPath);
  });
  return size;
}
