/**
 * NumPy `.npy` (format versions 1–3): a 2-D array of floats, or 3-D with one channel, in metres.
 * Little- and big-endian float16/32/64 are read; C and Fortran order both.
 */
import { checkGridSize, unreadableDepth, type DepthRaster } from './raster';

const MAGIC = Buffer.from('\x93NUMPY', 'latin1');

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

function parseHeader(bytes: Buffer, fileName: string): NpyHeader {
  if (bytes.length < 10 || !bytes.subarray(0, 6).equals(MAGIC)) throw unreadableDepth(fileName, 'it does not start like a NumPy .npy file');
  const major = bytes.readUInt8(6);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = bytes.readUInt16LE(8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw unreadableDepth(fileName, 'its header is cut short');
    headerLength = bytes.readUInt32LE(8);
    headerStart = 12;
  } else {
    throw unreadableDepth(fileName, `it is .npy format version ${major}, which is unknown`);
  }
  if (headerStart + headerLength > bytes.length) throw unreadableDepth(fileName, 'its header is cut short');
  const text = bytes.toString(major === 3 ? 'utf8' : 'latin1', headerStart, headerStart + headerLength);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw unreadableDepth(fileName, 'its header does not describe an array');
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  if (shape.some((side) => !Number.isInteger(side) || side < 0)) throw unreadableDepth(fileName, `its shape (${shapeText}) is not valid`);
  return { descr, fortranOrder: fortran === 'True', shape, dataOffset: headerStart + headerLength };
}

/** Width and height of a depth grid from the array's shape: (h, w), (h, w, 1) or (1, h, w). */
function gridShape(shape: readonly number[], fileName: string): { width: number; height: number } {
  const sides = shape.length === 3 && shape[2] === 1 ? shape.slice(0, 2) : shape.length === 3 && shape[0] === 1 ? shape.slice(1) : shape;
  const [height, width] = sides;
  if (sides.length !== 2 || height === undefined || width === undefined) {
    throw unreadableDepth(fileName, `it holds a ${shape.length}-D array of shape (${shape.join(', ')}), not one depth value per pixel`);
  }
  checkGridSize(fileName, width, height);
  return { width, height };
}

function readValue(bytes: Buffer, offset: number, size: number, littleEndian: boolean): number {
  if (size === 4) return littleEndian ? bytes.readFloatLE(offset) : bytes.readFloatBE(offset);
  if (size === 8) return littleEndian ? bytes.readDoubleLE(offset) : bytes.readDoubleBE(offset);
  const half = littleEndian ? bytes.readUInt16LE(offset) : bytes.readUInt16BE(offset);
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Reads a `.npy` depth array (metres). */
export function parseNpyDepth(bytes: Buffer, fileName: string): DepthRaster {
  const header = parseHeader(bytes, fileName);
  const dtype = /^([<>|=])f([248])$/.exec(header.descr);
  if (dtype === null) throw unreadableDepth(fileName, `its values are of type ${header.descr}; depth must be floating-point metres`);
  const littleEndian = dtype[1] !== '>';
  const size = Number(dtype[2]);
  const { width, height } = gridShape(header.shape, fileName);
  const count = width * height;
  if (header.dataOffset + count * size > bytes.length) throw unreadableDepth(fileName, `it ends before its ${width} × ${height} values do`);
  const metres = new Float32Array(count);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const stored = header.fortranOrder ? x * height + y : y * width + x;
      metres[y * width + x] = readValue(bytes, header.dataOffset + stored * size, size, littleEndian);
    }
  }
  return { width, height, metres, format: 'npy', notes: [`NumPy array of float${size * 8}, taken as metres`] };
}
