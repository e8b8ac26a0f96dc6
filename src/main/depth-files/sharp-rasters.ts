/**
 * The depth formats sharp (libvips) decodes: 32-bit float TIFF (any compression libvips reads) and
 * 16-bit PNG with a scale (values per metre), 0 meaning "no depth".
 */
import sharp, { type Metadata } from 'sharp';
import { PNG16_SCALE_KEYWORD } from '../export/raster';
import { unreadableDepth, type DepthRaster } from './raster';

/** What a 16-bit PNG's values mean: stored value per metre. */
export interface Png16Reading {
  /** Used when the file does not say (no `depth-scale` text): 256 (ZoeDepth, KITTI) or 1000 (millimetres). */
  valuesPerMetre?: number;
}

async function metadataOf(input: Buffer, fileName: string): Promise<Metadata> {
  try {
    return await sharp(input).metadata();
  } catch (error) {
    throw unreadableDepth(fileName, 'the image cannot be decoded', error);
  }
}

/** A float TIFF (one sample per pixel, metres). */
export async function readFloatTiffDepth(input: Buffer, fileName: string): Promise<DepthRaster> {
  const metadata = await metadataOf(input, fileName);
  if (metadata.format !== 'tiff') throw unreadableDepth(fileName, `it is a ${metadata.format ?? 'unknown'} image, not a TIFF`);
  if (metadata.depth !== 'float' && metadata.depth !== 'double') {
    throw unreadableDepth(fileName, `its samples are ${metadata.depth ?? 'unknown'} integers; a depth TIFF holds floating-point metres`);
  }
  const { data, info } = await sharp(input).extractChannel(0).raw({ depth: 'float' }).toBuffer({ resolveWithObject: true });
  const metres = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const notes = ['32-bit float TIFF, taken as metres'];
  if ((metadata.channels ?? 1) > 1) notes.push(`TIFF with ${metadata.channels} samples per pixel: the first was used`);
  return { width: info.width, height: info.height, metres, format: 'tiff32', notes };
}

/**
 * The `depth-scale` text Zoe Studio writes into its 16-bit PNGs (a `tEXt` chunk; libvips does not
 * report custom text chunks), when present and sensible.
 */
function statedScale(png: Buffer): number | undefined {
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'IEND' || offset + 12 + length > png.length) return undefined;
    if (type === 'tEXt') {
      const data = png.subarray(offset + 8, offset + 8 + length);
      const separator = data.indexOf(0);
      if (separator > 0 && data.toString('latin1', 0, separator) === PNG16_SCALE_KEYWORD) {
        const value = Number(data.toString('latin1', separator + 1));
        return Number.isFinite(value) && value > 0 ? value : undefined;
      }
    }
    offset += 12 + length;
  }
  return undefined;
}

/** A 16-bit greyscale PNG: metres = value / scale, 0 = no depth. */
export async function readPng16Depth(input: Buffer, fileName: string, reading: Png16Reading = {}): Promise<DepthRaster> {
  const metadata = await metadataOf(input, fileName);
  if (metadata.format !== 'png') throw unreadableDepth(fileName, `it is a ${metadata.format ?? 'unknown'} image, not a PNG`);
  if (metadata.depth !== 'ushort') throw unreadableDepth(fileName, 'it is an 8-bit PNG; a depth PNG has 16-bit values');
  const stated = statedScale(input);
  const valuesPerMetre = stated ?? reading.valuesPerMetre ?? 256;
  // Kept at 16 bits (extracting a channel would cast to 8); grey + alpha keeps its alpha channel, skipped here.
  const { data, info } = await sharp(input).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
  const stored = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  const metres = new Float32Array(info.width * info.height);
  for (let i = 0; i < metres.length; i++) {
    const value = stored[i * info.channels] ?? 0;
    metres[i] = value === 0 ? NaN : value / valuesPerMetre;
  }
  const origin = stated !== undefined ? 'as the file states' : reading.valuesPerMetre !== undefined ? 'as asked' : 'the ZoeDepth/KITTI convention; the file does not state it';
  const notes = [`16-bit PNG: metres = value / ${valuesPerMetre} (${origin}); 0 = no depth; steps of ${(1000 / valuesPerMetre).toFixed(2)} mm`];
  if (stated !== undefined && reading.valuesPerMetre !== undefined && stated !== reading.valuesPerMetre) {
    notes.push(`the file states ${stated} values per metre, which was used instead of the ${reading.valuesPerMetre} asked for`);
  }
  return { width: info.width, height: info.height, metres, format: 'png16', notes };
}
