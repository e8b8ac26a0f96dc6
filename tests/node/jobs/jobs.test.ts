/**
 * Depth jobs through the real handler table: a real imported test model, real photos, the real
 * engine in its worker thread, the real depth cache, and the events a queue panel would see.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DepthJob, JobState } from '../../../src/shared/api';
import { DepthEngine } from '../../../src/main/depth';
import { testModel } from '../cli/test-models';
import { tiffHeaderWithOrientation } from '../thumbnails/exif-fixture';
import { FIXTURE_MODELS, FIXTURE_PHOTOS, idOf, openFolder, photoFolder, startHarness, until, type Harness } from './harness';

let harness: Harness;
let ids: Map<string, string>;
let folder: string;

/** The states each job went through, in event order (repeated progress reports folded). */
function stateHistory(): Map<string, JobState[]> {
  const history = new Map<string, JobState[]>();
  for (const change of harness.payloads('jobs.changed')) {
    for (const job of change.jobs) {
      const states = history.get(job.jobId) ?? [];
      if (states.at(-1) !== job.state) states.push(job.state);
      history.set(job.jobId, states);
    }
  }
  return history;
}

function jobsById(): Map<string, DepthJob> {
  const latest = new Map<string, DepthJob>();
  for (const change of harness.payloads('jobs.changed')) for (const job of change.jobs) latest.set(job.jobId, job);
  return latest;
}

async function finished(jobIds: readonly string[]): Promise<DepthJob[]> {
  await until(() => jobIds.every((id) => ['done', 'failed', 'cancelled'].includes(jobsById().get(id)?.state ?? 'queued')), `jobs ${jobIds.join(', ')} to finish`);
  const snapshot = await harness.value('jobs.list');
  return jobIds.map((id) => {
    const job = snapshot.jobs.find((candidate) => candidate.jobId === id);
    if (job === undefined) throw new Error(`job ${id} is not listed`);
    return job;
  });
}

/** Event indices of one kind of event for a job or photo. */
function runningOrder(jobIds: readonly string[]): string[] {
  const order: string[] = [];
  for (const change of harness.payloads('jobs.changed')) {
    for (const job of change.jobs) if (job.state === 'running' && jobIds.includes(job.jobId) && !order.includes(job.jobId)) order.push(job.jobId);
  }
  return order;
}

beforeAll(async () => {
  harness = await startHarness();
  folder = await photoFolder(harness, 'photos', {
    'DSCN0010.jpg': 'gps/DSCN0010.jpg',
    'DSCN0027.jpg': 'gps/DSCN0027.jpg',
    'corrupted.jpg': 'corrupted.jpg',
    'landscape_1.jpg': 'orientation/landscape_1.jpg',
    'landscape_3.jpg': 'orientation/landscape_3.jpg',
    'landscape_6.jpg': 'orientation/landscape_6.jpg',
    'portrait_1.jpg': 'orientation/portrait_1.jpg',
    'portrait_5.jpg': 'orientation/portrait_5.jpg',
    'portrait_8.jpg': 'orientation/portrait_8.jpg',
    'Nikon_D70.jpg': 'Nikon_D70.jpg'
  });
  // A camera RAW file: a TIFF header saying “rotate 90° clockwise”, sensor bytes, and a JPEG preview.
  const preview = await readFile(path.join(FIXTURE_PHOTOS, 'gps/DSCN0010.jpg'));
  await writeFile(path.join(folder, 'IMG_0001.CR2'), Buffer.concat([tiffHeaderWithOrientation(6), Buffer.alloc(4096, 0x55), preview]));
  ids = await openFolder(harness, folder);
  await harness.value('settings.set', { device: 'cpu' });
});

afterAll(async () => {
  await harness.close();
});

describe('depth jobs through dispatch(createHandlerTable(services))', () => {
  it('says MODEL_NOT_INSTALLED before any model is installed, and has no depth to show', async () => {
    const enqueued = await harness.call('jobs.enqueue', { photoIds: [idOf(ids, 'DSCN0010.jpg')] });
    expect(enqueued.ok).toBe(false);
    if (!enqueued.ok) {
      expect(enqueued.error.code).toBe('MODEL_NOT_INSTALLED');
      expect(enqueued.error.message).toMatch(/install/i);
    }
    expect(await harness.value('depth.get', { photoId: idOf(ids, 'DSCN0010.jpg') })).toBeNull();
    const status = await harness.value('depth.status');
    expect(status).toMatchObject({ modelId: null, modelInstalled: false, provider: null, loading: false });
    expect((await harness.value('jobs.list')).jobs).toEqual([]);
  });

  it('imports a test model through the host file chooser and selects it', async () => {
    harness.services.setNextModelFile(null);
    expect(await harness.value('models.import')).toBeNull();
    harness.services.setNextModelFile(path.join(FIXTURE_MODELS, 'zoe-fixed.onnx'));
    const imported = await harness.value('models.import');
    expect(imported).toMatchObject({ id: 'test-fixed', origin: 'imported', state: 'installed', selected: true });
    expect((await harness.value('settings.get')).modelId).toBe('test-fixed');
    const status = await harness.value('depth.status');
    expect(status).toMatchObject({ modelId: 'test-fixed', modelInstalled: true, device: 'cpu' });
    expect(harness.payloads('models.changed').at(-1)?.selectedModelId).toBe('test-fixed');
  });

  it('estimates three photos, one broken: two done, the broken one failed alone with its reason, events in order', async () => {
    const photoIds = ['DSCN0010.jpg', 'corrupted.jpg', 'DSCN0027.jpg'].map((name) => idOf(ids, name));
    const eventsBefore = harness.events.length;
    const { jobIds } = await harness.value('jobs.enqueue', { photoIds });
    expect(jobIds).toHaveLength(3);
    const [good, broken, other] = await finished(jobIds);
    expect(good).toMatchObject({ state: 'done', progress: 1, fromCache: false, provider: 'cpu', modelId: 'test-fixed', options: { flip: true, pad: true } });
    expect(other).toMatchObject({ state: 'done', fromCache: false });
    expect(broken?.state).toBe('failed');
    expect(broken?.error?.code).toBe('DAMAGED_IMAGE');
    expect(broken?.error?.message).toMatch(/“corrupted\.jpg” is a damaged JPEG file/);

    const history = stateHistory();
    expect(history.get(jobIds[0] ?? '')).toEqual(['queued', 'running', 'done']);
    expect(history.get(jobIds[1] ?? '')).toEqual(['queued', 'running', 'failed']);
    expect(history.get(jobIds[2] ?? '')).toEqual(['queued', 'running', 'done']);
    expect(runningOrder(jobIds)).toEqual(jobIds);

    // depth.ready comes for the good photos only, before their job is reported done.
    const later = harness.events.slice(eventsBefore);
    const ready = later.flatMap((recorded, index) => (recorded.event === 'depth.ready' ? [{ index, payload: recorded.payload }] : []));
    expect(ready.map((entry) => entry.payload.photoId)).toEqual([photoIds[0], photoIds[2]]);
    for (const entry of ready) {
      const doneIndex = later.findIndex((recorded) => recorded.event === 'jobs.changed' && recorded.payload.jobs.some((job) => job.jobId === entry.payload.jobId && job.state === 'done'));
      expect(doneIndex).toBeGreaterThan(entry.index);
      expect(entry.payload).toMatchObject({ modelId: 'test-fixed', fromCache: false });
    }
    // The model was loaded on the way, with progress ending ready on cpu.
    const loads = harness.payloads('models.loadProgress');
    expect(loads.at(-1)).toMatchObject({ id: 'test-fixed', stage: 'ready', fraction: 1 });
    expect(await harness.value('depth.status')).toMatchObject({ modelId: 'test-fixed', provider: 'cpu', loading: false });
    const summary = (await harness.value('jobs.list')).summary;
    expect(summary).toMatchObject({ queued: 0, running: 0, done: 2, failed: 1, timeLeftMs: 0 });
    expect(summary.meanRunMs).toBeGreaterThan(0);
  });

  it('depth.get returns the display map, plain, the right size, equal to the engine’s own estimate', async () => {
    const depth = await harness.value('depth.get', { photoId: idOf(ids, 'DSCN0010.jpg') });
    expect(depth).not.toBeNull();
    if (depth === null) return;
    expect(Object.keys(depth).sort()).toEqual(['height', 'metres', 'modelId', 'options', 'photoHeight', 'photoWidth', 'provider', 'range', 'timings', 'width']);
    expect(Object.getOwnPropertySymbols(depth)).toEqual([]);
    expect({ photoWidth: depth.photoWidth, photoHeight: depth.photoHeight }).toEqual({ photoWidth: 640, photoHeight: 480 });
    expect(depth.metres).toBeInstanceOf(Float32Array);
    expect(depth.metres.length).toBe(depth.width * depth.height);
    expect(depth.range).toEqual({ min: 0.001, max: 10 });

    const engine = new DepthEngine({ optimisedCacheDir: path.join(harness.workDir, 'engine-check'), device: 'cpu' });
    try {
      const expected = await engine.estimate(path.join(folder, 'DSCN0010.jpg'), await testModel('zoe-fixed'), { flip: true, pad: true });
      expect({ width: depth.width, height: depth.height }).toEqual({ width: expected.width, height: expected.height });
      let largest = 0;
      for (let index = 0; index < expected.metres.length; index += 1) {
        largest = Math.max(largest, Math.abs((depth.metres[index] ?? Number.NaN) - (expected.metres[index] ?? Number.NaN)));
      }
      expect(largest).toBeLessThan(1e-6);
    } finally {
      await engine.dispose();
    }
    expect(await harness.value('depth.get', { photoId: idOf(ids, 'corrupted.jpg') })).toBeNull();
    // Other options: no depth for them yet, and depth.get never runs the model to make some.
    await harness.value('settings.set', { pad: false });
    expect(await harness.value('depth.get', { photoId: idOf(ids, 'DSCN0010.jpg') })).toBeNull();
    await harness.value('settings.set', { pad: true });
  });

  it('a second request for the same photo comes from the cache without running the model', async () => {
    const cacheBefore = await harness.value('depth.cacheInfo');
    const { jobIds } = await harness.value('jobs.enqueue', { photoIds: [idOf(ids, 'DSCN0010.jpg')] });
    const [job] = await finished(jobIds);
    expect(job).toMatchObject({ state: 'done', fromCache: true });
    expect(harness.payloads('depth.ready').at(-1)).toMatchObject({ photoId: idOf(ids, 'DSCN0010.jpg'), fromCache: true });
    expect((await harness.value('depth.cacheInfo')).files).toBe(cacheBefore.files);
    expect(cacheBefore.files).toBe(2);
  });

  it('puts the photo on screen ahead of the waiting ones (priority now, and jobs.prioritise)', async () => {
    await harness.value('settings.set', { flip: false }); // new options: nothing cached
    const batch = ['landscape_1.jpg', 'landscape_3.jpg', 'landscape_6.jpg', 'portrait_1.jpg'].map((name) => idOf(ids, name));
    const { jobIds: normal } = await harness.value('jobs.enqueue', { photoIds: batch });
    const { jobIds: urgent } = await harness.value('jobs.enqueue', { photoIds: [idOf(ids, 'portrait_5.jpg')], priority: 'now' });
    const waitingThen = (await harness.value('jobs.list')).jobs.filter((job) => normal.includes(job.jobId) && job.state === 'queued').map((job) => job.jobId);
    expect(waitingThen.length).toBeGreaterThanOrEqual(3);
    const last = waitingThen.at(-1) ?? '';
    const moved = await harness.value('jobs.prioritise', { photoId: batch[normal.indexOf(last)] ?? '' });
    expect(moved?.jobId).toBe(last);
    const urgentStillQueued = (await harness.value('jobs.list')).jobs.find((job) => job.jobId === urgent[0])?.state === 'queued';
    expect(await harness.value('jobs.prioritise', { photoId: idOf(ids, 'Nikon_D70.jpg') })).toBeNull();
    // Asking again for a queued photo keeps its job.
    expect((await harness.value('jobs.enqueue', { photoIds: [batch[1] ?? ''] })).jobIds).toEqual([normal[1]]);

    const waitingSummary = (await harness.value('jobs.list')).summary;
    expect(waitingSummary.queued).toBeGreaterThanOrEqual(2);
    expect(waitingSummary.timeLeftMs).toBeGreaterThan(0);
    await finished([...normal, ...urgent]);
    const order = runningOrder([...normal, ...urgent]);
    const urgentAt = order.indexOf(urgent[0] ?? '');
    const movedAt = order.indexOf(last);
    for (const waiting of waitingThen.filter((id) => id !== last)) {
      expect(order.indexOf(waiting)).toBeGreaterThan(urgentAt);
      expect(order.indexOf(waiting)).toBeGreaterThan(movedAt);
    }
    // The latest photo put on screen goes first.
    if (urgentStillQueued) expect(movedAt).toBeLessThan(urgentAt);
  });

  it('cancel all mid-batch: queued jobs dropped, the running one stopped, none left running, the queue goes on', async () => {
    await harness.value('settings.set', { flip: true, pad: false }); // nothing cached for these options
    const batch = ['landscape_1.jpg', 'landscape_3.jpg', 'landscape_6.jpg', 'portrait_1.jpg', 'portrait_5.jpg', 'portrait_8.jpg'].map((name) => idOf(ids, name));
    const { jobIds } = await harness.value('jobs.enqueue', { photoIds: batch });
    await until(() => jobsById().get(jobIds[0] ?? '')?.state === 'running', 'the first job to run');
    const cancelled = await harness.value('jobs.cancel', { all: true });
    const eventsAtCancel = harness.events.length;
    expect(cancelled.map((job) => job.state)).toEqual(cancelled.map(() => 'cancelled'));
    expect(cancelled.map((job) => job.jobId)).toContain(jobIds[0]);
    const snapshot = await harness.value('jobs.list');
    expect(snapshot.jobs.filter((job) => job.state === 'running' || job.state === 'queued')).toEqual([]);
    expect(snapshot.summary).toMatchObject({ queued: 0, running: 0, timeLeftMs: 0 });
    for (const id of jobIds) expect(['done', 'cancelled']).toContain(snapshot.jobs.find((job) => job.jobId === id)?.state);
    expect(snapshot.jobs.filter((job) => jobIds.includes(job.jobId) && job.state === 'cancelled').length).toBeGreaterThanOrEqual(5);

    // The queue is alive: the next photo runs, and nothing cancelled ran or became done meanwhile.
    const { jobIds: next } = await harness.value('jobs.enqueue', { photoIds: [idOf(ids, 'Nikon_D70.jpg')] });
    const [after] = await finished(next);
    expect(after?.state).toBe('done');
    const afterCancel = harness.events.slice(eventsAtCancel);
    const touched = afterCancel.flatMap((recorded) => (recorded.event === 'jobs.changed' ? recorded.payload.jobs : [])).filter((job) => jobIds.includes(job.jobId));
    expect(touched.filter((job) => job.state !== 'cancelled')).toEqual([]);
    expect(afterCancel.filter((recorded) => recorded.event === 'depth.ready' && batch.includes(recorded.payload.photoId))).toEqual([]);
  });

  it('reads the device at enqueue time: switching to auto reloads the model, which falls back from WebGPU to CPU with the reason', async () => {
    const statusEvents = harness.payloads('depth.status').length;
    await harness.value('settings.set', { device: 'auto', flip: false, pad: false });
    await until(() => harness.payloads('depth.status').length > statusEvents, 'depth.status after the settings changed');
    expect(harness.payloads('depth.status').at(-1)).toMatchObject({ device: 'auto', provider: null });
    const { jobIds } = await harness.value('jobs.enqueue', { photoIds: [idOf(ids, 'DSCN0027.jpg')] });
    const [job] = await finished(jobIds);
    expect(job).toMatchObject({ state: 'done', device: 'auto', provider: 'cpu', fromCache: false, options: { flip: false, pad: false } });
    const status = await harness.value('depth.status');
    expect(status).toMatchObject({ device: 'auto', provider: 'cpu' });
    expect(status.providerFallbackReason).toMatch(/webgpu/i);
    const depth = await harness.value('depth.get', { photoId: idOf(ids, 'DSCN0027.jpg') });
    expect(depth?.providerFallbackReason).toMatch(/webgpu/i);
    expect(depth?.options).toEqual({ flip: false, pad: false });
  });

  it('estimates a camera RAW file through its embedded preview, upright', async () => {
    await harness.value('settings.set', { device: 'cpu', flip: true, pad: true });
    const { jobIds } = await harness.value('jobs.enqueue', { photoIds: [idOf(ids, 'IMG_0001.CR2')] });
    const [job] = await finished(jobIds);
    expect(job).toMatchObject({ state: 'done', fromCache: false });
    const depth = await harness.value('depth.get', { photoId: idOf(ids, 'IMG_0001.CR2') });
    // The 640×480 preview turned upright by the RAW's orientation 6: 480 wide, 640 high.
    expect(depth && { width: depth.photoWidth, height: depth.photoHeight }).toEqual({ width: 480, height: 640 });
    const original = await sharp(path.join(folder, 'IMG_0001.CR2')).metadata().catch(() => null);
    expect(original).toBeNull(); // sharp cannot read the RAW itself: depth came from its preview
  });

  it('an unknown photo id becomes a failed job, not a failed call', async () => {
    const { jobIds } = await harness.value('jobs.enqueue', { photoIds: ['no-such-photo'] });
    const [job] = await finished(jobIds);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'NOT_FOUND' } });
  });
});
