/**
 * The models screen's methods through the real handler table: installs from a real HTTP server on
 * 127.0.0.1 (progress, a dropped connection resumed, cancel and resume, a web page instead of a
 * model), load with progress and the execution provider, verify and remove.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDownloadProgress } from '../../../src/shared/api';
import { modelCatalogSchema, type ModelManifestInput } from '../../../src/shared/manifest';
import { startModelServer, type ModelServer } from '../../helpers/http-model-server';
import { FIXTURE_MODELS, idOf, openFolder, photoFolder, startHarness, until, type Harness } from '../jobs/harness';

let server: ModelServer;
let harness: Harness;
let modelBytes: Buffer;
let resourcesRoot: string;

async function catalogFolder(workDir: string): Promise<string> {
  const base = JSON.parse(await readFile(path.join(FIXTURE_MODELS, 'zoe-fixed.json'), 'utf8')) as ModelManifestInput;
  const sha256 = createHash('sha256').update(modelBytes).digest('hex');
  const entry = (id: string, urlPath: string): ModelManifestInput => ({
    ...base,
    id,
    title: `Served ${id}`,
    source: { fileName: `${id}.onnx`, urls: [server.url(urlPath)], sizeBytes: modelBytes.length, sha256 }
  });
  const catalog = modelCatalogSchema.parse({ $schemaVersion: 1, models: [entry('served', '/served.onnx'), entry('stalled', '/stalled.onnx'), entry('web-page', '/page.onnx')] });
  const folder = path.join(workDir, 'resources', 'models');
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'catalog.json'), JSON.stringify(catalog));
  return folder;
}

beforeAll(async () => {
  modelBytes = await readFile(path.join(FIXTURE_MODELS, 'zoe-fixed.onnx'));
  server = await startModelServer({
    '/served.onnx': { body: modelBytes, dropAfterBytes: 300_000 },
    '/stalled.onnx': { body: modelBytes, stallAfterBytes: 100_000 },
    '/page.onnx': { body: Buffer.from('<!doctype html><title>Sign in</title><p>Please sign in to download.</p>'), contentType: 'text/html' }
  });
  resourcesRoot = await mkdtemp(path.join(os.tmpdir(), 'zoe-catalog-'));
  harness = await startHarness({ resourcesDir: await catalogFolder(resourcesRoot) });
});

afterAll(async () => {
  await harness.close();
  await server.close();
  await rm(resourcesRoot, { recursive: true, force: true });
});

function progressOf(id: string): ModelDownloadProgress[] {
  return harness.payloads('models.progress').filter((progress) => progress.id === id);
}

async function outcomeOf(id: string, count = 1): Promise<ModelDownloadProgress> {
  await until(() => progressOf(id).filter((progress) => progress.state !== 'downloading').length >= count, `the download of ${id} to end`);
  const outcome = progressOf(id).filter((progress) => progress.state !== 'downloading')[count - 1];
  if (outcome === undefined) throw new Error('no outcome');
  return outcome;
}

describe('models.* through dispatch(createHandlerTable(services))', () => {
  it('lists the catalog with nothing installed and nothing selected', async () => {
    const overview = await harness.value('models.list');
    expect(overview.selectedModelId).toBeNull();
    expect(overview.models.map((model) => [model.id, model.state, model.origin, model.sizeBytes])).toEqual([
      ['served', 'not-installed', 'catalog', modelBytes.length],
      ['stalled', 'not-installed', 'catalog', modelBytes.length],
      ['web-page', 'not-installed', 'catalog', modelBytes.length]
    ]);
    expect(JSON.stringify(overview)).not.toContain(harness.services.dataDir);
  });

  it('installs from 127.0.0.1 with progress events, resuming a dropped connection, and selects the first model', async () => {
    const started = await harness.value('models.install', { id: 'served' });
    expect(started.state).toBe('downloading');
    const outcome = await outcomeOf('served');
    expect(outcome).toMatchObject({ state: 'installed', receivedBytes: modelBytes.length, totalBytes: modelBytes.length });
    const steps = progressOf('served').filter((progress) => progress.state === 'downloading');
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps.some((progress) => progress.resumed && progress.receivedBytes > 0)).toBe(true);
    expect(server.requests.filter((request) => request.path === '/served.onnx').map((request) => request.status)).toEqual([200, 206]);

    const installed = await readFile(path.join(harness.services.dataDir, 'models', 'served', 'model.onnx'));
    expect(installed.equals(modelBytes)).toBe(true);
    const overview = await harness.value('models.list');
    expect(overview.selectedModelId).toBe('served');
    expect(overview.models.find((model) => model.id === 'served')).toMatchObject({ state: 'installed', selected: true, download: null });
    expect(harness.payloads('models.changed').at(-1)?.selectedModelId).toBe('served');
  });

  it('cancels a stalled download, keeps the part fetched, and resumes it with a Range request', async () => {
    await harness.value('models.install', { id: 'stalled' });
    await until(() => server.requests.some((request) => request.path === '/stalled.onnx'), 'the request');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server has sent its 100 kB and holds the line
    expect(await harness.value('models.cancelInstall', { id: 'stalled' })).toBe(true);
    expect(await outcomeOf('stalled')).toMatchObject({ state: 'cancelled' });
    expect(await harness.value('models.cancelInstall', { id: 'stalled' })).toBe(false);
    const cancelled = (await harness.value('models.list')).models.find((model) => model.id === 'stalled');
    expect(cancelled).toMatchObject({ state: 'not-installed', selected: false });
    const kept = cancelled?.partialBytes ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(100_000);

    await harness.value('models.install', { id: 'stalled' });
    expect(await outcomeOf('stalled', 2)).toMatchObject({ state: 'installed', receivedBytes: modelBytes.length });
    expect(server.requests.filter((request) => request.path === '/stalled.onnx').at(-1)?.range).toBe(`bytes=${kept}-`);
    expect((await harness.value('models.list')).selectedModelId).toBe('served');
  });

  it('a web page instead of a model fails with DOWNLOAD_FAILED and leaves nothing installed', async () => {
    await harness.value('models.install', { id: 'web-page' });
    const outcome = await outcomeOf('web-page');
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.code).toBe('DOWNLOAD_FAILED');
    expect((await harness.value('models.list')).models.find((model) => model.id === 'web-page')?.state).toBe('not-installed');
    const unknown = await harness.call('models.install', { id: 'no-such-model' });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
  });

  it('loads a model with progress events and tells where it runs (auto: WebGPU has no adapter here, so CPU, with the reason)', async () => {
    const loaded = await harness.value('models.load', { id: 'served' });
    expect(loaded).toMatchObject({ modelId: 'served', provider: 'cpu' });
    expect(loaded.providerFallbackReason).toMatch(/webgpu/i);
    const stages = harness.payloads('models.loadProgress').filter((progress) => progress.id === 'served');
    expect(stages[0]?.stage).toBe('reading');
    expect(stages.at(-1)).toMatchObject({ stage: 'ready', fraction: 1 });
    const fractions = stages.map((progress) => progress.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(await harness.value('depth.status')).toMatchObject({ modelId: 'served', device: 'auto', provider: 'cpu', loading: false });
    expect(harness.payloads('depth.status').at(-1)).toMatchObject({ provider: 'cpu' });
    expect((await harness.value('models.list')).models.find((model) => model.id === 'served')?.loaded?.provider).toBe('cpu');
    const missing = await harness.call('models.load', { id: 'web-page' });
    expect(missing.ok ? null : missing.error.code).toBe('MODEL_NOT_INSTALLED');
  });

  it('verifies an installed model against its published size and checksum', async () => {
    const report = await harness.value('models.verify', { id: 'served' });
    expect(report).toMatchObject({ ok: true, sizeBytes: modelBytes.length, checksumKnown: true, problems: [] });
    expect(report.sha256).toBe(createHash('sha256').update(modelBytes).digest('hex'));
    expect(report.inputs[0]?.shape).toEqual([1, 3, 384, 512]);
  });

  it('removes the selected model: its jobs cancelled, the selection cleared, and jobs need a model again', async () => {
    const folder = await photoFolder(harness, 'photos', { 'DSCN0010.jpg': 'gps/DSCN0010.jpg' });
    const ids = await openFolder(harness, folder);
    const { jobIds } = await harness.value('jobs.enqueue', { photoIds: [idOf(ids, 'DSCN0010.jpg')] });
    const overview = await harness.value('models.remove', { id: 'served' });
    expect(overview.models.find((model) => model.id === 'served')?.state).toBe('not-installed');
    await expect(stat(path.join(harness.services.dataDir, 'models', 'served'))).rejects.toThrow();
    expect((await harness.value('settings.get')).modelId).toBeNull();
    const job = (await harness.value('jobs.list')).jobs.find((candidate) => candidate.jobId === jobIds[0]);
    expect(['cancelled', 'done']).toContain(job?.state);
    // “stalled” is still installed: it is now the model jobs use.
    expect(await harness.value('depth.status')).toMatchObject({ modelId: 'stalled', modelInstalled: true, provider: null });
    await harness.value('models.remove', { id: 'stalled' });
    const refused = await harness.call('jobs.enqueue', { photoIds: [idOf(ids, 'DSCN0010.jpg')] });
    expect(refused.ok ? null : refused.error.code).toBe('MODEL_NOT_INSTALLED');
    const again = await harness.call('models.remove', { id: 'stalled' });
    expect(again.ok ? null : again.error.code).toBe('MODEL_NOT_INSTALLED');
  });
});

describe('a missing model catalog', () => {
  it('is reported as a value the interface can show, and read again once it is back', async () => {
    const resources = await mkdtemp(path.join(os.tmpdir(), 'zoe-no-catalog-'));
    const broken = await startHarness({ resourcesDir: path.join(resources, 'resources', 'models') });
    try {
      const listed = await broken.call('models.list');
      expect(listed.ok ? null : listed.error.code).toBe('IO_ERROR');
      expect(listed.ok ? '' : listed.error.message).toMatch(/reinstall/i);
      await catalogFolder(resources);
      expect((await broken.value('models.list')).models.map((model) => model.id)).toEqual(['served', 'stalled', 'web-page']);
    } finally {
      await broken.close();
      await rm(resources, { recursive: true, force: true });
    }
  });
});
