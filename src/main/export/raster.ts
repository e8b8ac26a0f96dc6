/**
 * Depth as numbers other tools read: 16-bit PNG, 32-bit float TIFF, Portable Float Map and NumPy
 * `.npy`. Every file goes to a temporary name beside the target and is renamed into place.
 */
import sharp from 'sharp';
import { isValidDepth } from '../../shared/colormaps';
import type { DepthMap } from '../../shared/depth';
import { PNG16_UNITS_PER_METRE, type ExportedFile, type Png16Scale } from '../../shared/export';
import { writeChunksAtomic, writeFileAtomic } from '../fs/atomic';
import { assertDepthGrid, exportedFile, littleEndianBytes, printableAscii } from './grid';
import { withPngText } from './png-text';
import { encodeFloatTiff } from './tiff-float';

/** PNG `tEXt` keyword holding the 16-bit scale, e.g. `256` (values per metre). */
export const PNG16_SCALE_KEYWORD = 'depth-scale';

/** What a 16-bit PNG export did to values that do not fit. */
export interface Png16Report extends ExportedFile {
  /** Samples deeper than the scale can hold (65535 / units per metre), stored as 65535. */
  clippedSamples: number;
}

/** Quantises metres to 16-bit steps of the chosen scale; missing depth becomes 0 (KITTI's "no data"). */
export function quantiseDepth16(metres: Float32Array, scale: Png16Scale): { values: Uint16Array; clippedSamples: number } {
  const unitsPerMetre = PNG16_UNITS_PER_METRE[scale];
  const values = new Uint16Array(metres.length);
  let clippedSamples = 0;
  for (let i = 0; i < metres.length; i++) {
    const depth = metres[i];
    if (!isValidDepth(depth)) continue;
    const stored = Math.round(depth * unitsPerMetre);
    if (stored > 65535) clippedSamples++;
    values[i] = Math.min(65535, Math.max(1, stored));
  }
  return { values, clippedSamples };
}

/**
 * 16-bit greyscale PNG: `round(metres × 256)` (ZoeDepth/KITTI) or millimetres, 0 where depth is
 * missing. The scale is written as text metadata: `depth-scale` (values per metre), `depth-units`.
 */
export async function writePng16(depth: DepthMap, target: string, options: { scale: Png16Scale }): Promise<Png16Report> {
  assertDepthGrid(depth);
  const { values, clippedSamples } = quantiseDepth16(depth.metres, options.scale);
  const png = await sharp(values, { raw: { width: depth.width, height: depth.height, channels: 1 } })
    .toColourspace('grey16')
    .png({ compressionLevel: 6 })
    .toBuffer();
  const unitsPerMetre = PNG16_UNITS_PER_METRE[options.scale];
  const tagged = withPngText(png, {
    [PNG16_SCALE_KEYWORD]: String(unitsPerMetre),
    'depth-units': options.scale === 'millimetres' ? 'mm' : 'm/256',
    Description: `Metric depth: metres = value / ${unitsPerMetre}; 0 = no depth. Model ${printableAscii(depth.modelId)}.`,
    Software: 'Zoe Studio'
  });
  await writeFileAtomic(target, tagged);
  return { ...(await exportedFile('png16', target)), clippedSamples };
}

/** 32-bit float greyscale TIFF, one sample per pixel, metres exactly as in the map. */
export async function writeTiff32(depth: DepthMap, target: string): Promise<ExportedFile> {
  assertDepthGrid(depth);
  const description = `Metric depth in metres (model ${printableAscii(depth.modelId)})`;
  await writeChunksAtomic(target, encodeFloatTiff(depth.metres, depth.width, depth.height, description));
  return exportedFile('tiff32', target);
}

/** Portable Float Map (`Pf`, one channel): scale −1 for little-endian, rows stored bottom to top. */
export async function writePfm(depth: DepthMap, target: string): Promise<ExportedFile> {
  assertDepthGrid(depth);
  const { width, height, metres } = depth;
  const header = Buffer.from(`Pf\n${width} ${height}\n-1.0\n`, 'latin1');
  const rows: Buffer[] = [header];
  for (let y = height - 1; y >= 0; y--) rows.push(littleEndianBytes(metres.subarray(y * width, (y + 1) * width)));
  await writeChunksAtomic(target, rows);
  return exportedFile('pfm', target);
}

/** NumPy `.npy` format 1.0: little-endian float32, C order, shape (height, width), metres. */
export async function writeNpy(depth: DepthMap, target: string): Promise<ExportedFile> {
  assertDepthGrid(depth);
  const dictionary = `{'descr': '<f4', 'fortran_order': False, 'shape': (${depth.height}, ${depth.width}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces and ended by \n to a multiple of 64.
  const headerLength = Math.ceil((10 + dictionary.length + 1) / 64) * 64 - 10;
  const preamble = Buffer.alloc(10 + headerLength, 0x20);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble.writeUInt8(1, 6);
  preamble.writeUInt8(0, 7);
  preamble.writeUInt16LE(headerLength, 8);
  preamble.write(dictionary, 10, 'latin1');
  preamble.write('\n', 10 + headerLength - 1, 'latin1');
  await writeChunksAtomic(target, [preamble, littleEndianBytes(depth.metres)]);
  return exportedFile('npy', target);
}
