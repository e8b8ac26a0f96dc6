/**
 * Google's depth-map XMP ("GDepth", developers.google.com/depthmap-metadata): the photo as a JPEG
 * whose XMP carries its depth as an 8-bit PNG, so depth-aware viewers and editors (Google Photos'
 * depth effects, exiftool, Lens Blur readers) find it. The PNG goes into extended XMP when it does
 * not fit one APP1 segment.
 */
import sharp from 'sharp';
import { depthExtent, isValidDepth } from '../../shared/colormaps';
import type { DepthMap } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';
import type { ExportedFile } from '../../shared/export';
import { writeFileAtomic } from '../fs/atomic';
import { assertDepthGrid, exportedFile } from './grid';
import { extendedXmpGuid, MAX_STANDARD_PACKET, withXmpSegments, xmpSegments } from './jpeg-xmp';

/** How depth maps onto the PNG's 0–255 range: inverse depth (finer near the camera) or linear. */
export type GDepthFormat = 'RangeInverse' | 'RangeLinear';

/** What a GDepth export wrote. */
export interface GDepthReport extends ExportedFile {
  nearMetres: number;
  farMetres: number;
  encoding: GDepthFormat;
  extendedXmp: boolean;
}

/**
 * The normalised value GDepth stores for a depth (0 at `near`, 1 at `far`):
 * RangeInverse `far·(d − near) / (d·(far − near))`, RangeLinear `(d − near) / (far − near)`.
 */
export function gdepthNormalised(metres: number, near: number, far: number, format: GDepthFormat): number {
  return format === 'RangeInverse' ? (far * (metres - near)) / (metres * (far - near)) : (metres - near) / (far - near);
}

/** 8-bit GDepth samples; missing depth is stored as far (255). */
function quantise(depth: DepthMap, near: number, far: number, format: GDepthFormat): Uint8Array {
  const samples = new Uint8Array(depth.metres.length);
  for (let i = 0; i < samples.length; i++) {
    const metres = depth.metres[i];
    const normalised = isValidDepth(metres) ? gdepthNormalised(Math.min(far, Math.max(near, metres)), near, far, format) : 1;
    samples[i] = Math.round(normalised * 255);
  }
  return samples;
}

function xmlNumber(value: number): string {
  return Number(value.toPrecision(7)).toString();
}

const RDF_OPEN =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">';
const RDF_CLOSE = '</rdf:RDF></x:xmpmeta>';

function standardPacket(properties: string): Buffer {
  return Buffer.from(
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>${RDF_OPEN}<rdf:Description rdf:about="" ` +
      `xmlns:GDepth="http://ns.google.com/photos/1.0/depthmap/" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" ` +
      `${properties}/>${RDF_CLOSE}<?xpacket end="w"?>`,
    'utf8'
  );
}

/**
 * Writes `<name>.depth.jpg`: `photoJpeg` (the upright photo) with GDepth XMP. Near and far are the
 * map's own nearest and farthest depth, so the 256 levels cover exactly the depths present.
 */
export async function writeGDepth(
  depth: DepthMap,
  target: string,
  options: { photoJpeg: Buffer; format: GDepthFormat }
): Promise<GDepthReport> {
  assertDepthGrid(depth);
  const extent = depthExtent(depth.metres);
  if (extent === undefined) throw new ZoeError('INVALID_ARGUMENT', 'This depth map holds no depth to embed.');
  const near = Number(xmlNumber(extent.min));
  // A flat map still needs far > near for the encoding to be defined.
  const far = Math.max(Number(xmlNumber(extent.max)), near * 1.001);
  const png = await sharp(quantise(depth, near, far, options.format), { raw: { width: depth.width, height: depth.height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 9 })
    .toBuffer();
  const properties =
    `GDepth:Format="${options.format}" GDepth:Near="${xmlNumber(near)}" GDepth:Far="${xmlNumber(far)}" ` +
    `GDepth:Units="m" GDepth:MeasureType="OpticalAxis" GDepth:Mime="image/png"`;
  const data = `GDepth:Data="${png.toString('base64')}"`;
  const inline = standardPacket(`${properties} ${data}`);
  let segments: Buffer[];
  let extendedXmp = false;
  if (inline.length <= MAX_STANDARD_PACKET) {
    segments = xmpSegments(inline);
  } else {
    const extended = Buffer.from(
      `${RDF_OPEN}<rdf:Description rdf:about="" xmlns:GDepth="http://ns.google.com/photos/1.0/depthmap/" ${data}/>${RDF_CLOSE}`,
      'utf8'
    );
    segments = xmpSegments(standardPacket(`${properties} xmpNote:HasExtendedXMP="${extendedXmpGuid(extended)}"`), extended);
    extendedXmp = true;
  }
  await writeFileAtomic(target, withXmpSegments(options.photoJpeg, segments));
  return { ...(await exportedFile('gdepth', target)), nearMetres: near, farMetres: far, encoding: options.format, extendedXmp };
}
