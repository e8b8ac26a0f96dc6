/**
 * `zoe measure` from the built bundle (node bin/zoe.js), as a photographer runs it: a synthetic
 * room photo with its exact depth as .npy, the true distance recovered, and exit codes 1 and 2.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vec3 } from '../../../src/shared/measure/vector';
import { pixelOf, roomScene, ROOM_SIZE, sceneOnDisk, worldDistance, type SceneOnDisk } from '../../helpers/synthetic-scene';
import { requireBuiltCli, runBuiltZoe, type ZoeRun } from './built-zoe';

let workDir: string;
let room: SceneOnDisk;

beforeAll(async () => {
  await requireBuiltCli();
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-measure-bundle-'));
  room = await sceneOnDisk(roomScene(), workDir, 'room', 3, { kind: 'equivalent-35mm' });
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function runZoe(args: string[]): Promise<ZoeRun> {
  return runBuiltZoe(args, { cwd: workDir, env: { ZOE_DATA_DIR: path.join(workDir, 'data') }, timeoutMs: 60_000 });
}

describe('zoe measure from the bundle', () => {
  it('measures the true distance from a depth file, and exits 1 and 2 for a bad file and a bad command line', async () => {
    const a: Vec3 = [-1.5, 0.5, ROOM_SIZE.depth];
    const b: Vec3 = [1.5, 2.0, ROOM_SIZE.depth];
    const pixel = (world: Vec3): string => {
      const point = pixelOf(room.camera, world);
      return `${point.u.toFixed(4)},${point.v.toFixed(4)}`;
    };
    const ok = await runZoe(['measure', 'room.jpg', '--depth', 'room.depth.npy', '--from', pixel(a), '--to', pixel(b), '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout) as { distanceMetres: number; intrinsics: { source: string } };
    expect(Math.abs(report.distanceMetres / worldDistance(a, b) - 1)).toBeLessThan(0.005);
    expect(report.intrinsics.source).toBe('focal-length-35mm');

    const badFile = await runZoe(['measure', 'room.jpg', '--depth', 'room.truth.json', '--from', '1,1', '--to', '2,2']);
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toContain('not a depth map');
    const badLine = await runZoe(['measure', 'room.jpg', '--depth', 'room.depth.npy', '--from', '1,1']);
    expect(badLine.code).toBe(2);
  });
});
