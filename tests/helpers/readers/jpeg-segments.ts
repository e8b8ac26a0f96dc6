/** Lists a JPEG's marker segments up to the start of scan (ITU T.81, B.1.1), for tests. */
export interface JpegSegment {
  marker: number;
  /** Payload after the 2-byte length field. */
  payload: Buffer;
}

export function jpegSegments(file: Uint8Array): JpegSegment[] {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.readUInt16BE(0) !== 0xffd8) throw new Error('no SOI');
  const segments: JpegSegment[] = [];
  let at = 2;
  for (;;) {
    if (bytes[at] !== 0xff) throw new Error(`no marker at ${at}`);
    const marker = bytes.readUInt16BE(at);
    const length = bytes.readUInt16BE(at + 2);
    segments.push({ marker, payload: bytes.subarray(at + 4, at + 2 + length) });
    if (marker === 0xffda) return segments;
    at += 2 + length;
  }
}
