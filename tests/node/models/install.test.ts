import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZoeError } from '../../../src/shared/errors';
import { modelCatalogSchema, type ModelCatalog } from '../../../src/shared/manifest';
import type { DownloadProgress } from '../../../src/main/models/download';
import { ModelManager } from '../../../src/main/models/manager';
import { startModelServer, type ModelServer, type RecordedRequest, type ServedFile } from '../../helpers/http-model-server';
import { makeTinyModel, tinyManifest } from './tiny-model';

const model = makeTinyModel();
const modelSha256 = createHash('sha256').update(model).digest('hex');

let dataDir: string;
let server: ModelServer | undefined;

/** What the test server has seen so far. */
function requests(): RecordedRequest[] {
  if (server === undefined) throw new Error('no server running');
  return server.requests;
}

function requestAt(index: number): RecordedRequest {
  const request = requests().at(index);
  if (request === undefined) throw new Error(`no request number ${index}`);
  return request;
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'zoe-models-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** A manager whose catalog has one model `tiny` served at `/tiny.onnx` as `served` says. */
async function managerServing(served: ServedFile, published: { size?: boolean; sha256?: boolean } = { size: true, sha256: true }): Promise<ModelManager> {
  server = await startModelServer({ '/tiny.onnx': served });
  const catalog: ModelCatalog = modelCatalogSchema.parse({
    $schemaVersion: 1,
    models: [
      tinyManifest('tiny', 96, 128, {
        fileName: 'tiny.onnx',
        urls: [server.url('/tiny.onnx')],
        ...(published.size === true ? { sizeBytes: model.length } : {}),
        ...(published.sha256 === true ? { sha256: modelSha256 } : {})
      })
    ]
  });
  return new ModelManager({ dataDir, catalog });
}

function installedPath(): string {
  return path.join(dataDir, 'models', 'tiny', 'model.onnx');
}

async function filesIn(folder: string): Promise<string[]> {
  try {
    return (await readdir(folder)).sort();
  } catch {
    return [];
  }
}

async function expectZoeError(promise: Promise<unknown>, code: string, messagePattern: RegExp): Promise<ZoeError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown
  );
  expect(error).toBeInstanceOf(ZoeError);
  const zoeError = error as ZoeError;
  expect(zoeError.code).toBe(code);
  expect(zoeError.message).toMatch(messagePattern);
  return zoeError;
}

describe('model manager: install from the catalog', () => {
  it('downloads, reports progress, and installs a byte-identical model with its manifest', async () => {
    const manager = await managerServing({ body: model });
    expect((await manager.list()).map((entry) => [entry.id, entry.state])).toEqual([['tiny', 'not-installed']]);

    const progress: DownloadProgress[] = [];
    const installed = await manager.install('tiny', { onProgress: (p) => progress.push(p) });

    expect(installed.modelPath).toBe(installedPath());
    expect((await readFile(installedPath())).equals(model)).toBe(true);
    const manifestOnDisk = JSON.parse(await readFile(path.join(dataDir, 'models', 'tiny', 'manifest.json'), 'utf8')) as { id: string };
    expect(manifestOnDisk.id).toBe('tiny');
    expect(await filesIn(path.join(dataDir, 'models', 'tiny'))).toEqual(['manifest.json', 'model.onnx']);
    expect(progress.at(-1)).toMatchObject({ bytes: model.length, totalBytes: model.length, resumed: false });
    const counts = progress.map((p) => p.bytes);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const [listing] = await manager.list();
    expect(listing).toMatchObject({ id: 'tiny', state: 'installed', sizeBytes: model.length, origin: 'catalog' });
    expect((await manager.resolve('tiny')).modelPath).toBe(installedPath());

    // Installing again is a no-op; a truncated install is downloaded again.
    await manager.install('tiny');
    expect(requests()).toHaveLength(1);
    await writeFile(installedPath(), model.subarray(0, 1000));
    expect((await manager.list())[0]?.state).toBe('corrupt');
    await manager.install('tiny');
    expect(requests()).toHaveLength(2);
    expect((await readFile(installedPath())).equals(model)).toBe(true);
  });

  it('resumes a transfer cut half-way with an HTTP Range request and ends byte-identical', async () => {
    const half = Math.floor(model.length / 2);
    const manager = await managerServing({ body: model, dropAfterBytes: half });
    const progress: DownloadProgress[] = [];
    await manager.install('tiny', { onProgress: (p) => progress.push(p) });

    expect(requests()).toHaveLength(2);
    expect(requestAt(0).range).toBeUndefined();
    const range = /^bytes=(\d+)-$/.exec(requestAt(1).range ?? '');
    const resumedFrom = Number(range?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(half);
    expect(requestAt(1).status).toBe(206);
    expect(progress.some((p) => p.resumed)).toBe(true);
    expect((await readFile(installedPath())).equals(model)).toBe(true);
    expect(await filesIn(path.join(dataDir, 'models', 'tiny'))).toEqual(['manifest.json', 'model.onnx']);
  });

  it('keeps an interrupted download as .partial (never under the final name) and resumes it on the next install', async () => {
    const manager = await managerServing({ body: model, dropAfterBytes: 70_000 });
    await expectZoeError(manager.install('tiny', { attempts: 1 }), 'DOWNLOAD_FAILED', /could not download tiny\.onnx/);
    await expect(stat(installedPath())).rejects.toThrow();
    const partial = await stat(`${installedPath()}.partial`);
    expect(partial.size).toBe(70_000);
    const [listing] = await manager.list();
    expect(listing).toMatchObject({ state: 'not-installed', partialBytes: 70_000 });

    await manager.install('tiny');
    expect(requestAt(-1).range).toBe('bytes=70000-');
    expect((await readFile(installedPath())).equals(model)).toBe(true);
  });

  it('abandons a transfer that stalls and resumes it', async () => {
    const manager = await managerServing({ body: model, stallAfterBytes: 40_000 });
    await manager.install('tiny', { idleTimeoutMs: 300 });
    expect(requests().map((request) => request.range)).toEqual([undefined, 'bytes=40000-']);
    expect((await readFile(installedPath())).equals(model)).toBe(true);
  });

  it('reports the bytes received before a transfer stalls, not an older count', async () => {
    const manager = await managerServing({ body: model, stallAfterBytes: 40_000 });
    const progress: DownloadProgress[] = [];
    const controller = new AbortController();
    const install = manager.install('tiny', { signal: controller.signal, onProgress: (p) => progress.push(p) });
    const deadline = Date.now() + 5000;
    while (!progress.some((p) => p.bytes === 40_000) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await install.catch(() => undefined);
    expect(progress.map((p) => p.bytes)).toContain(40_000);
  });

  it('starts over when the server ignores Range and answers 200', async () => {
    const manager = await managerServing({ body: model, dropAfterBytes: 50_000, ignoreRange: true });
    await manager.install('tiny');
    expect(requests()).toHaveLength(2);
    expect(requestAt(1).range).toBe('bytes=50000-');
    expect(requestAt(1).status).toBe(200);
    expect((await readFile(installedPath())).equals(model)).toBe(true);
  });

  it('refuses a corrupted body (sha256 mismatch) and leaves nothing under the final name', async () => {
    const corrupted = Buffer.from(model);
    const at = Math.floor(corrupted.length * 0.7);
    corrupted.writeUInt8(corrupted.readUInt8(at) ^ 0xff, at);
    const manager = await managerServing({ body: corrupted });
    await expectZoeError(manager.install('tiny'), 'DOWNLOAD_FAILED', /checksum.*not the published one/);
    await expect(stat(installedPath())).rejects.toThrow();
    await expect(stat(`${installedPath()}.partial`)).rejects.toThrow();
    expect((await manager.list())[0]?.state).toBe('not-installed');
  });

  it('refuses an HTML error page sent as text/html with status 200', async () => {
    const page = Buffer.from('<!DOCTYPE html><html><body><h1>Rate limit exceeded</h1></body></html>');
    const manager = await managerServing({ body: page, contentType: 'text/html; charset=utf-8' }, {});
    await expectZoeError(manager.install('tiny'), 'DOWNLOAD_FAILED', /web page/);
    expect(await filesIn(path.join(dataDir, 'models', 'tiny'))).toEqual(['manifest.json']);
  });

  it('refuses an HTML page even when the server calls it application/octet-stream', async () => {
    const page = Buffer.from('\n  <html><head><title>404</title></head><body>Not here</body></html>');
    const manager = await managerServing({ body: page }, {});
    await expectZoeError(manager.install('tiny'), 'DOWNLOAD_FAILED', /web page/);
    await expect(stat(installedPath())).rejects.toThrow();
  });

  it('refuses a cloud storage XML error sent in place of the model', async () => {
    const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code></Error>');
    const manager = await managerServing({ body: xml, contentType: 'application/xml' }, {});
    await expectZoeError(manager.install('tiny'), 'DOWNLOAD_FAILED', /XML or HTML document/);
    await expect(stat(installedPath())).rejects.toThrow();
  });

  it('refuses a truncated model when the catalog publishes neither size nor checksum', async () => {
    const manager = await managerServing({ body: model.subarray(0, model.length - 1000) }, {});
    await expectZoeError(manager.install('tiny'), 'DOWNLOAD_FAILED', /damaged/);
    await expect(stat(installedPath())).rejects.toThrow();
  });

  it('reports a server error status', async () => {
    const manager = await managerServing({ body: Buffer.from('gone'), status: 410 });
    await expectZoeError(manager.install('tiny'), 'DOWNLOAD_FAILED', /410/);
  });

  it('stops when cancelled and keeps the partial file to resume later', async () => {
    const manager = await managerServing({ body: model });
    const controller = new AbortController();
    controller.abort();
    await expectZoeError(manager.install('tiny', { signal: controller.signal }), 'CANCELLED', /stopped/);
    await expect(stat(installedPath())).rejects.toThrow();
  });

  it('knows nothing of models outside the catalog', async () => {
    const manager = await managerServing({ body: model });
    await expectZoeError(manager.install('zoed-x'), 'NOT_FOUND', /no model “zoed-x”/);
    await expectZoeError(manager.resolve('tiny'), 'MODEL_NOT_INSTALLED', /zoe models install tiny/);
  });
});
