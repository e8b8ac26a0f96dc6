/** Checks shared by every depth writer. */
import { stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { DepthMap } from '../../shared/depth';
import { ZoeError } from '../../shared/errors';
import type { ExportFormat, ExportedFile } from '../../shared/export';

/** Refuses a depth map whose sample count does not match its grid, before any file is touched. */
export function assertDepthGrid(depth: DepthMap): void {
  const { width, height, metres } = depth;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || metres.length !== width * height) {
    throw new ZoeError('INVALID_ARGUMENT', 'The depth map to export is malformed.', {
      detail: `grid ${width}×${height} with ${metres.length} samples`
    });
  }
}

/** The record of a file just written. */
export async function exportedFile(format: ExportFormat | 'json', path: string): Promise<ExportedFile> {
  return { format, path, bytes: (await stat(path)).size };
}

/** 32-bit samples as little-endian bytes: a view without copying on little-endian machines (all that Node ships for). */
export function littleEndianBytes(values: Float32Array | Uint32Array): Buffer {
  const view = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  return endianness() === 'LE' ? view : Buffer.from(view).swap32();
}

/** Text safe for ASCII-only headers (PLY, PNG tEXt): anything outside printable ASCII becomes `?`. */
export function printableAscii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
