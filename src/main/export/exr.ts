/**
 * OpenEXR depth: one scan-line image with a single channel `Z` in metres, as Nuke, After Effects and
 * Blender expect a depth pass. Pixel type half or float; uncompressed or ZIP (16 lines per block).
 * Layout from "The OpenEXR File Layout" (openexr.com): magic, version, header attributes, a table
 * of block offsets, then the blocks.
 */
import { deflateSync } from 'node:zlib';
import type { DepthMap } from '../../shared/depth';
import type { ExportedFile } from '../../shared/export';
import { writeChunksAtomic } from '../fs/atomic';
import { assertDepthGrid, exportedFile } from './grid';
import { toHalfBits } from './half-float';

/** EXR options a photographer can choose. */
export interface ExrOptions {
  pixelType: 'half' | 'float';
  compression: 'none' | 'zip';
}

const PIXEL_TYPE_CODE = { half: 1, float: 2 } as const;
const COMPRESSION_CODE = { none: 0, zip: 3 } as const;
const LINES_PER_BLOCK = { none: 1, zip: 16 } as const;

function attribute(name: string, type: string, value: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32LE(value.length);
  return Buffer.concat([Buffer.from(`${name}\0${type}\0`, 'latin1'), size, value]);
}

function int32s(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => out.writeInt32LE(value, i * 4));
  return out;
}

function float32s(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => out.writeFloatLE(value, i * 4));
  return out;
}

function header(width: number, height: number, options: ExrOptions): Buffer {
  const channel = Buffer.concat([
    Buffer.from('Z\0', 'latin1'),
    int32s(PIXEL_TYPE_CODE[options.pixelType]),
    Buffer.from([0, 0, 0, 0]), // pLinear and three reserved bytes
    int32s(1, 1), // x and y sampling
    Buffer.from([0]) // end of channel list
  ]);
  const window = int32s(0, 0, width - 1, height - 1);
  return Buffer.concat([
    int32s(20000630), // magic number
    int32s(2), // version 2, single-part scan-line file
    attribute('channels', 'chlist', channel),
    attribute('compression', 'compression', Buffer.from([COMPRESSION_CODE[options.compression]])),
    attribute('dataWindow', 'box2i', window),
    attribute('displayWindow', 'box2i', window),
    attribute('lineOrder', 'lineOrder', Buffer.from([0])), // increasing y
    attribute('pixelAspectRatio', 'float', float32s(1)),
    attribute('screenWindowCenter', 'v2f', float32s(0, 0)),
    attribute('screenWindowWidth', 'float', float32s(1)),
    Buffer.from([0]) // end of header
  ]);
}

/** The raw little-endian samples of rows [first, first + count). */
function rowBytes(depth: DepthMap, first: number, count: number, pixelType: ExrOptions['pixelType']): Buffer {
  const from = first * depth.width;
  const samples = depth.metres.subarray(from, from + count * depth.width);
  const sampleSize = pixelType === 'half' ? 2 : 4;
  const out = Buffer.alloc(samples.length * sampleSize);
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i];
    if (pixelType === 'half') out.writeUInt16LE(toHalfBits(value), i * 2);
    else out.writeFloatLE(value, i * 4);
  }
  return out;
}

/**
 * OpenEXR's ZIP block: bytes split into two interleaved halves, then a delta predictor, then zlib.
 * A block that would not shrink is stored raw, which readers recognise by its size.
 */
function zipBlock(raw: Buffer): Buffer {
  const reordered = Buffer.alloc(raw.length);
  const half = Math.ceil(raw.length / 2);
  for (let i = 0; i < raw.length; i++) reordered[(i & 1) === 0 ? i >> 1 : half + (i >> 1)] = raw[i];
  let previous = reordered[0];
  for (let i = 1; i < reordered.length; i++) {
    const current = reordered[i];
    reordered[i] = (current - previous + 128 + 256) & 0xff;
    previous = current;
  }
  const compressed = deflateSync(reordered, { level: 6 });
  return compressed.length < raw.length ? compressed : raw;
}

/** Writes `<name>.depth.exr`: channel `Z`, metres, top row first. */
export async function writeExr(depth: DepthMap, target: string, options: ExrOptions): Promise<ExportedFile> {
  assertDepthGrid(depth);
  const { width, height } = depth;
  const linesPerBlock = LINES_PER_BLOCK[options.compression];
  const blockCount = Math.ceil(height / linesPerBlock);
  const head = header(width, height, options);
  const blocks: Buffer[] = [];
  const offsets = Buffer.alloc(blockCount * 8);
  let offset = head.length + offsets.length;
  for (let block = 0; block < blockCount; block++) {
    const firstLine = block * linesPerBlock;
    const raw = rowBytes(depth, firstLine, Math.min(linesPerBlock, height - firstLine), options.pixelType);
    const data = options.compression === 'zip' ? zipBlock(raw) : raw;
    const blockHeader = int32s(firstLine, data.length);
    offsets.writeBigUInt64LE(BigInt(offset), block * 8);
    blocks.push(blockHeader, data);
    offset += blockHeader.length + data.length;
  }
  await writeChunksAtomic(target, [head, offsets, ...blocks]);
  return exportedFile('exr', target);
}
