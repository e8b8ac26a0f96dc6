/**
 * The `measure.*` methods through `dispatch(createHandlerTable(services))` with the test host's
 * services: a synthetic room photo (stored sideways, EXIF orientation 6, focal length in EXIF) in
 * an opened folder, a real test ONNX model imported through the host's file chooser, the real
 * depth queue and cache, measurements kept in the data folder, and exports read back.
 */
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputedMeasurement, MeasurementDraft, MethodName, RequestOf, ResultOf } from '../../../src/shared/api';
import type { Result } from '../../../src/shared/errors';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createHandlerTable } from '../../../src/main/ipc/table';
import { ANNOTATION_COLOUR } from '../../../src/main/measure/annotate';
import { readPhotoIntrinsics } from '../../../src/main/measure/intrinsics';
import { measureDistance } from '../../../src/shared/measure/measures';
import type { PhotoPoint } from '../../../src/shared/measure/geometry';
import { faceNameAt, pixelOf, roomScene, ROOM_SIZE, sceneOnDisk, type SceneOnDisk } from '../../helpers/synthetic-scene';
import { FIXTURE_MODELS, idOf, openFolder, photoFolder, startHarness, until, type Harness } from '../jobs/harness';

let harness: Harness;
let room: SceneOnDisk;
let roomId: string;
/** The same room stored turned the other way (orientation 8), for drawing. */
let turned: SceneOnDisk;
let turnedId: string;
let folder: string;
const RELATIVE_ERROR = 0.06;
/** The test model's in-domain error: what is left of each point's depth error once the scale is calibrated. */
const POINT_ERROR = 0.02;

function on(face: string, world: [number, number, number]): PhotoPoint {
  const pixel = pixelOf(room.camera, world);
  expect(faceNameAt(room, pixel)).toBe(face);
  return pixel;
}

/** Distance on the floor, a path on the far wall, an area of floor, a height above the floor, an angle. */
function drafts(): MeasurementDraft[] {
  const farZ = ROOM_SIZE.depth;
  const floor = [on('floor', [-1, 0, 3]), on('floor', [1, 0, 3]), on('floor', [1, 0, 4.5]), on('floor', [-1, 0, 4.5])];
  return [
    { kind: 'distance', name: 'Across the floor', points: [on('floor', [-1, 0, 3]), on('floor', [1.5, 0, 5.5])] },
    { kind: 'polyline', points: [on('far wall', [-1.5, 0.5, farZ]), on('far wall', [0, 2, farZ]), on('far wall', [1.5, 0.5, farZ])] },
    { kind: 'area', points: floor },
    { kind: 'height', points: [on('far wall', [0.2, 1.8, farZ])], ground: floor },
    { kind: 'angle', points: [on('far wall', [-1.5, 1, farZ]), on('floor', [-1.5, 0, 5.5]), on('floor', [0, 0, 5.5])] }
  ];
}

function valuesOf(results: readonly ComputedMeasurement[]): number[] {
  return results.map((result) => {
    if (!result.ok) throw new Error(`${result.kind}: ${result.error.message}`);
    return result.value;
  });
}

async function error<M extends MethodName>(method: M, request: RequestOf<M>): Promise<string> {
  const result = await harness.call(method, request);
  if (result.ok) throw new Error(`${method} should have failed`);
  return result.error.code;
}

beforeAll(async () => {
  harness = await startHarness();
  folder = await photoFolder(harness, 'photos', { 'DSCN0010.jpg': 'gps/DSCN0010.jpg' });
  room = await sceneOnDisk(roomScene(), path.join(harness.workDir, 'scene'), 'room', 6, { kind: 'focal-plane', unit: 3, sensorWidthMm: 6.17 });
  await copyFile(room.written.photoPath, path.join(folder, 'room.jpg'));
  turned = await sceneOnDisk(roomScene(), path.join(harness.workDir, 'scene'), 'turned', 8, { kind: 'equivalent-35mm' });
  await copyFile(turned.written.photoPath, path.join(folder, 'turned.jpg'));
  const ids = await openFolder(harness, folder);
  roomId = idOf(ids, 'room.jpg');
  turnedId = idOf(ids, 'turned.jpg');
  await harness.value('settings.set', { device: 'cpu' });
}, 60_000);
afterAll(async () => {
  await harness.close();
});

describe('kept measurements', () => {
  it('saves, lists, renames and deletes, kept in the data folder across a new handler table', async () => {
    const saved = [];
    for (const draft of drafts()) saved.push(await harness.value('measure.save', { photoId: roomId, measurement: draft }));
    expect(saved.map((measurement) => measurement.name)).toEqual(['Across the floor', 'Path 1', 'Area 1', 'Height 1', 'Angle 1']);
    const extra = await harness.value('measure.save', { photoId: roomId, measurement: { kind: 'point-depth', points: [{ u: 10, v: 10 }] } });
    expect(await harness.value('measure.delete', { photoId: roomId, measurementId: extra.id })).toBe(true);
    expect(await harness.value('measure.delete', { photoId: roomId, measurementId: extra.id })).toBe(false);
    const renamed = await harness.value('measure.rename', { photoId: roomId, measurementId: saved[1]?.id ?? '', name: 'Door, "front"' });
    expect(renamed.name).toBe('Door, "front"');
    // Moving a handle: saving with the id replaces the measurement and keeps its name and creation time.
    const moved = await harness.value('measure.save', { photoId: roomId, measurement: { ...drafts()[0], id: saved[0]?.id, name: undefined } as MeasurementDraft });
    expect(moved).toMatchObject({ id: saved[0]?.id, name: 'Across the floor', created: saved[0]?.created });

    const second = createHandlerTable(harness.services);
    try {
      harness.services.setNextFolder(folder);
      await dispatch(second, 'library.openFolder', { recursive: false });
      const listed = (await dispatch(second, 'measure.list', { photoId: roomId })) as Result<ResultOf<'measure.list'>>;
      if (!listed.ok) throw new Error(listed.error.message);
      expect(listed.value.measurements.map((measurement) => [measurement.id, measurement.name, measurement.kind])).toEqual(
        saved.map((measurement, index) => [measurement.id, index === 1 ? 'Door, "front"' : measurement.name, measurement.kind])
      );
      expect(listed.value.measurements[3]?.ground).toEqual(drafts()[3]?.ground);
    } finally {
      await second.dispose();
    }
    // Kept under the data folder by the photo's content, never beside the photos.
    expect((await readdir(path.join(harness.services.dataDir, 'measurements'))).filter((name) => !name.startsWith('.'))).toHaveLength(1);
    expect((await readdir(folder)).sort()).toEqual(['DSCN0010.jpg', 'room.jpg', 'turned.jpg']);
  });

  it('exports the points even before there is a model, saying why the values are missing', async () => {
    const exported = await harness.value('measure.export', { photoId: roomId, format: 'csv' });
    const [header, ...rows] = parseCsv(exported?.text ?? '');
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row[header?.indexOf('value') ?? -1]).toBe('');
      expect(row[header?.indexOf('note') ?? -1]).toMatch(/No depth model is installed/);
    }
  });

  it('refuses drafts with the wrong number of points, and unknown measurements', async () => {
    const distance = await harness.call('measure.save', { photoId: roomId, measurement: { kind: 'distance', points: [{ u: 1, v: 1 }] } });
    expect(distance.ok ? null : distance.error.code).toBe('INVALID_ARGUMENT');
    const height = await harness.call('measure.save', { photoId: roomId, measurement: { kind: 'height', points: [{ u: 1, v: 1 }] } });
    expect(height.ok ? null : height.error.code).toBe('INVALID_ARGUMENT');
    expect(await error('measure.rename', { photoId: roomId, measurementId: 'nope', name: 'x' })).toBe('NOT_FOUND');
    expect(await error('measure.list', { photoId: 'not-a-photo' })).toBe('NOT_FOUND');
  });
});

describe('values from the cached depth', () => {
  let uncalibrated: number[];

  it('says MODEL_NOT_INSTALLED without a model and NOT_FOUND before the photo has depth', async () => {
    expect(await error('measure.compute', { photoId: roomId })).toBe('MODEL_NOT_INSTALLED');
    const modelFile = path.join(harness.workDir, 'zoe-err.onnx');
    await copyFile(path.join(FIXTURE_MODELS, 'zoe-fixed.onnx'), modelFile);
    const manifest: unknown = JSON.parse(await readFile(path.join(FIXTURE_MODELS, 'zoe-fixed.json'), 'utf8'));
    await writeFile(path.join(harness.workDir, 'zoe-err.json'), JSON.stringify({ ...(manifest as object), id: 'test-err', relativeError: { value: RELATIVE_ERROR, source: 'test figure', inDomain: { value: POINT_ERROR, source: 'test in-domain figure' } } }));
    harness.services.setNextModelFile(modelFile);
    expect(await harness.value('models.import')).toMatchObject({ id: 'test-err', selected: true });
    expect(await error('measure.compute', { photoId: roomId })).toBe('NOT_FOUND');
  });

  it('measures every saved measurement on the photo’s depth, with the band from the model’s relative error', async () => {
    await harness.value('jobs.enqueue', { photoIds: [roomId] });
    await until(() => harness.payloads('depth.ready').some((ready) => ready.photoId === roomId), 'the room’s depth', 60_000);
    const computed = await harness.value('measure.compute', { photoId: roomId });
    expect(computed).toMatchObject({ intrinsicsSource: 'focal-plane-resolution', calibrationFactor: 1, relativeError: { state: 'uncalibrated', value: RELATIVE_ERROR, pointError: POINT_ERROR, source: 'test figure; each point on its own: test in-domain figure' } });
    expect(computed.results.map((result) => result.kind)).toEqual(['distance', 'polyline', 'area', 'height', 'angle']);
    uncalibrated = valuesOf(computed.results);
    for (const result of computed.results) if (result.ok && result.kind !== 'angle') expect(result.band).toBeGreaterThan(0);

    // The same distance from the depth the renderer gets and the camera read from the photo.
    const depth = await harness.value('depth.get', { photoId: roomId });
    if (depth === null) throw new Error('no depth');
    const intrinsics = await readPhotoIntrinsics(path.join(folder, 'room.jpg'));
    const [from, to] = drafts()[0]?.points ?? [];
    if (from === undefined || to === undefined) throw new Error('no points');
    expect(uncalibrated[0]).toBeCloseTo(measureDistance({ depth, intrinsics }, from, to).value, 9);

    // Drafts are measured without being saved.
    const draft = await harness.value('measure.compute', { photoId: roomId, measurements: [drafts()[0] as MeasurementDraft] });
    expect(valuesOf(draft.results)).toEqual([uncalibrated[0]]);
  }, 60_000);

  it('rescales lengths by the calibration factor, areas by its square, angles not at all; resets with null', async () => {
    const [from, to] = drafts()[0]?.points ?? [];
    if (from === undefined || to === undefined) throw new Error('no points');
    const measured = uncalibrated[0] ?? NaN;
    const calibration = await harness.value('measure.setCalibration', { photoId: roomId, reference: { knownLengthMetres: measured * 1.25, from, to } });
    expect(calibration?.factor).toBeCloseTo(1.25, 12);
    expect(calibration?.modelId).toBe('test-err');
    expect((await harness.value('measure.list', { photoId: roomId })).calibration?.factor).toBe(calibration?.factor);

    const computed = await harness.value('measure.compute', { photoId: roomId });
    const factor = calibration?.factor ?? NaN;
    expect(computed.calibrationFactor).toBe(factor);
    const [distance, polyline, area, height, angle] = valuesOf(computed.results);
    expect(distance).toBeCloseTo((uncalibrated[0] ?? NaN) * factor, 9);
    expect(polyline).toBeCloseTo((uncalibrated[1] ?? NaN) * factor, 9);
    expect(area).toBeCloseTo((uncalibrated[2] ?? NaN) * factor ** 2, 9);
    expect(height).toBeCloseTo((uncalibrated[3] ?? NaN) * factor, 9);
    expect(angle).toBeCloseTo(uncalibrated[4] ?? NaN, 9);

    expect(await error('measure.setCalibration', { photoId: roomId, reference: { knownLengthMetres: measured * 50, from, to } })).toBe('INVALID_ARGUMENT');
    expect(await harness.value('measure.setCalibration', { photoId: roomId, reference: null })).toBeNull();
    expect(valuesOf((await harness.value('measure.compute', { photoId: roomId })).results)).toEqual(uncalibrated);
  });

  it('a calibration follows a corrected camera: the reference line still reads its known length, and the band says calibrated and narrows', async () => {
    const farZ = ROOM_SIZE.depth;
    // A reference across the view (both ends on the far wall): its length error is small.
    const reference = { from: on('far wall', [-1.5, 1, farZ]), to: on('far wall', [1.5, 1, farZ]) };
    const line: MeasurementDraft = { kind: 'distance', points: [reference.from, reference.to] };
    const across = drafts()[0] as MeasurementDraft;
    const before = await harness.value('measure.compute', { photoId: roomId, measurements: [line, across] });
    expect(before.relativeError).toMatchObject({ state: 'uncalibrated', value: RELATIVE_ERROR, pointError: POINT_ERROR });
    expect(before.calibration).toBeNull();
    const [lineBefore, acrossBefore] = before.results;
    if (lineBefore?.ok !== true || acrossBefore?.ok !== true) throw new Error('no values');

    await harness.value('measure.intrinsics', { photoId: roomId, override: { kind: 'field-of-view', degrees: 60, axis: 'horizontal' } });
    const measured = valuesOf((await harness.value('measure.compute', { photoId: roomId, measurements: [line] })).results)[0] ?? NaN;
    await harness.value('measure.setCalibration', { photoId: roomId, reference: { knownLengthMetres: 3, ...reference } });
    expect(valuesOf((await harness.value('measure.compute', { photoId: roomId, measurements: [line] })).results)[0]).toBeCloseTo(3, 9);

    // Camera → Apply with another lens: the factor is worked out again from the reference line.
    await harness.value('measure.intrinsics', { photoId: roomId, override: { kind: 'field-of-view', degrees: 80, axis: 'horizontal' } });
    const after = await harness.value('measure.compute', { photoId: roomId, measurements: [line, across] });
    const [lineAfter, acrossAfter] = after.results;
    if (lineAfter?.ok !== true || acrossAfter?.ok !== true || lineAfter.band === null || acrossAfter.band === null || acrossBefore.band === null) throw new Error('no values');
    expect(lineAfter.value).toBeCloseTo(3, 9);
    expect(after.calibration?.factor).not.toBeCloseTo(3 / measured, 3);
    expect(after.calibrationFactor).toBe(after.calibration?.factor);
    expect((await harness.value('measure.list', { photoId: roomId })).calibration?.knownLengthMetres).toBe(3);

    // Calibrated: the scale error is the reference's own (two ends at POINT_ERROR each, over its length), well under the zero-shot figure.
    expect(after.relativeError?.state).toBe('calibrated');
    expect(after.relativeError?.pointError).toBe(POINT_ERROR);
    expect(after.relativeError?.value).toBeGreaterThan(0);
    expect(after.relativeError?.value).toBeLessThan(POINT_ERROR);
    expect(acrossAfter.band / acrossAfter.value).toBeLessThan((acrossBefore.band / acrossBefore.value) / 2);

    await harness.value('measure.setCalibration', { photoId: roomId, reference: null });
    await harness.value('measure.intrinsics', { photoId: roomId, override: null });
    expect(valuesOf((await harness.value('measure.compute', { photoId: roomId })).results)).toEqual(uncalibrated);
  });

  it('keeps a camera override for the photo until it is cleared', async () => {
    const exif = await harness.value('measure.intrinsics', { photoId: roomId });
    expect(exif).toMatchObject({ source: 'focal-plane-resolution', width: room.camera.width, height: room.camera.height, override: null });
    expect(exif.fx / room.camera.fx).toBeCloseTo(1, 6);
    const wide = await harness.value('measure.intrinsics', { photoId: roomId, override: { kind: 'field-of-view', degrees: 90, axis: 'horizontal' } });
    expect(wide.source).toBe('user');
    expect(wide.fx).toBeCloseTo((room.camera.width - 0) / 2 / Math.tan(Math.PI / 4), 0);
    expect(wide.horizontalFieldOfViewDeg).toBeCloseTo(90, 1);
    const computed = await harness.value('measure.compute', { photoId: roomId });
    expect(computed.intrinsicsSource).toBe('user');
    expect(valuesOf(computed.results)[0]).not.toBeCloseTo(uncalibrated[0] ?? NaN, 3);
    expect((await harness.value('measure.intrinsics', { photoId: roomId, override: null })).source).toBe('focal-plane-resolution');
    expect((await harness.value('measure.compute', { photoId: roomId })).intrinsicsSource).toBe('focal-plane-resolution');
  });
});

/** RFC 4180 fields: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (quoted) {
      if (character === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += character;
    }
  }
  return rows;
}

describe('exports', () => {
  it('CSV parses back to a header and one row per measurement with the computed numbers', async () => {
    const computed = await harness.value('measure.compute', { photoId: roomId });
    const exported = await harness.value('measure.export', { photoId: roomId, format: 'csv' });
    if (exported === null) throw new Error('no export');
    expect(exported).toMatchObject({ fileName: 'room.measurements.csv', savedTo: null });
    const [header, ...rows] = parseCsv(exported.text);
    expect(header).toEqual(['name', 'kind', 'value', 'unit', 'uncertainty', 'relative_error', 'intrinsics_source', 'calibration_factor', 'points', 'ground', 'created', 'modified', 'note']);
    const column = (name: string): number => header?.indexOf(name) ?? -1;
    expect(rows).toHaveLength(computed.results.length);
    rows.forEach((row, index) => {
      const result = computed.results[index];
      if (result === undefined || !result.ok) throw new Error('no result');
      expect(Number(row[column('value')])).toBe(result.value);
      expect(Number(row[column('uncertainty')])).toBe(result.band);
      expect(Number(row[column('relative_error')])).toBe(RELATIVE_ERROR);
      expect(row[column('unit')]).toBe(result.unit);
    });
    expect(rows[1]?.[column('name')]).toBe('Door, "front"');
    const firstPoints = rows[0]?.[column('points')]?.split('; ').map((pair) => pair.split(' ').map(Number));
    expect(firstPoints).toEqual(drafts()[0]?.points.map((point) => [point.u, point.v]));
  });

  it('writes CSV and JSON into the chosen folder without replacing earlier files; a cancelled chooser writes nothing', async () => {
    const output = path.join(harness.workDir, 'exports');
    await rm(output, { recursive: true, force: true });
    await mkdir(output);
    harness.services.setNextOutputFolder(output);
    const first = await harness.value('measure.export', { photoId: roomId, format: 'csv', destination: 'folder' });
    const again = await harness.value('measure.export', { photoId: roomId, format: 'csv', destination: 'folder' });
    const json = await harness.value('measure.export', { photoId: roomId, format: 'json', destination: 'folder' });
    expect([first?.fileName, again?.fileName, json?.fileName]).toEqual(['room.measurements.csv', 'room.measurements-2.csv', 'room.measurements.json']);
    expect(await readFile(path.join(output, 'room.measurements.csv'), 'utf8')).toBe(first?.text);
    const document = JSON.parse(await readFile(path.join(output, 'room.measurements.json'), 'utf8')) as { measurements: { name: string; result: { value: number } }[] };
    expect(document.measurements.map((measurement) => measurement.name)).toContain('Door, "front"');
    harness.services.setNextOutputFolder(null);
    expect(await harness.value('measure.export', { photoId: roomId, format: 'csv', destination: 'folder' })).toBeNull();
    expect((await readdir(output)).sort()).toEqual(['room.measurements-2.csv', 'room.measurements.csv', 'room.measurements.json']);
  });

  it('draws the measurements on the upright photo: the lines where their points are, the rest untouched', async () => {
    const farZ = ROOM_SIZE.depth;
    const onTurned = (face: string, world: [number, number, number]): PhotoPoint => {
      const pixel = pixelOf(turned.camera, world);
      expect(faceNameAt(turned, pixel)).toBe(face);
      return pixel;
    };
    const across = [onTurned('floor', [-1.5, 0, 3]), onTurned('floor', [1.5, 0, 3.5])];
    const wall = [onTurned('far wall', [-2, 2, farZ]), onTurned('far wall', [-1, 2.2, farZ]), onTurned('far wall', [0, 2, farZ])];
    await harness.value('measure.save', { photoId: turnedId, measurement: { kind: 'distance', name: 'Rug', points: across } });
    await harness.value('measure.save', { photoId: turnedId, measurement: { kind: 'polyline', points: wall } });
    const output = path.join(harness.workDir, 'annotated');
    await mkdir(output, { recursive: true });
    harness.services.setNextOutputFolder(output);
    const written = await harness.value('measure.exportAnnotated', { photoId: turnedId, format: 'png' });
    expect(written).toMatchObject({ fileName: 'turned.measured.png', width: turned.camera.width, height: turned.camera.height });
    const drawn = await sharp(path.join(output, 'turned.measured.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const original = await sharp(path.join(folder, 'turned.jpg')).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([drawn.info.width, drawn.info.height]).toEqual([turned.camera.width, turned.camera.height]);
    const pixel = (image: typeof drawn, u: number, v: number): number[] => {
      const at = (Math.round(v) * image.info.width + Math.round(u)) * image.info.channels;
      return [image.data[at] ?? -1, image.data[at + 1] ?? -1, image.data[at + 2] ?? -1];
    };
    const fromLineColour = ([r, g, b]: number[]): number => Math.hypot((r ?? 0) - ANNOTATION_COLOUR.r, (g ?? 0) - ANNOTATION_COLOUR.g, (b ?? 0) - ANNOTATION_COLOUR.b);
    for (const [from, to] of [[across[0], across[1]], [wall[0], wall[1]], [wall[1], wall[2]]] as const) {
      if (from === undefined || to === undefined) throw new Error('no points');
      for (const t of [0.2, 0.3, 0.7, 0.8]) {
        const u = from.u + (to.u - from.u) * t;
        const v = from.v + (to.v - from.v) * t;
        // The line's colour, give or take its anti-aliased edge; the photo there is far from it.
        expect(fromLineColour(pixel(drawn, u, v)), `line at ${u},${v}: ${pixel(drawn, u, v).join(',')}`).toBeLessThan(30);
        expect(fromLineColour(pixel(original, u, v)), `photo at ${u},${v}`).toBeGreaterThan(100);
      }
    }
    // Far from every measurement the photo is as it was.
    for (const [u, v] of [[turned.camera.width - 4, turned.camera.height - 4], [turned.camera.width - 4, 3]] as const) {
      const drawnPixel = pixel(drawn, u, v);
      pixel(original, u, v).forEach((channel, index) => expect(Math.abs(channel - (drawnPixel[index] ?? -1))).toBeLessThanOrEqual(1));
    }
    // Every kind of measurement drawn (regions, paths, points, labels), as a JPEG.
    const everything = await harness.value('measure.exportAnnotated', { photoId: roomId, units: 'imperial' });
    expect(everything).toMatchObject({ fileName: 'room.measured.jpg', width: room.camera.width, height: room.camera.height });
    expect(await sharp(path.join(output, 'room.measured.jpg')).metadata()).toMatchObject({ format: 'jpeg', width: room.camera.width, height: room.camera.height });
    harness.services.setNextOutputFolder(null);
    expect(await harness.value('measure.exportAnnotated', { photoId: turnedId })).toBeNull();
    expect(await error('measure.exportAnnotated', { photoId: idOf(await openFolder(harness, folder), 'DSCN0010.jpg') })).toBe('INVALID_ARGUMENT');
  });
});

describe('calibration and another model', () => {
  it('works the factor out again on the new model’s depth, so the reference still measures its known length', async () => {
    const [from, to] = drafts()[0]?.points ?? [];
    if (from === undefined || to === undefined) throw new Error('no points');
    const stored = await harness.value('measure.setCalibration', { photoId: roomId, reference: { knownLengthMetres: 3.2, from, to } });
    const reference: MeasurementDraft = { kind: 'distance', points: [from, to] };
    expect(valuesOf((await harness.value('measure.compute', { photoId: roomId, measurements: [reference] })).results)[0]).toBeCloseTo(3.2, 9);

    for (const ending of ['onnx', 'json']) await copyFile(path.join(FIXTURE_MODELS, `zoe-dynamic.${ending}`), path.join(harness.workDir, `zoe-dynamic.${ending}`));
    harness.services.setNextModelFile(path.join(harness.workDir, 'zoe-dynamic.onnx'));
    expect(await harness.value('models.import')).toMatchObject({ id: 'test-dynamic' });
    await harness.value('settings.set', { modelId: 'test-dynamic' });
    await harness.value('jobs.enqueue', { photoIds: [roomId] });
    await until(() => harness.payloads('depth.ready').some((ready) => ready.photoId === roomId && ready.modelId === 'test-dynamic'), 'the other model’s depth', 60_000);

    const computed = await harness.value('measure.compute', { photoId: roomId, measurements: [reference] });
    expect(computed.depth.modelId).toBe('test-dynamic');
    expect(computed.relativeError).toBeNull();
    expect(computed.calibrationFactor).not.toBeCloseTo(stored?.factor ?? NaN, 3);
    expect(valuesOf(computed.results)[0]).toBeCloseTo(3.2, 9);
    const result = computed.results[0];
    expect(result?.ok === true ? result.band : 'no result').toBeNull();
  }, 60_000);
});
