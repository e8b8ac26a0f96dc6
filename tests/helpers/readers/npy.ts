/**
 * A reader for NumPy `.npy` files (format versions 1.0–3.0), written from the NumPy format
 * specification (numpy/lib/format.py docs) independently of the exporter, for tests.
 */
export interface NpyArray {
  dtype: string;
  fortranOrder: boolean;
  shape: number[];
  /** Values as float64, in the file's element order. */
  values: Float64Array;
}

export function readNpy(file: Uint8Array): NpyArray {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes[0] !== 0x93 || bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error('not an .npy file');
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  if ((headerStart + headerLength) % 16 !== 0) throw new Error('header not padded to 16 bytes');
  if (!header.endsWith('\n')) throw new Error('header does not end with a newline');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new Error(`bad header ${header}`);
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map(Number);
  const count = shape.reduce((product, side) => product * side, 1);
  const data = bytes.subarray(headerStart + headerLength);
  const values = new Float64Array(count);
  const readers: Record<string, [number, (at: number) => number]> = {
    '<f4': [4, (at) => data.readFloatLE(at)],
    '>f4': [4, (at) => data.readFloatBE(at)],
    '<f8': [8, (at) => data.readDoubleLE(at)],
    '<u2': [2, (at) => data.readUInt16LE(at)]
  };
  const reader = readers[descr];
  if (reader === undefined) throw new Error(`unsupported dtype ${descr}`);
  const [size, read] = reader;
  if (data.length !== count * size) throw new Error(`expected ${count * size} data bytes, found ${data.length}`);
  for (let i = 0; i < count; i++) values[i] = read(i * size);
  return { dtype: descr, fortranOrder: fortran === 'True', shape, values };
}
