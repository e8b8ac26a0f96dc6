/**
 * Reading depth maps from files (production readers, independent of the test readers): NumPy
 * `.npy`, Portable Float Map, 32-bit float TIFF and 16-bit PNG. The format is told by the file's
 * first bytes, so a misnamed file is still read; values are metres.
 */
import path from 'node:path';
import { readRegularFile } from '../fs/read-file';
import { parseNpyDepth } from './npy';
import { parsePfmDepth } from './pfm';
import { unreadableDepth, type DepthFileFormat, type DepthRaster } from './raster';
import { readFloatTiffDepth, readPng16Depth, type Png16Reading } from './sharp-rasters';

export type { DepthFileFormat, DepthRaster } from './raster';
export type { Png16Reading } from './sharp-rasters';

/** The format of a depth file from its first bytes; null when it is none of them. */
export function sniffDepthFormat(head: Uint8Array): DepthFileFormat | null {
  const ascii = Buffer.from(head.subarray(0, 8)).toString('latin1');
  if (ascii.startsWith('\x93NUMPY')) return 'npy';
  if (ascii.startsWith('Pf') || ascii.startsWith('PF')) return 'pfm';
  if (ascii.startsWith('II*\0') || ascii.startsWith('MM\0*') || ascii.startsWith('II+\0') || ascii.startsWith('MM\0+')) return 'tiff32';
  if (ascii.startsWith('\x89PNG')) return 'png16';
  return null;
}

/** Larger depth files are refused before they are read. */
export const MAX_DEPTH_FILE_BYTES = 2 * 1024 ** 3;

/** Reads the depth map in `filePath` (metres, any resolution). */
export async function readDepthFile(filePath: string, options: { png16?: Png16Reading } = {}): Promise<DepthRaster> {
  const fileName = path.basename(filePath);
  // Regular files only, bounded (a depth map of a 250 MP photo as float32 is 1 GB), one consistent version.
  const { bytes } = await readRegularFile(filePath, { maxBytes: MAX_DEPTH_FILE_BYTES, what: 'depth file' });
  const format = sniffDepthFormat(bytes);
  switch (format) {
    case 'npy':
      return parseNpyDepth(bytes, fileName);
    case 'pfm':
      return parsePfmDepth(bytes, fileName);
    case 'tiff32':
      return readFloatTiffDepth(bytes, fileName);
    case 'png16':
      return readPng16Depth(bytes, fileName, options.png16);
    case null:
      throw unreadableDepth(fileName, 'it is not a .npy, .pfm, float TIFF or 16-bit PNG file');
  }
}
