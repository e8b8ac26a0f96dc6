/**
 * `measure.compute` through `dispatch(createHandlerTable(services))` runs its measurements on the
 * measuring worker thread: with a real test model's cached depth of a synthetic room, full-frame
 * areas and heights (RANSAC over every depth cell) give exactly the values computed on this thread,
 * and while they are computed the main event loop keeps firing a 1 ms interval, never stalling for
 * anything near the time the same work takes here.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeasureComputation, MeasurementDraft } from '../../../src/shared/api';
import type { Result } from '../../../src/shared/errors';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createHandlerTable } from '../../../src/main/ipc/table';
import { computeMeasurements } from '../../../src/main/measure/compute';
import { readPhotoIntrinsics } from '../../../src/main/measure/intrinsics';
import type { PhotoPoint } from '../../../src/shared/measure/geometry';
import { faceNameAt, pixelOf, roomScene, ROOM_SIZE, sceneOnDisk, type SceneOnDisk } from '../../helpers/synthetic-scene';
import { FIXTURE_MODELS, idOf, openFolder, photoFolder, startHarness, until, type Harness } from '../jobs/harness';
import { timed, watchEventLoop } from './event-loop';

const RELATIVE_ERROR = 0.05;
let harness: Harness;
let room: SceneOnDisk;
let roomId: string;
let folder: string;

beforeAll(async () => {
  harness = await startHarness();
  folder = await photoFolder(harness, 'photos', {});
  room = await sceneOnDisk(roomScene(), path.join(harness.workDir, 'scene'), 'room', 6, { kind: 'focal-plane', unit: 3, sensorWidthMm: 6.17 });
  await copyFile(room.written.photoPath, path.join(folder, 'room.jpg'));
  roomId = idOf(await openFolder(harness, folder), 'room.jpg');
  await harness.value('settings.set', { device: 'cpu' });
  const modelFile = path.join(harness.workDir, 'zoe-measure.onnx');
  await copyFile(path.join(FIXTURE_MODELS, 'zoe-fixed.onnx'), modelFile);
  const manifest: unknown = JSON.parse(await readFile(path.join(FIXTURE_MODELS, 'zoe-fixed.json'), 'utf8'));
  await writeFile(path.join(harness.workDir, 'zoe-measure.json'), JSON.stringify({ ...(manifest as object), id: 'test-measure', relativeError: { value: RELATIVE_ERROR, source: 'test figure' } }));
  harness.services.setNextModelFile(modelFile);
  await harness.value('models.import');
  await harness.value('jobs.enqueue', { photoIds: [roomId] });
  await until(() => harness.payloads('depth.ready').some((ready) => ready.photoId === roomId), 'the room’s depth', 60_000);
}, 90_000);
afterAll(async () => {
  await harness.close();
});

function on(face: string, world: [number, number, number]): PhotoPoint {
  const pixel = pixelOf(room.camera, world);
  expect(faceNameAt(room, pixel)).toBe(face);
  return pixel;
}

/** Areas over the whole frame and heights above a whole-frame ground: every depth cell in a plane fit. */
function heavyDrafts(width: number, height: number): MeasurementDraft[] {
  const frame = [
    { u: 0, v: 0 },
    { u: width - 1, v: 0 },
    { u: width - 1, v: height - 1 },
    { u: 0, v: height - 1 }
  ];
  const floor = [on('floor', [-1, 0, 3]), on('floor', [1, 0, 3]), on('floor', [1, 0, 4.5]), on('floor', [-1, 0, 4.5])];
  const top = on('far wall', [0.2, 1.8, ROOM_SIZE.depth]);
  const once: MeasurementDraft[] = [
    { kind: 'area', name: 'Whole frame', points: frame },
    { kind: 'height', name: 'Above everything', points: [top], ground: frame },
    { kind: 'area', name: 'Floor', points: floor },
    { kind: 'height', name: 'Above the floor', points: [top], ground: floor },
    { kind: 'distance', name: 'Off the photo', points: [{ u: -500, v: -500 }, top] }
  ];
  return [...once, ...once, ...once];
}

describe('measure.compute on the worker thread', () => {
  it('gives the values computed on this thread while the event loop keeps ticking', async () => {
    const depth = await harness.value('depth.get', { photoId: roomId });
    if (depth === null) throw new Error('no depth');
    const intrinsics = await readPhotoIntrinsics(path.join(folder, 'room.jpg'));
    const drafts = heavyDrafts(intrinsics.width, intrinsics.height);

    const here = timed(() => computeMeasurements({ depth, intrinsics, relativeError: RELATIVE_ERROR }, drafts));
    // The work must be heavy enough here for a stall on the main loop to be seen.
    expect(here.ms).toBeGreaterThan(40);
    expect(here.value.filter((result) => result.ok)).toHaveLength(12);
    expect(here.value.filter((result) => !result.ok).map((result) => (result.ok ? null : result.error.code))).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT']);

    const { value: computed, watch } = await watchEventLoop(() => harness.value('measure.compute', { photoId: roomId, measurements: drafts }));
    expect(computed.results).toEqual(here.value);
    expect(computed.depth).toMatchObject({ width: depth.width, height: depth.height });
    expect(watch.ticks).toBeGreaterThan(2);
    expect(watch.longestStallMs, `measured here in ${here.ms.toFixed(0)} ms`).toBeLessThan(here.ms / 2);
  });

  it('releases the thread with the table: a disposed table’s compute is CANCELLED, other tables still measure', async () => {
    const second = createHandlerTable(harness.services);
    harness.services.setNextFolder(folder);
    expect((await dispatch(second, 'library.openFolder', { recursive: false })).ok).toBe(true);
    const drafts = heavyDrafts(480, 360).slice(2, 4);
    const before = (await dispatch(second, 'measure.compute', { photoId: roomId, measurements: drafts })) as Result<MeasureComputation>;
    expect(before.ok && before.value.results.every((result) => result.ok)).toBe(true);
    await second.dispose();
    const after = await dispatch(second, 'measure.compute', { photoId: roomId, measurements: drafts });
    expect(after.ok ? null : after.error.code).toBe('CANCELLED');
    const still = await harness.value('measure.compute', { photoId: roomId, measurements: drafts });
    expect(still.results).toEqual(before.ok ? before.value.results : null);
  });
});
