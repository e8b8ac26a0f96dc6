/**
 * A reader for Portable Float Maps (`PF` colour, `Pf` grey), after Paul Debevec's description:
 * three text lines, a scale whose sign gives the byte order, rows from the bottom of the picture up.
 * Returns rows top to bottom. Written independently of the exporter, for tests.
 */
export interface PfmImage {
  width: number;
  height: number;
  channels: 1 | 3;
  littleEndian: boolean;
  scale: number;
  /** Top row first. */
  values: Float32Array;
}

export function readPfm(file: Uint8Array): PfmImage {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  let at = 0;
  const nextToken = (): string => {
    while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at] ?? 0))) at++;
    const start = at;
    while (at < bytes.length && !/\s/.test(String.fromCharCode(bytes[at] ?? 0))) at++;
    return bytes.toString('latin1', start, at);
  };
  const kind = nextToken();
  if (kind !== 'Pf' && kind !== 'PF') throw new Error(`not a PFM file: ${kind}`);
  const width = Number(nextToken());
  const height = Number(nextToken());
  const scale = Number(nextToken());
  at++; // exactly one whitespace character after the scale
  const channels = kind === 'PF' ? 3 : 1;
  const littleEndian = scale < 0;
  const expected = width * height * channels * 4;
  if (bytes.length - at !== expected) throw new Error(`expected ${expected} data bytes, found ${bytes.length - at}`);
  const values = new Float32Array(width * height * channels);
  const rowLength = width * channels;
  for (let fileRow = 0; fileRow < height; fileRow++) {
    const pictureRow = height - 1 - fileRow;
    for (let i = 0; i < rowLength; i++) {
      const offset = at + (fileRow * rowLength + i) * 4;
      values[pictureRow * rowLength + i] = littleEndian ? bytes.readFloatLE(offset) : bytes.readFloatBE(offset);
    }
  }
  return { width, height, channels, littleEndian, scale, values };
}
