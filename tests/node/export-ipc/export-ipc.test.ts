/**
 * Batch export through the real handler table: `dispatch(createHandlerTable(services))` with the
 * test host's services, a real imported test model, real photos, the real depth queue and cache,
 * the export worker, and files read back with independent readers.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportPhotoOutcome, ExportProgress } from '../../../src/shared/api';
import { colormapLut } from '../../../src/shared/colormaps';
import { DepthEngine } from '../../../src/main/depth';
import { testModel } from '../cli/test-models';
import { readNpy } from '../../helpers/readers/npy';
import { readPly } from '../../helpers/readers/ply';
import { tiffHeaderWithOrientation } from '../thumbnails/exif-fixture';
import { FIXTURE_MODELS, FIXTURE_PHOTOS, idOf, openFolder, photoFolder, startHarness, until, type Harness } from '../jobs/harness';

let harness: Harness;
let ids: Map<string, string>;
let folder: string;
let engine: DepthEngine;

const PHOTOS: Record<string, string> = {
  'DSCN0010.jpg': 'gps/DSCN0010.jpg',
  'corrupted.jpg': 'corrupted.jpg',
  'portrait_6.jpg': 'orientation/portrait_6.jpg',
  'landscape_1.jpg': 'orientation/landscape_1.jpg',
  'landscape_3.jpg': 'orientation/landscape_3.jpg',
  'portrait_1.jpg': 'orientation/portrait_1.jpg',
  'portrait_5.jpg': 'orientation/portrait_5.jpg',
  'Nikon_D70.jpg': 'Nikon_D70.jpg'
};

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function chooseOutput(name: string): Promise<{ id: string; folder: string }> {
  const output = path.join(harness.workDir, name);
  await mkdir(output, { recursive: true });
  harness.services.setNextOutputFolder(output);
  const chosen = await harness.value('export.chooseFolder');
  if (chosen === null) throw new Error('the output folder chooser was cancelled');
  return { id: chosen.outputFolderId, folder: output };
}

function progressOf(batchId: string): ExportProgress[] {
  return harness.payloads('export.progress').filter((progress) => progress.batchId === batchId);
}

async function batchEnded(batchId: string): Promise<{ last: ExportProgress; outcomes: ExportPhotoOutcome[] }> {
  await until(() => progressOf(batchId).some((progress) => progress.state !== 'running'), `batch ${batchId} to end`, 60_000);
  const events = progressOf(batchId);
  const last = events.at(-1);
  if (last === undefined) throw new Error('no progress');
  return { last, outcomes: events.flatMap((progress) => progress.finished) };
}

/** Every entry of `output`, checking that no staging folder or temporary file is left. */
async function listOutput(output: string): Promise<string[]> {
  const names = (await readdir(output)).sort();
  expect(names.filter((name) => name.startsWith('.zoe-export-') || name.endsWith('.tmp') || name.includes('.tmp-'))).toEqual([]);
  return names;
}

beforeAll(async () => {
  harness = await startHarness();
  folder = await photoFolder(harness, 'photos', PHOTOS);
  // A camera RAW file: a TIFF header saying “rotate 90° clockwise”, sensor bytes, and a JPEG preview.
  const preview = await readFile(path.join(FIXTURE_PHOTOS, 'gps/DSCN0010.jpg'));
  await writeFile(path.join(folder, 'IMG_0001.CR2'), Buffer.concat([tiffHeaderWithOrientation(6), Buffer.alloc(4096, 0x55), preview]));
  ids = await openFolder(harness, folder);
  await harness.value('settings.set', { device: 'cpu' });
  harness.services.setNextModelFile(path.join(FIXTURE_MODELS, 'zoe-fixed.onnx'));
  await harness.value('models.import');
  engine = new DepthEngine({ optimisedCacheDir: path.join(harness.workDir, 'reference-optimised'), device: 'cpu' });
});

afterAll(async () => {
  await engine.dispose();
  await harness.close();
});

describe('export through dispatch(createHandlerTable(services))', () => {
  it('chooses an output folder through the host, or nothing when the photographer cancels', async () => {
    harness.services.setNextOutputFolder(null);
    expect(await harness.value('export.chooseFolder')).toBeNull();
    const { id, folder: output } = await chooseOutput('out-choose');
    expect(id).not.toContain(path.sep);
    const unknown = await harness.call('export.plan', { photoIds: [idOf(ids, 'DSCN0010.jpg')], formats: ['png16'], outputFolderId: 'not-a-folder' });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('NOT_FOUND');
    expect(await listOutput(output)).toEqual([]);
  });

  it('fails each photo with a reason when the output folder has gone', async () => {
    const { id, folder: output } = await chooseOutput('out-gone');
    await rm(output, { recursive: true });
    const started = await harness.value('export.start', { photoIds: [idOf(ids, 'Nikon_D70.jpg')], formats: ['npy'], outputFolderId: id });
    const { last, outcomes } = await batchEnded(started.batchId);
    expect(last).toMatchObject({ state: 'done', photosFailed: 1 });
    expect(outcomes[0]?.error?.code).toBe('IO_ERROR');
    expect(outcomes[0]?.error?.message).toContain('out-gone');
  });

  it('refuses naming templates with folders, unknown tokens or no {name}', async () => {
    const { id } = await chooseOutput('out-templates');
    for (const namingTemplate of ['{name}/depth', '..\\{name}', '{name}.{foo}', 'depth', '{name', '.{name}']) {
      const result = await harness.call('export.plan', { photoIds: [idOf(ids, 'DSCN0010.jpg')], formats: ['png16'], outputFolderId: id, namingTemplate });
      expect(result.ok ? 'ok' : result.error.code, namingTemplate).toBe('INVALID_ARGUMENT');
    }
  });

  it('plans names and conflicts, then writes every format for the good photos, reports the broken one, and keeps originals and foreign files intact', async () => {
    const { id, folder: output } = await chooseOutput('out-batch');
    await writeFile(path.join(output, 'DSCN0010.depth.png'), 'a file the photographer made');
    const photoIds = ['DSCN0010.jpg', 'corrupted.jpg', 'portrait_6.jpg'].map((name) => idOf(ids, name));
    const before = new Map(await Promise.all(Object.keys(PHOTOS).map(async (name) => [name, await sha256(path.join(folder, name))] as const)));
    const request = { photoIds, formats: ['png16', 'tiff32', 'npy', 'ply'] as ('png16' | 'tiff32' | 'npy' | 'ply')[], outputFolderId: id };

    const plan = await harness.value('export.plan', request);
    expect(plan.conflicts).toEqual([{ photoId: photoIds[0], format: 'png16', fileName: 'DSCN0010.depth.png', reason: 'exists' }]);
    expect(plan.photos[0]?.files.map((file) => file.fileName)).toEqual(['DSCN0010.depth.png', 'DSCN0010.depth.tiff', 'DSCN0010.depth.npy', 'DSCN0010.depth.ply', 'DSCN0010.depth.json']);
    // The damage is past the header: the plan cannot see it, the batch will.
    expect(plan.photos[1]?.files).toHaveLength(5);
    expect(await listOutput(output)).toEqual(['DSCN0010.depth.png']);

    const started = await harness.value('export.start', request);
    expect(started.photos).toBe(3);
    const { last, outcomes } = await batchEnded(started.batchId);
    expect(last).toMatchObject({ state: 'done', photosDone: 2, photosFailed: 1, photosTotal: 3, fraction: 1 });
    expect(outcomes.find((outcome) => outcome.photoName === 'corrupted.jpg')).toMatchObject({ state: 'failed', error: { code: 'DAMAGED_IMAGE' } });
    const events = progressOf(started.batchId);
    expect(events.map((progress) => progress.state).filter((state, index, all) => state !== all[index - 1])).toEqual(['running', 'done']);
    expect(events.every((progress, index) => index === 0 || progress.fraction >= (events[index - 1]?.fraction ?? 0))).toBe(true);
    expect(new Set(events.flatMap((progress) => (progress.current === undefined ? [] : [`${progress.current.photoName} ${progress.current.stage}`])))).toEqual(
      new Set(['DSCN0010.jpg depth', 'DSCN0010.jpg writing', 'corrupted.jpg depth', 'portrait_6.jpg depth', 'portrait_6.jpg writing'])
    );

    // The conflicted photo moved to "(2)" as a whole set; the other kept the template's names.
    const expected = [
      'DSCN0010.depth.png',
      ...['.depth.png', '.depth.tiff', '.depth.npy', '.depth.ply', '.depth.json'].flatMap((suffix) => [`DSCN0010 (2)${suffix}`, `portrait_6${suffix}`])
    ].sort();
    expect(await listOutput(output)).toEqual(expected);
    expect(await readFile(path.join(output, 'DSCN0010.depth.png'), 'utf8')).toBe('a file the photographer made');
    for (const [name, hash] of before) expect(await sha256(path.join(folder, name)), name).toBe(hash);

    const model = await testModel('zoe-fixed');
    for (const [photo, base] of [['DSCN0010.jpg', 'DSCN0010 (2)'], ['portrait_6.jpg', 'portrait_6']] as const) {
      const reference = await engine.toPhotoResolution(await engine.estimate(path.join(folder, photo), model));
      const npy = readNpy(await readFile(path.join(output, `${base}.depth.npy`)));
      expect(npy.shape).toEqual([reference.height, reference.width]);
      let largest = 0;
      npy.values.forEach((value, index) => (largest = Math.max(largest, Math.abs(value - (reference.metres[index] ?? 0)))));
      expect(largest).toBeLessThanOrEqual(1e-6);
      expect(readPly(await readFile(path.join(output, `${base}.depth.ply`))).elements.get('vertex')?.get('z')?.length).toBe(reference.width * reference.height);
      const tiff = await sharp(path.join(output, `${base}.depth.tiff`)).metadata();
      expect([tiff.width, tiff.height, tiff.depth]).toEqual([reference.width, reference.height, 'float']);
      const sidecar = JSON.parse(await readFile(path.join(output, `${base}.depth.json`), 'utf8')) as { files: { name: string }[] };
      expect(sidecar.files.map((file) => file.name)).toEqual(['png16', 'tiff32', 'npy', 'ply'].map((_format, index) => `${base}${['.depth.png', '.depth.tiff', '.depth.npy', '.depth.ply'][index]}`));
    }
    const done = outcomes.filter((outcome) => outcome.state === 'done');
    const written = await Promise.all(done.flatMap((outcome) => outcome.files ?? []).map(async (name) => (await stat(path.join(output, name))).size));
    expect(last.bytesWritten).toBe(written.reduce((sum, bytes) => sum + bytes, 0));

    // A second batch over the same folder with `overwrite` replaces its own earlier files only.
    const again = await harness.value('export.start', { ...request, photoIds: [photoIds[2] ?? ''], onConflict: 'overwrite' });
    expect((await batchEnded(again.batchId)).last.state).toBe('done');
    expect(await listOutput(output)).toEqual(expected);
  });

  it('never writes over an original photo, even when the template names a file like it and overwrite is chosen', async () => {
    harness.services.setNextOutputFolder(folder);
    const chosen = await harness.value('export.chooseFolder');
    if (chosen === null) throw new Error('cancelled');
    const photoId = idOf(ids, 'landscape_1.jpg');
    const original = await sha256(path.join(folder, 'landscape_1.jpg'));
    // `{name}` + GDepth's `.jpg` ending is the photo's own name.
    const request = { photoIds: [photoId], formats: ['gdepth' as const], outputFolderId: chosen.outputFolderId, namingTemplate: '{name}', onConflict: 'overwrite' as const };
    const plan = await harness.value('export.plan', request);
    expect(plan.conflicts).toEqual([{ photoId, format: 'gdepth', fileName: 'landscape_1.jpg', reason: 'original-photo' }]);
    const started = await harness.value('export.start', request);
    const { outcomes } = await batchEnded(started.batchId);
    expect(outcomes).toMatchObject([{ state: 'done', files: ['landscape_1 (2).jpg', 'landscape_1 (2).json'] }]);
    expect(await sha256(path.join(folder, 'landscape_1.jpg'))).toBe(original);
    expect((await sharp(path.join(folder, 'landscape_1 (2).jpg')).metadata()).xmp).toBeDefined();

    // `skip` leaves a photo whose names are taken out of the batch.
    const skipped = await harness.value('export.start', { ...request, onConflict: 'skip' });
    expect((await batchEnded(skipped.batchId)).outcomes).toMatchObject([{ state: 'skipped' }]);
  });

  it('exports a camera RAW file from its upright embedded preview, named after the RAW file', async () => {
    const { id, folder: output } = await chooseOutput('out-raw');
    const photoId = idOf(ids, 'IMG_0001.CR2');
    const raw = await sha256(path.join(folder, 'IMG_0001.CR2'));
    const plan = await harness.value('export.plan', { photoIds: [photoId], formats: ['npy', 'ply'], outputFolderId: id });
    expect(plan.photos[0]?.problem).toBeUndefined();
    expect(plan.estimatedBytes.npy).toBe(128 + 4 * 480 * 640);
    const started = await harness.value('export.start', { photoIds: [photoId], formats: ['npy', 'ply'], outputFolderId: id });
    const { outcomes } = await batchEnded(started.batchId);
    expect(outcomes).toMatchObject([{ state: 'done', files: ['IMG_0001.depth.npy', 'IMG_0001.depth.ply', 'IMG_0001.depth.json'] }]);
    expect(readNpy(await readFile(path.join(output, 'IMG_0001.depth.npy'))).shape).toEqual([640, 480]);
    const colours = readPly(await readFile(path.join(output, 'IMG_0001.depth.ply'))).elements.get('vertex')?.get('red') ?? [];
    expect(colours.length).toBe(480 * 640);
    expect(new Set(colours).size).toBeGreaterThan(50);
    expect(await sha256(path.join(folder, 'IMG_0001.CR2'))).toBe(raw);
  });

  it('estimates png16, tiff32 and npy sizes within a factor of two of the files written', async () => {
    const { id, folder: output } = await chooseOutput('out-sizes');
    const photoIds = ['DSCN0010.jpg', 'Nikon_D70.jpg', 'landscape_3.jpg'].map((name) => idOf(ids, name));
    const request = { photoIds, formats: ['png16', 'tiff32', 'npy'] as ('png16' | 'tiff32' | 'npy')[], outputFolderId: id };
    const plan = await harness.value('export.plan', request);
    const started = await harness.value('export.start', request);
    expect((await batchEnded(started.batchId)).last.state).toBe('done');
    const names = await listOutput(output);
    for (const [format, suffix] of [['png16', '.depth.png'], ['tiff32', '.depth.tiff'], ['npy', '.depth.npy']] as const) {
      const sizes = await Promise.all(names.filter((name) => name.endsWith(suffix)).map(async (name) => (await stat(path.join(output, name))).size));
      expect(sizes).toHaveLength(3);
      const actual = sizes.reduce((sum, bytes) => sum + bytes, 0);
      const estimate = plan.estimatedBytes[format] ?? 0;
      expect(estimate / actual, format).toBeGreaterThan(0.5);
      expect(estimate / actual, format).toBeLessThan(2);
    }
    expect(plan.estimatedTotalBytes).toBe(Object.values(plan.estimatedBytes).reduce((sum, bytes) => sum + bytes, 0));
  });

  it('uses {model} and {date} in names, and a cancel mid-batch leaves only complete sets under final names', async () => {
    const { id, folder: output } = await chooseOutput('out-cancel');
    const photoIds = Object.keys(PHOTOS).filter((name) => name !== 'corrupted.jpg').map((name) => idOf(ids, name));
    await harness.value('depth.clearCache');
    const started = await harness.value('export.start', { photoIds, formats: ['npy', 'ply', 'glb', 'png8'], outputFolderId: id, namingTemplate: '{name}-{model}-{date}' });
    await until(() => progressOf(started.batchId).some((progress) => progress.current?.stage === 'writing' && progress.photosDone >= 1), 'a second photo being written', 60_000);
    expect(await harness.value('export.cancel', { batchId: started.batchId })).toBe(true);
    const { last, outcomes } = await batchEnded(started.batchId);
    expect(last.state).toBe('cancelled');
    expect(outcomes.filter((outcome) => outcome.state === 'cancelled').length).toBeGreaterThan(0);
    expect(await harness.value('export.cancel', { batchId: started.batchId })).toBe(false);
    // The depth job asked for ahead of time is cancelled with the batch.
    let busy = Infinity;
    for (let attempt = 0; attempt < 100 && busy > 0; attempt++) {
      busy = (await harness.value('jobs.list')).jobs.filter((job) => job.state === 'queued' || job.state === 'running').length;
      if (busy > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(busy).toBe(0);

    const names = await listOutput(output);
    const done = outcomes.filter((outcome) => outcome.state === 'done');
    expect(done.length).toBeGreaterThanOrEqual(1);
    expect(names).toEqual(done.flatMap((outcome) => outcome.files ?? []).sort());
    const modelId = (await testModel('zoe-fixed')).manifest.id;
    for (const outcome of done) {
      const stem = path.parse(outcome.photoName).name;
      expect(outcome.files).toHaveLength(5);
      for (const file of outcome.files ?? []) {
        expect(file.startsWith(`${stem}-${modelId}-`), file).toBe(true);
        expect(file.slice(`${stem}-${modelId}-`.length)).toMatch(/^\d{4}-\d{2}-\d{2}(\.npy|\.ply|\.glb|-color\.png|\.json)$/);
      }
    }
  });

  it('previews the colourised depth as a small PNG with the chosen colour map and range', async () => {
    const photoId = idOf(ids, 'DSCN0010.jpg');
    const preview = await harness.value('export.preview', { photoId, colormap: 'magma', maxSide: 200 });
    const image = sharp(Buffer.from(preview.png));
    const metadata = await image.metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', preview.width, preview.height]);
    expect(Math.max(preview.width, preview.height)).toBe(200);
    expect(preview.nearMetres).toBeLessThan(preview.farMetres);
    const depth = await harness.value('depth.get', { photoId });
    if (depth === null) throw new Error('the preview estimated no depth');
    let nearest = Infinity;
    for (const metres of depth.metres) if (metres > 0) nearest = Math.min(nearest, metres);
    expect(preview.nearMetres).toBeCloseTo(nearest, 5);

    // A range beyond every depth puts all of it at the near end: magma's brightest colour (near is bright by default).
    const far = await harness.value('export.preview', { photoId, colormap: 'magma', nearMetres: 1000, farMetres: 2000, maxSide: 64 });
    const pixels = await sharp(Buffer.from(far.png)).removeAlpha().raw().toBuffer();
    const brightest = [...colormapLut('magma').subarray(255 * 3, 256 * 3)];
    expect([...pixels.subarray(0, 3)]).toEqual(brightest);
    expect([...pixels.subarray(pixels.length - 3)]).toEqual(brightest);
  });
});
