/**
 * Portable Float Map: `Pf` (one channel) or `PF` (three; the first is taken), the scale's sign
 * giving the byte order (negative: little-endian), rows stored bottom to top.
 */
import { checkGridSize, unreadableDepth, type DepthRaster } from './raster';

/** Reads the three header tokens (type, size, scale), each ended by one whitespace byte. */
function headerTokens(bytes: Buffer, fileName: string): { tokens: string[]; dataOffset: number } {
  const tokens: string[] = [];
  let offset = 0;
  while (tokens.length < 4 && offset < Math.min(bytes.length, 256)) {
    while (offset < bytes.length && /\s/.test(String.fromCharCode(bytes[offset] ?? 0))) offset++;
    let end = offset;
    while (end < bytes.length && !/\s/.test(String.fromCharCode(bytes[end] ?? 0))) end++;
    tokens.push(bytes.toString('latin1', offset, end));
    offset = end + 1; // exactly one whitespace byte ends the header
  }
  if (tokens.length < 4) throw unreadableDepth(fileName, 'its header is cut short');
  return { tokens, dataOffset: offset };
}

/** Reads a `.pfm` depth map (metres). */
export function parsePfmDepth(bytes: Buffer, fileName: string): DepthRaster {
  if (bytes.length < 3 || bytes[0] !== 0x50 || (bytes[1] !== 0x66 && bytes[1] !== 0x46)) {
    throw unreadableDepth(fileName, 'it does not start like a Portable Float Map (Pf or PF)');
  }
  const { tokens, dataOffset } = headerTokens(bytes, fileName);
  const [type, widthText, heightText, scaleText] = tokens;
  const channels = type === 'PF' ? 3 : 1;
  const width = Number(widthText);
  const height = Number(heightText);
  const scale = Number(scaleText);
  checkGridSize(fileName, width, height);
  if (!Number.isFinite(scale) || scale === 0) throw unreadableDepth(fileName, `its scale “${scaleText ?? ''}” is not a number`);
  const littleEndian = scale < 0;
  const rowBytes = width * channels * 4;
  if (dataOffset + rowBytes * height > bytes.length) throw unreadableDepth(fileName, `it ends before its ${width} × ${height} values do`);
  const metres = new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    const y = height - 1 - row;
    for (let x = 0; x < width; x++) {
      const at = dataOffset + row * rowBytes + x * channels * 4;
      metres[y * width + x] = littleEndian ? bytes.readFloatLE(at) : bytes.readFloatBE(at);
    }
  }
  const notes = ['Portable Float Map, taken as metres'];
  if (channels === 3) notes.push('colour PFM: the first channel was used');
  return { width, height, metres, format: 'pfm', notes };
}
