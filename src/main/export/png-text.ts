/**
 * PNG text chunks. sharp cannot write custom text metadata, so a `tEXt` chunk (PNG spec 11.3.4.3:
 * Latin-1 keyword, a zero byte, Latin-1 text) is inserted just before `IEND`, with its CRC-32.
 */
import { crc32 } from 'node:zlib';
import { ZoeError } from '../../shared/errors';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** Offset of the `IEND` chunk, walking the chunk list from the signature. */
function iendOffset(png: Buffer): number {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new ZoeError('INTERNAL', 'The PNG encoder produced an unexpected file.', { detail: 'missing PNG signature' });
  }
  let offset = 8;
  while (offset + 12 <= png.length) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IEND') return offset;
    offset += 12 + length;
  }
  throw new ZoeError('INTERNAL', 'The PNG encoder produced an unexpected file.', { detail: 'no IEND chunk' });
}

/** A copy of `png` carrying `tEXt` entries (keywords of 1–79 printable Latin-1 characters) before `IEND`. */
export function withPngText(png: Buffer, entries: Readonly<Record<string, string>>): Buffer {
  const chunks: Buffer[] = [];
  for (const [keyword, text] of Object.entries(entries)) {
    if (!/^[\x20-\x7e]{1,79}$/.test(keyword) || keyword.trim() !== keyword || /[^\x20-\x7e\n]/.test(text)) {
      throw new ZoeError('INTERNAL', 'A PNG text entry could not be written.', { detail: `keyword ${JSON.stringify(keyword)}` });
    }
    chunks.push(pngChunk('tEXt', Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'latin1')])));
  }
  const at = iendOffset(png);
  return Buffer.concat([png.subarray(0, at), ...chunks, png.subarray(at)]);
}
