/**
 * Reads a one-channel OpenEXR depth file with three.js's EXRLoader (an independent decoder: ZIP,
 * half and float). EXRLoader only decodes channels named R, G, B, A or Y, so the reader renames the
 * file's single channel to `Y` in a copy (the channel name is one byte in the header), then decodes.
 * The reference OpenEXR tools (Debian's `openexr`) check headers and pixel data separately.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FloatType, RedFormat } from 'three';
import { EXRLoader } from 'three/examples/jsm/loaders/EXRLoader.js';
import { testTool } from '../../tools/find';

const run = promisify(execFile);

export interface ExrDepth {
  width: number;
  height: number;
  /** Top row first. */
  values: Float32Array;
}

export function readSingleChannelExr(file: Uint8Array, channelName: string): ExrDepth {
  const copy = new Uint8Array(file);
  const marker = Buffer.from(`channels\0chlist\0`, 'latin1');
  const at = Buffer.from(copy.buffer).indexOf(marker);
  if (at < 0) throw new Error('no channel list');
  const nameAt = at + marker.length + 4;
  const name = Buffer.from(copy.buffer).toString('latin1', nameAt, nameAt + channelName.length + 1);
  if (name !== `${channelName}\0`) throw new Error(`first channel is not ${channelName}`);
  if (channelName.length !== 1) throw new Error('only one-letter channel names can be renamed in place');
  copy[nameAt] = 'Y'.charCodeAt(0);
  const decoded = new EXRLoader().setDataType(FloatType).setOutputFormat(RedFormat).parse(copy.buffer);
  if (!(decoded.data instanceof Float32Array)) throw new Error('expected float output');
  // EXRLoader fills its texture bottom row first (OpenGL's convention); turn it back.
  const { width, height, data } = decoded;
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) values.set(data.subarray((height - 1 - y) * width, (height - y) * width), y * width);
  return { width, height, values };
}

/** `exrheader` of the OpenEXR reference library: the header as it prints it. */
export async function exrHeaderText(file: string): Promise<string> {
  return (await run(testTool('exrheader').file, [file])).stdout;
}

/** Has the OpenEXR reference library read every pixel (by re-encoding the file as tiles)? Throws if not. */
export async function exrReadsWithReferenceLibrary(file: string, scratch: string): Promise<void> {
  await run(testTool('exrmaketiled').file, [file, scratch]);
}
