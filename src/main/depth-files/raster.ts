/** A depth map read from a file: metres on a grid, with what the reader had to say about it. */
import { ZoeError } from '../../shared/errors';

/** The depth file formats Zoe Studio reads (the ones it writes, and the same formats from other tools). */
export type DepthFileFormat = 'npy' | 'pfm' | 'tiff32' | 'png16';

/** Metres on a row-major grid, top row first; NaN where the file holds no depth. */
export interface DepthRaster {
  width: number;
  height: number;
  metres: Float32Array;
  format: DepthFileFormat;
  /** How the values were interpreted, for the photographer (e.g. the 16-bit scale used). */
  notes: string[];
}

/** The error for a file that is not a depth map of the expected kind. */
export function unreadableDepth(fileName: string, reason: string, cause?: unknown): ZoeError {
  return new ZoeError('UNSUPPORTED_IMAGE', `“${fileName}” is not a depth map Zoe Studio can read: ${reason}.`, cause === undefined ? undefined : { cause });
}

/** Checks a grid size read from a file header. */
export function checkGridSize(fileName: string, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > 2 ** 28) {
    throw unreadableDepth(fileName, `its size ${width} × ${height} is not a usable grid`);
  }
}
