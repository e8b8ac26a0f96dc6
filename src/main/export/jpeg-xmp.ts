/**
 * XMP in JPEG files (Adobe XMP Specification Part 3, 1.1.3): the standard packet in one APP1
 * segment, and an extended packet split over further APP1 segments of at most 65,400 bytes each,
 * tied to the standard packet by the MD5 GUID that `xmpNote:HasExtendedXMP` names.
 */
import { createHash } from 'node:crypto';
import { ZoeError } from '../../shared/errors';

const STANDARD_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const EXTENSION_HEADER = Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1');
/** Largest standard packet: a segment holds 65,535 bytes including its 2-byte length and the header. */
export const MAX_STANDARD_PACKET = 65535 - 2 - STANDARD_HEADER.length;
/** Largest piece of the extended packet per segment, as the specification recommends. */
export const MAX_EXTENDED_CHUNK = 65400;

/** The GUID of an extended packet: its MD5 digest as 32 upper-case hexadecimal digits. */
export function extendedXmpGuid(extendedPacket: Buffer): string {
  return createHash('md5').update(extendedPacket).digest('hex').toUpperCase();
}

function app1(payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** The APP1 segments carrying `standardPacket` and, when given, `extendedPacket`. */
export function xmpSegments(standardPacket: Buffer, extendedPacket?: Buffer): Buffer[] {
  if (standardPacket.length > MAX_STANDARD_PACKET) {
    throw new ZoeError('INTERNAL', 'The photo’s metadata is too large for its JPEG file.', { detail: `XMP packet of ${standardPacket.length} bytes` });
  }
  const segments = [app1(Buffer.concat([STANDARD_HEADER, standardPacket]))];
  if (extendedPacket === undefined) return segments;
  const guid = Buffer.from(extendedXmpGuid(extendedPacket), 'latin1');
  for (let offset = 0; offset < extendedPacket.length; offset += MAX_EXTENDED_CHUNK) {
    const sizes = Buffer.alloc(8);
    sizes.writeUInt32BE(extendedPacket.length, 0);
    sizes.writeUInt32BE(offset, 4);
    segments.push(app1(Buffer.concat([EXTENSION_HEADER, guid, sizes, extendedPacket.subarray(offset, offset + MAX_EXTENDED_CHUNK)])));
  }
  return segments;
}

function isXmpSegment(jpeg: Buffer, at: number, length: number): boolean {
  const payload = jpeg.subarray(at + 4, at + 2 + length);
  return payload.subarray(0, STANDARD_HEADER.length).equals(STANDARD_HEADER) || payload.subarray(0, EXTENSION_HEADER.length).equals(EXTENSION_HEADER);
}

/**
 * A copy of `jpeg` with its XMP replaced by `segments`, placed after the leading APP0 (JFIF) and
 * APP1 (Exif) segments as readers expect. The compressed picture is copied byte for byte.
 */
export function withXmpSegments(jpeg: Buffer, segments: readonly Buffer[]): Buffer {
  if (jpeg.length < 4 || jpeg.readUInt16BE(0) !== 0xffd8) {
    throw new ZoeError('INTERNAL', 'The JPEG encoder produced an unexpected file.', { detail: 'missing SOI marker' });
  }
  const kept: Buffer[] = [jpeg.subarray(0, 2)];
  let at = 2;
  // Walk the leading APPn segments (0xFFE0–0xFFEF), dropping any existing XMP.
  while (at + 4 <= jpeg.length) {
    const marker = jpeg.readUInt16BE(at);
    if (marker < 0xffe0 || marker > 0xffef) break;
    const length = jpeg.readUInt16BE(at + 2);
    if (!isXmpSegment(jpeg, at, length)) kept.push(jpeg.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return Buffer.concat([...kept, ...segments, jpeg.subarray(at)]);
}
