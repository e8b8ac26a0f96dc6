/**
 * A baseline TIFF 6.0 encoder for one channel of 32-bit IEEE floats (SampleFormat 3), little-endian,
 * uncompressed, in strips of about 64 KiB. sharp (libvips) casts float images to 8 bits when saving
 * TIFF, so the few tags a float depth map needs are written here.
 */
import { littleEndianBytes } from './grid';

const TYPE_ASCII = 2;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;

interface TiffEntry {
  tag: number;
  type: typeof TYPE_ASCII | typeof TYPE_SHORT | typeof TYPE_LONG;
  values: number[] | string;
}

const TYPE_SIZE = { [TYPE_ASCII]: 1, [TYPE_SHORT]: 2, [TYPE_LONG]: 4 } as const;

function entryBytes(entry: TiffEntry): Buffer {
  if (typeof entry.values === 'string') return Buffer.from(`${entry.values}\0`, 'latin1');
  const size = TYPE_SIZE[entry.type];
  const out = Buffer.alloc(entry.values.length * size);
  entry.values.forEach((value, i) => {
    if (size === 2) out.writeUInt16LE(value, i * 2);
    else out.writeUInt32LE(value, i * 4);
  });
  return out;
}

/** The chunks of a float TIFF file (header and tags, then the pixel rows unchanged), ready to write in order. */
export function encodeFloatTiff(values: Float32Array, width: number, height: number, description: string): Buffer[] {
  const rowBytes = width * 4;
  const rowsPerStrip = Math.max(1, Math.min(height, Math.floor(65536 / rowBytes)));
  const stripCount = Math.ceil(height / rowsPerStrip);
  const stripByteCounts = Array.from({ length: stripCount }, (_, i) => Math.min(rowsPerStrip, height - i * rowsPerStrip) * rowBytes);

  const entries: TiffEntry[] = [
    { tag: 256, type: TYPE_LONG, values: [width] }, // ImageWidth
    { tag: 257, type: TYPE_LONG, values: [height] }, // ImageLength
    { tag: 258, type: TYPE_SHORT, values: [32] }, // BitsPerSample
    { tag: 259, type: TYPE_SHORT, values: [1] }, // Compression: none
    { tag: 262, type: TYPE_SHORT, values: [1] }, // PhotometricInterpretation: BlackIsZero
    { tag: 270, type: TYPE_ASCII, values: description }, // ImageDescription
    { tag: 273, type: TYPE_LONG, values: new Array<number>(stripCount).fill(0) }, // StripOffsets, filled below
    { tag: 277, type: TYPE_SHORT, values: [1] }, // SamplesPerPixel
    { tag: 278, type: TYPE_LONG, values: [rowsPerStrip] }, // RowsPerStrip
    { tag: 279, type: TYPE_LONG, values: stripByteCounts }, // StripByteCounts
    { tag: 284, type: TYPE_SHORT, values: [1] }, // PlanarConfiguration: chunky
    { tag: 339, type: TYPE_SHORT, values: [3] } // SampleFormat: IEEE floating point
  ];

  const ifdOffset = 8;
  const ifdSize = 2 + entries.length * 12 + 4;
  // Values longer than 4 bytes live after the IFD, each at an even offset.
  const overflowSizes = entries.map((entry) => {
    const size = entryBytes(entry).length;
    return size > 4 ? size + (size % 2) : 0;
  });
  const overflowStart = ifdOffset + ifdSize;
  const pixelStart = overflowStart + overflowSizes.reduce((sum, size) => sum + size, 0);
  const stripOffsets = entries.find((entry) => entry.tag === 273);
  if (stripOffsets) stripOffsets.values = stripByteCounts.map((_, i) => pixelStart + i * rowsPerStrip * rowBytes);

  const head = Buffer.alloc(pixelStart);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(ifdOffset, 4);
  head.writeUInt16LE(entries.length, ifdOffset);
  let overflowAt = overflowStart;
  entries.forEach((entry, i) => {
    const at = ifdOffset + 2 + i * 12;
    const data = entryBytes(entry);
    head.writeUInt16LE(entry.tag, at);
    head.writeUInt16LE(entry.type, at + 2);
    head.writeUInt32LE(typeof entry.values === 'string' ? data.length : entry.values.length, at + 4);
    if (data.length <= 4) {
      data.copy(head, at + 8);
    } else {
      head.writeUInt32LE(overflowAt, at + 8);
      data.copy(head, overflowAt);
      overflowAt += overflowSizes[i] ?? data.length;
    }
  });
  head.writeUInt32LE(0, ifdOffset + 2 + entries.length * 12); // no next IFD
  return [head, littleEndianBytes(values)];
}
