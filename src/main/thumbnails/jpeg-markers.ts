/**
 * Just enough of the JPEG marker structure to find the JPEG previews that cameras embed in RAW
 * files (and the frame size of a JPEG) without decoding any pixels.
 */

/** A complete baseline or progressive JPEG found inside a larger file. */
export interface EmbeddedJpeg {
  offset: number;
  length: number;
  width: number;
  height: number;
}

/** Start-of-frame markers of the JPEG processes browsers and libjpeg decode (baseline, extended, progressive). */
const DECODABLE_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** Start-of-frame markers of processes they do not (lossless, hierarchical, arithmetic): RAW sensor data uses these. */
const OTHER_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Markers that stand alone, without a length field. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}

/**
 * Walks the JPEG that starts at `offset` (its SOI marker) and returns its frame size and byte
 * length, or `null` when it is not a complete JPEG of a decodable process.
 */
export function readJpegAt(bytes: Uint8Array, offset: number): EmbeddedJpeg | null {
  if (bytes[offset] !== 0xff || bytes[offset + 1] !== 0xd8) return null;
  let position = offset + 2;
  let width = 0;
  let height = 0;
  while (position + 1 < bytes.length) {
    if (bytes[position] !== 0xff) return null;
    while (bytes[position] === 0xff && position < bytes.length) position += 1;
    const marker = bytes[position] as number;
    position += 1;
    if (marker === 0xd9) {
      if (width === 0 || height === 0) return null;
      return { offset, length: position - offset, width, height };
    }
    if (marker === 0xd8 || marker === 0x00) return null;
    if (isStandalone(marker)) continue;
    if (position + 1 >= bytes.length) return null;
    const segmentLength = ((bytes[position] as number) << 8) | (bytes[position + 1] as number);
    if (segmentLength < 2) return null;
    if (OTHER_FRAMES.has(marker)) return null;
    if (DECODABLE_FRAMES.has(marker)) {
      if (position + 7 > bytes.length) return null;
      height = ((bytes[position + 3] as number) << 8) | (bytes[position + 4] as number);
      width = ((bytes[position + 5] as number) << 8) | (bytes[position + 6] as number);
    }
    position += segmentLength;
    if (marker === 0xda) {
      // Entropy-coded data runs until a marker that is neither stuffing (FF00) nor a restart (FFD0–FFD7).
      while (position + 1 < bytes.length) {
        if (bytes[position] === 0xff) {
          const next = bytes[position + 1] as number;
          if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
        }
        position += 1;
      }
    }
  }
  return null;
}

/**
 * The frame size of a JPEG from its first bytes, without decoding; `null` if the header is not
 * within `bytes` or the file is not a JPEG of a decodable process.
 */
export function readJpegFrameSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let position = 2;
  while (position + 8 < bytes.length) {
    if (bytes[position] !== 0xff) return null;
    const marker = bytes[position + 1] as number;
    if (marker === 0xff) {
      position += 1;
      continue;
    }
    if (isStandalone(marker)) {
      position += 2;
      continue;
    }
    if (OTHER_FRAMES.has(marker) || marker === 0xda || marker === 0xd9) return null;
    if (DECODABLE_FRAMES.has(marker)) {
      const height = ((bytes[position + 5] as number) << 8) | (bytes[position + 6] as number);
      const width = ((bytes[position + 7] as number) << 8) | (bytes[position + 8] as number);
      return width > 0 && height > 0 ? { width, height } : null;
    }
    position += 2 + (((bytes[position + 2] as number) << 8) | (bytes[position + 3] as number));
  }
  return null;
}

/**
 * Every complete, decodable JPEG embedded in `bytes` (a camera RAW file), largest first. RAW
 * formats keep their previews in different places (TIFF IFDs, maker notes, CR3 boxes, the RAF
 * header); looking for the JPEGs themselves finds them in all of them.
 */
export function findEmbeddedJpegs(bytes: Uint8Array, limit = 16): EmbeddedJpeg[] {
  const found: EmbeddedJpeg[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signature = Buffer.from([0xff, 0xd8, 0xff]);
  let position = buffer.indexOf(signature, 0);
  while (position !== -1 && found.length < limit) {
    const jpeg = readJpegAt(bytes, position);
    if (jpeg !== null) {
      found.push(jpeg);
      position = buffer.indexOf(signature, position + jpeg.length);
    } else {
      position = buffer.indexOf(signature, position + 1);
    }
  }
  return found.sort((a, b) => b.width * b.height - a.width * a.height);
}
