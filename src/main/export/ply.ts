/**
 * Coloured point clouds for MeshLab, CloudCompare and Blender: binary little-endian PLY with
 * `float x y z` in metres (OpenCV camera axes: x right, y down, z forward) and `uchar red green blue`
 * from the photo. Samples without depth are left out.
 */
import { isValidDepth } from '../../shared/colormaps';
import type { Intrinsics } from '../../shared/camera';
import type { DepthMap } from '../../shared/depth';
import type { ExportedFile } from '../../shared/export';
import { writeChunksAtomic } from '../fs/atomic';
import { assertDepthGrid, exportedFile, printableAscii } from './grid';
import { assertRasterMatches, gridRays, type PhotoRaster } from './unproject';

const BYTES_PER_POINT = 3 * 4 + 3;

/** Writes `<name>.depth.ply`, keeping every `step`-th sample along x and y. */
export async function writePly(
  depth: DepthMap,
  target: string,
  options: { intrinsics: Intrinsics; photo: PhotoRaster; step: number }
): Promise<ExportedFile & { points: number }> {
  assertDepthGrid(depth);
  assertRasterMatches(depth, options.photo);
  const step = Math.max(1, Math.floor(options.step));
  const { xOverZ, yOverZ } = gridRays(depth, options.intrinsics);
  const { width, height, metres } = depth;
  const { data, channels } = options.photo;

  let points = 0;
  for (let y = 0; y < height; y += step) for (let x = 0; x < width; x += step) if (isValidDepth(metres[y * width + x])) points++;

  const body = Buffer.alloc(points * BYTES_PER_POINT);
  let at = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const index = y * width + x;
      const z = metres[index];
      if (!isValidDepth(z)) continue;
      body.writeFloatLE(xOverZ[x] * z, at);
      body.writeFloatLE(yOverZ[y] * z, at + 4);
      body.writeFloatLE(z, at + 8);
      body[at + 12] = data[index * channels];
      body[at + 13] = data[index * channels + 1];
      body[at + 14] = data[index * channels + 2];
      at += BYTES_PER_POINT;
    }
  }

  const { fx, fy, cx, cy, source } = options.intrinsics;
  const header = [
    'ply',
    'format binary_little_endian 1.0',
    'comment Zoe Studio depth point cloud: metres, OpenCV camera axes (x right, y down, z forward)',
    `comment model ${printableAscii(depth.modelId)}`,
    `comment intrinsics fx ${fx} fy ${fy} cx ${cx} cy ${cy} source ${source}`,
    `element vertex ${points}`,
    'property float x',
    'property float y',
    'property float z',
    'property uchar red',
    'property uchar green',
    'property uchar blue',
    'end_header',
    ''
  ].join('\n');
  await writeChunksAtomic(target, [Buffer.from(header, 'latin1'), body]);
  return { ...(await exportedFile('ply', target)), points };
}
