/**
 * Writes EXIF blocks with an orientation tag and an IFD1 thumbnail into JPEGs, the way cameras do,
 * so that tests and the thumbnail bench have photos with embedded thumbnails whose orientation is
 * known independently of the code under test.
 */

interface IfdEntry {
  tag: number;
  type: 2 | 3 | 4;
  count: number;
  /** Inline value (SHORT/LONG) or, for ASCII longer than 4 bytes, the bytes stored after the IFDs. */
  value: number | Buffer;
}

/** A little-endian TIFF structure with IFD0 (orientation, description) and an optional IFD1 thumbnail. */
function buildTiff(orientation: number, thumbnail: Buffer | null, description: string | null): Buffer {
  const ifd0: IfdEntry[] = [];
  if (description !== null) {
    const text = Buffer.from(`${description}\0`, 'ascii');
    ifd0.push({ tag: 0x010e, type: 2, count: text.length, value: text });
  }
  ifd0.push({ tag: 0x0112, type: 3, count: 1, value: orientation });
  const ifd1: IfdEntry[] = thumbnail === null ? [] : [
    { tag: 0x0103, type: 3, count: 1, value: 6 },
    { tag: 0x0201, type: 4, count: 1, value: 0 },
    { tag: 0x0202, type: 4, count: 1, value: thumbnail.length }
  ];
  const ifdSize = (entries: IfdEntry[]): number => 2 + entries.length * 12 + 4;
  const ifd0Offset = 8;
  const ifd1Offset = ifd0Offset + ifdSize(ifd0);
  let dataOffset = ifd1Offset + (ifd1.length > 0 ? ifdSize(ifd1) : 0);
  const extra: Buffer[] = [];
  const placed = new Map<IfdEntry, number>();
  for (const entry of ifd0) {
    if (Buffer.isBuffer(entry.value) && entry.value.length > 4) {
      placed.set(entry, dataOffset);
      extra.push(entry.value);
      dataOffset += entry.value.length + (entry.value.length % 2);
      if (entry.value.length % 2 === 1) extra.push(Buffer.alloc(1));
    }
  }
  const thumbnailOffset = dataOffset;
  const total = thumbnailOffset + (thumbnail?.length ?? 0);
  const tiff = Buffer.alloc(total);
  tiff.write('II', 0, 'ascii');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(ifd0Offset, 4);
  const writeIfd = (offset: number, entries: IfdEntry[], next: number): void => {
    tiff.writeUInt16LE(entries.length, offset);
    entries.forEach((entry, index) => {
      const at = offset + 2 + index * 12;
      tiff.writeUInt16LE(entry.tag, at);
      tiff.writeUInt16LE(entry.type, at + 2);
      tiff.writeUInt32LE(entry.count, at + 4);
      if (Buffer.isBuffer(entry.value)) {
        const where = placed.get(entry);
        if (where === undefined) entry.value.copy(tiff, at + 8);
        else tiff.writeUInt32LE(where, at + 8);
      } else if (entry.type === 3) {
        tiff.writeUInt16LE(entry.value, at + 8);
      } else {
        tiff.writeUInt32LE(entry.tag === 0x0201 ? thumbnailOffset : entry.value, at + 8);
      }
    });
    tiff.writeUInt32LE(next, offset + 2 + entries.length * 12);
  };
  writeIfd(ifd0Offset, ifd0, ifd1.length > 0 ? ifd1Offset : 0);
  if (ifd1.length > 0) writeIfd(ifd1Offset, ifd1, 0);
  let cursor = ifd1Offset + (ifd1.length > 0 ? ifdSize(ifd1) : 0);
  for (const chunk of extra) {
    chunk.copy(tiff, cursor);
    cursor += chunk.length;
  }
  thumbnail?.copy(tiff, thumbnailOffset);
  return tiff;
}

/** A TIFF header with just IFD0 (orientation), as RAW files begin. */
export function tiffHeaderWithOrientation(orientation: number): Buffer {
  return buildTiff(orientation, null, null);
}

/**
 * `jpeg` with its APP1 EXIF segments replaced by one holding `orientation`, an optional IFD1
 * `thumbnail` (a JPEG in the photo's stored orientation) and an optional description.
 */
export function withExif(jpeg: Buffer, options: { orientation: number; thumbnail?: Buffer; description?: string }): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const tiff = buildTiff(options.orientation, options.thumbnail ?? null, options.description ?? null);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  if (payload.length + 2 > 0xffff) throw new Error('EXIF block too large for one APP1 segment');
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(payload.length + 2, 2);
  const kept: Buffer[] = [];
  let position = 2;
  while (position < jpeg.length && jpeg[position] === 0xff) {
    const marker = jpeg[position + 1] as number;
    if (marker === 0xda || marker === 0xdb || marker === 0xc0 || marker === 0xc2 || marker === 0xc4) break;
    const length = jpeg.readUInt16BE(position + 2);
    const segment = jpeg.subarray(position, position + 2 + length);
    const isExif = marker === 0xe1 && segment.subarray(4, 10).toString('binary') === 'Exif\0\0';
    if (!isExif) kept.push(segment);
    position += 2 + length;
  }
  return Buffer.concat([jpeg.subarray(0, 2), app1, payload, ...kept, jpeg.subarray(position)]);
}
