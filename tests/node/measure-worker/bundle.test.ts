/**
 * The built bundle (`npx electron-vite build`; `out/main/`) carries the measuring worker beside the
 * main bundle, where the app's client looks for it; the bundled worker, started by plain Node,
 * answers the protocol with exactly the values computed here; and `zoe measure` from the bundle
 * (which measures on its own thread) still gives the app's distance.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMeasurements, type MeasurementInput } from '../../../src/main/measure/compute';
import type { MeasureReply, MeasureRequest } from '../../../src/main/measure/worker/protocol';
import type { PhotoPoint } from '../../../src/shared/measure/geometry';
import { measureDistance, type MeasureContext } from '../../../src/shared/measure/measures';
import type { Vec3 } from '../../../src/shared/measure/vector';
import { faceNameAt, pixelOf, roomScene, ROOM_SIZE, sceneOnDisk, type SceneOnDisk } from '../../helpers/synthetic-scene';

const ROOT = path.resolve(__dirname, '../../..');
const OUT = path.join(ROOT, 'out/main');

let workDir: string;
let room: SceneOnDisk;

beforeAll(async () => {
  for (const file of ['index.js', 'cli.js', 'measure-worker.js']) {
    try {
      await access(path.join(OUT, file));
    } catch {
      throw new Error(`out/main/${file} is missing: build with \`npx electron-vite build\` (npm test does) and run this test again.`);
    }
  }
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-measure-worker-bundle-'));
  room = await sceneOnDisk(roomScene(), workDir, 'room', 1, { kind: 'equivalent-35mm' });
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function on(face: string, world: Vec3): PhotoPoint {
  const pixel = pixelOf(room.camera, world);
  expect(faceNameAt(room, pixel)).toBe(face);
  return pixel;
}

/** One request to a worker started from `file`, answered once. */
function askWorker(file: string, request: MeasureRequest): Promise<MeasureReply> {
  const worker = new Worker(file);
  return new Promise<MeasureReply>((resolve, reject) => {
    worker.once('message', (reply: MeasureReply) => resolve(reply));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited (${code}) without answering`)));
    worker.postMessage(request);
  }).finally(() => void worker.terminate());
}

describe('the measuring worker in the bundle', () => {
  it('is beside the main bundle, named as the app looks for it', async () => {
    const main = await readFile(path.join(OUT, 'index.js'), 'utf8');
    expect(main).toMatch(/name:\s*["']measure-worker["']/);
  });

  it('answers under plain Node with the values computed on this thread', async () => {
    const floor = [on('floor', [-1, 0, 3]), on('floor', [1, 0, 3]), on('floor', [1, 0, 4.5]), on('floor', [-1, 0, 4.5])];
    const top = on('far wall', [0.2, 1.8, ROOM_SIZE.depth]);
    const inputs: MeasurementInput[] = [
      { kind: 'area', id: 'a', name: 'Floor', points: floor },
      { kind: 'height', id: 'h', name: 'Shelf', points: [top], ground: floor },
      { kind: 'distance', id: 'off', name: 'Off the photo', points: [{ u: -50, v: -50 }, top] }
    ];
    const context: MeasureContext = { depth: room.depth, intrinsics: room.intrinsics, relativeError: 0.1, calibration: { factor: 1.25 } };
    const here = computeMeasurements(context, inputs);
    const reply = await askWorker(path.join(OUT, 'measure-worker.js'), { id: 7, kind: 'compute', context, inputs });
    expect(reply).toEqual({ id: 7, kind: 'done', value: here });
    // The area is the floor patch's true 2 m × 1.5 m, scaled by the calibration squared.
    const area = here[0];
    expect(area?.ok === true ? area.value / (3 * 1.25 * 1.25) - 1 : null).toBeCloseTo(0, 2);
    expect(here[2]?.ok).toBe(false);
  });

  it('leaves `zoe measure` working from the bundle', async () => {
    const from = on('floor', [-1, 0, 3]);
    const to = on('far wall', [1.5, 2, ROOM_SIZE.depth]);
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin/zoe.js'), 'measure', 'room.jpg', '--depth', 'room.depth.npy', '--from', `${from.u},${from.v}`, '--to', `${to.u},${to.v}`, '--json'],
        { cwd: workDir, env: { ...process.env, ZOE_DATA_DIR: path.join(workDir, 'data') }, timeout: 60_000 },
        (error, out, err) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout: out, stderr: err })
      );
    });
    expect(code, stderr).toBe(0);
    const report: unknown = JSON.parse(stdout);
    expect(report).toMatchObject({ distanceMetres: measureDistance({ depth: room.depth, intrinsics: room.intrinsics }, from, to).value });
  });
});
