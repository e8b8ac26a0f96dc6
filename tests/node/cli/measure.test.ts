/**
 * `zoe measure` in-process on a synthetic room of known geometry (a real JPEG stored sideways with
 * EXIF orientation 6 and its focal length in EXIF): the exact depth written in every depth format
 * by the app's own writers, measured distances checked against the scene's true ones; a run with
 * a real (test) ONNX model; the focal-length overrides; and the mistakes a photographer makes.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../src/main/cli/run';
import { DepthEngine } from '../../../src/main/depth';
import { writeNpy, writePfm, writePng16, writeTiff32 } from '../../../src/main/export/raster';
import type { DepthMap } from '../../../src/shared/depth';
import type { PhotoPoint } from '../../../src/shared/measure/geometry';
import type { Vec3 } from '../../../src/shared/measure/vector';
import { depthAtModelResolution, faceNameAt, pixelOf, roomScene, ROOM_SIZE, sceneOnDisk, worldDistance, type SceneOnDisk } from '../../helpers/synthetic-scene';
import { memoryIo } from './helpers';
import { testModel, TEST_MODELS_DIR } from './test-models';

const reportSchema = z.object({
  distanceMetres: z.number(),
  uncertainty: z.object({ bandMetres: z.number(), relativeError: z.number(), source: z.string() }).nullable(),
  from: z.object({ pixel: z.object({ u: z.number(), v: z.number() }), depthMetres: z.number(), camera: z.tuple([z.number(), z.number(), z.number()]) }),
  to: z.object({ pixel: z.object({ u: z.number(), v: z.number() }), depthMetres: z.number(), camera: z.tuple([z.number(), z.number(), z.number()]) }),
  intrinsics: z.object({ fx: z.number(), fy: z.number(), width: z.number(), height: z.number(), source: z.string(), description: z.string() }),
  depth: z.object({ kind: z.enum(['file', 'model']), name: z.string(), description: z.string(), notes: z.array(z.string()) })
});
type Report = z.infer<typeof reportSchema>;

let folder: string;
let room: SceneOnDisk;

/** Two points on the floor and one on the far wall, in the world (metres). */
const FLOOR_A: Vec3 = [-1, 0, 3];
const FLOOR_B: Vec3 = [1.5, 0, 5.5];
const WALL: Vec3 = [-1.5, 1.8, ROOM_SIZE.depth];

function depthMapOf(width: number, height: number, metres: Float32Array): DepthMap {
  return {
    width,
    height,
    metres,
    photoWidth: room.camera.width,
    photoHeight: room.camera.height,
    modelId: 'synthetic-exact',
    provider: 'ray-caster',
    options: { flip: false, pad: false },
    range: { min: 1e-3, max: 1e4 },
    timings: { decodeMs: 0, preprocessMs: 0, inferenceMs: 0, postprocessMs: 0, totalMs: 0 }
  };
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'zoe-cli-measure-'));
  room = await sceneOnDisk(roomScene(), folder, 'room', 6, { kind: 'focal-plane', unit: 3, sensorWidthMm: 6.17 });
  const full = depthMapOf(room.depth.width, room.depth.height, room.depth.metres);
  await writePfm(full, path.join(folder, 'room.pfm'));
  await writeTiff32(full, path.join(folder, 'room.tiff'));
  await writePng16(full, path.join(folder, 'room.png'), { scale: 'metres-x256' });
  await writePng16(full, path.join(folder, 'room-mm.png'), { scale: 'millimetres' });
  const quarter = depthAtModelResolution(roomScene(), 4);
  await writeNpy(depthMapOf(quarter.width, quarter.height, quarter.metres), path.join(folder, 'room-quarter.npy'));
  // The same depth turned a quarter (as stored, not upright): a classic mistake.
  const { width, height, metres } = room.depth;
  const turned = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) turned[x * height + (height - 1 - y)] = metres[y * width + x] ?? 0;
  await writeNpy({ ...depthMapOf(height, width, turned), photoWidth: height, photoHeight: width }, path.join(folder, 'room-sideways.npy'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function on(face: string, world: Vec3): PhotoPoint {
  const pixel = pixelOf(room.camera, world);
  expect(faceNameAt(room, pixel), `(${world.join(', ')}) should be on the ${face}`).toBe(face);
  return pixel;
}

const pixelArgument = (point: PhotoPoint): string => `${point.u.toFixed(4)},${point.v.toFixed(4)}`;

async function measure(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(folder, { ZOE_DATA_DIR: path.join(folder, 'data') });
  const code = await runCli(['measure', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

async function measureJson(args: string[]): Promise<Report> {
  const run = await measure([...args, '--json']);
  expect(run.err).toBe('');
  expect(run.code).toBe(0);
  return reportSchema.parse(JSON.parse(run.out));
}

function floorArguments(): string[] {
  return ['--from', pixelArgument(on('floor', FLOOR_A)), '--to', pixelArgument(on('floor', FLOOR_B))];
}

describe('zoe measure --depth', () => {
  it('recovers true distances within 0.5 % from .npy, .pfm and float .tiff at the photo size and from a quarter-size .npy', async () => {
    const truth = worldDistance(FLOOR_A, FLOOR_B);
    const wallTruth = worldDistance(FLOOR_A, WALL);
    for (const file of ['room.depth.npy', 'room.pfm', 'room.tiff', 'room-quarter.npy']) {
      const report = await measureJson([room.written.photoPath, '--depth', file, ...floorArguments()]);
      expect(Math.abs(report.distanceMetres / truth - 1), file).toBeLessThan(0.005);
      const wall = await measureJson([room.written.photoPath, '--depth', file, '--from', pixelArgument(on('floor', FLOOR_A)), '--to', pixelArgument(on('far wall', WALL))]);
      expect(Math.abs(wall.distanceMetres / wallTruth - 1), file).toBeLessThan(0.005);
      expect(report.intrinsics.source).toBe('focal-plane-resolution');
      expect([report.intrinsics.width, report.intrinsics.height]).toEqual([room.camera.width, room.camera.height]);
      expect(report.depth.kind).toBe('file');
    }
    const quarter = await measureJson([room.written.photoPath, '--depth', 'room-quarter.npy', ...floorArguments()]);
    expect(quarter.depth.description).toContain('resampled');
    expect(quarter.depth.description).toContain('bilinear');
  });

  it('reads 16-bit PNGs at either scale within their quantisation', async () => {
    const truth = worldDistance(FLOOR_A, FLOOR_B);
    for (const [file, valuesPerMetre] of [['room.png', 256], ['room-mm.png', 1000]] as const) {
      const report = await measureJson([room.written.photoPath, '--depth', file, ...floorArguments()]);
      // Each depth is off by at most half a step; a point moves along its ray by that times the ray's length.
      const rayLength = (point: Report['from']): number => Math.hypot(...point.camera) / point.camera[2];
      const quantisation = (0.5 / valuesPerMetre) * (rayLength(report.from) + rayLength(report.to));
      expect(Math.abs(report.distanceMetres - truth), file).toBeLessThanOrEqual(0.005 * truth + quantisation);
      expect(report.depth.notes.join(' '), file).toContain(`value / ${valuesPerMetre}`);
    }
  });

  it('prints the distance, its band, both points and the intrinsics with their source', async () => {
    const run = await measure([room.written.photoPath, '--depth', 'room.depth.npy', ...floorArguments()]);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Distance: \d+\.\d{3} m ± \d+\.\d{3} m$/m);
    expect(run.out).toContain('From pixel');
    expect(run.out).toContain('To pixel');
    expect(run.out).toContain('focal-plane-resolution');
    // A bare depth file does not name its model: the band says which figure it uses.
    expect(run.out).toMatch(/does not say which model made it/);
  });

  it('gives the band from the relative error used, at least that fraction of the distance', async () => {
    const report = await measureJson([room.written.photoPath, '--depth', 'room.depth.npy', ...floorArguments(), '--relative-error', '0.1']);
    expect(report.uncertainty?.relativeError).toBe(0.1);
    expect(report.uncertainty?.bandMetres ?? 0).toBeGreaterThanOrEqual(0.1 * report.distanceMetres * (1 - 1e-9));
  });
});

describe('zoe measure camera overrides', () => {
  it('--fov-deg and --focal-mm with --sensor-width-mm replace EXIF and still measure the room', async () => {
    const truth = worldDistance(FLOOR_A, FLOOR_B);
    const { width, fx } = room.camera;
    const fovDeg = (2 * Math.atan(width / 2 / fx) * 180) / Math.PI;
    const byFov = await measureJson([room.written.photoPath, '--depth', 'room.depth.npy', ...floorArguments(), '--fov-deg', fovDeg.toFixed(6)]);
    expect(byFov.intrinsics.source).toBe('user');
    expect(byFov.intrinsics.fx / fx).toBeCloseTo(1, 5);
    expect(Math.abs(byFov.distanceMetres / truth - 1)).toBeLessThan(0.005);

    // A 6.17 mm wide sensor: the lens whose focal length gives this camera's fx over the photo's long side.
    const sensorWidthMm = 6.17;
    const focalMm = (fx * sensorWidthMm) / Math.max(room.camera.width, room.camera.height);
    const byLens = await measureJson([room.written.photoPath, '--depth', 'room.depth.npy', ...floorArguments(), '--focal-mm', focalMm.toFixed(6), '--sensor-width-mm', String(sensorWidthMm)]);
    expect(byLens.intrinsics.source).toBe('user');
    expect(byLens.intrinsics.fx / fx).toBeCloseTo(1, 5);
    expect(Math.abs(byLens.distanceMetres / truth - 1)).toBeLessThan(0.005);

    // A wider lens than the truth shrinks sideways distances: the override is really used.
    const wider = await measureJson([room.written.photoPath, '--depth', 'room.depth.npy', ...floorArguments(), '--fov-deg', String(fovDeg + 20)]);
    expect(wider.intrinsics.fx).toBeLessThan(fx * 0.8);
    expect(Math.abs(wider.distanceMetres - truth)).toBeGreaterThan(0.05);
  });
});

describe('zoe measure --model', () => {
  it('estimates depth with a real ONNX model and measures on it, the band from its manifest', async () => {
    const model = await testModel('zoe-fixed');
    const modelDir = path.join(folder, 'model');
    await rm(modelDir, { recursive: true, force: true });
    await mkdir(modelDir, { recursive: true });
    await copyFile(model.modelPath, path.join(modelDir, 'zoe.onnx'));
    const manifest = { ...model.manifest, relativeError: { value: 0.06, source: 'test figure' } };
    await writeFile(path.join(modelDir, 'zoe.json'), JSON.stringify(manifest));
    const from = on('floor', FLOOR_A);
    const to = on('far wall', WALL);
    const report = await measureJson([room.written.photoPath, '--model', path.join(modelDir, 'zoe.onnx'), '--from', pixelArgument(from), '--to', pixelArgument(to), '--device', 'cpu']);
    expect(report.depth.kind).toBe('model');
    expect(report.uncertainty).toMatchObject({ relativeError: 0.06 });
    expect(report.uncertainty?.source).toContain('test figure');

    // The same depth, estimated independently and handed over as a file, measures the same.
    const engine = new DepthEngine({ optimisedCacheDir: path.join(folder, 'engine-optimised'), device: 'cpu' });
    try {
      const depth = await engine.estimate(room.written.photoPath, model);
      expect([depth.photoWidth, depth.photoHeight]).toEqual([room.camera.width, room.camera.height]);
      await writeNpy(depth, path.join(folder, 'model-depth.npy'));
    } finally {
      await engine.dispose();
    }
    const viaFile = await measureJson([room.written.photoPath, '--depth', 'model-depth.npy', '--from', pixelArgument(from), '--to', pixelArgument(to)]);
    expect(viaFile.distanceMetres).toBeCloseTo(report.distanceMetres, 5);
    expect(report.distanceMetres).toBeGreaterThan(0);
  }, 60_000);
});

describe('zoe measure mistakes', () => {
  const photo = (): string => room.written.photoPath;

  it('exits 2 for usage mistakes, with a message', async () => {
    const cases: [string[], RegExp][] = [
      [[photo(), '--depth', 'room.depth.npy', '--from', '10,10'], /--to/],
      [[photo(), '--from', '10,10', '--to', '20,20'], /exactly one of --depth/],
      [[photo(), '--depth', 'room.depth.npy', '--model', 'zoed-n', '--from', '10,10', '--to', '20,20'], /exactly one of --depth/],
      [[photo(), '--depth', 'room.depth.npy', '--from', '10;10', '--to', '20,20'], /x,y/],
      [[photo(), '--depth', 'room.depth.npy', '--from', '10,10', '--to', '5000,20'], /outside the upright photo/],
      [[photo(), '--depth', 'room.depth.npy', '--from', '10,10', '--to', '20,20', '--focal-mm', '4'], /go together/],
      [[photo(), '--depth', 'room.depth.npy', '--from', '10,10', '--to', '20,20', '--focal-mm', '4', '--sensor-width-mm', '6', '--fov-deg', '60'], /not both/],
      [[photo(), '--depth', 'room.depth.npy', '--from', '10,10', '--to', '20,20', '--fov-deg', '-3'], /positive/],
      [[photo(), '--depth', 'room.png', '--from', '10,10', '--to', '20,20', '--png16-scale', '100'], /--png16-scale/]
    ];
    for (const [args, message] of cases) {
      const run = await measure(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err, args.join(' ')).toMatch(message);
    }
  });

  it('exits 1 with a clear message for files that cannot be used', async () => {
    const jpeg = path.join(folder, 'room.jpg');
    const cases: [string[], RegExp][] = [
      [[photo(), '--depth', 'missing.npy', '--from', '10,10', '--to', '20,20'], /There is no depth file “missing.npy”/],
      [[photo(), '--depth', jpeg, '--from', '10,10', '--to', '20,20'], /not a depth map Zoe Studio can read/],
      [[photo(), '--depth', 'room-sideways.npy', '--from', '10,10', '--to', '20,20'], /turned a quarter/],
      [[path.join(folder, 'nope.jpg'), '--depth', 'room.depth.npy', '--from', '10,10', '--to', '20,20'], /There is no photo “nope\.jpg”/],
      [[photo(), '--model', path.join(TEST_MODELS_DIR, 'absent.onnx'), '--from', '10,10', '--to', '20,20'], /no model file/]
    ];
    for (const [args, message] of cases) {
      const run = await measure(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.err, args.join(' ')).toMatch(message);
      expect(run.err).not.toContain('Something went wrong');
    }
  });
});
