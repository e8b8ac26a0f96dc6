/**
 * The e2e-ready test host: started with a generated model preinstalled, it serves the depth
 * methods and events over its WebSocket to the renderer's own bridge, typed arrays intact.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { DepthReady, JobsChange } from '../../../src/shared/api';
import { connectWsBridge } from '../../../src/renderer/src/bridge/ws-bridge';
import { startTestHost, type TestHost } from '../../host/server';
import { ensureTestModels } from '../../helpers/depth-fixtures';
import { FIXTURE_MODELS, FIXTURE_PHOTOS, until } from '../jobs/harness';

let workspace: string;
let host: TestHost;

beforeAll(async () => {
  await ensureTestModels();
  workspace = await mkdtemp(path.join(os.tmpdir(), 'zoe-host-models-'));
  await mkdir(path.join(workspace, 'renderer'));
  await writeFile(path.join(workspace, 'renderer', 'index.html'), '<!doctype html>');
  host = await startTestHost({
    rendererDir: path.join(workspace, 'renderer'),
    folder: path.join(FIXTURE_PHOTOS, 'gps'),
    preinstallModels: [{ modelPath: path.join(FIXTURE_MODELS, 'zoe-fixed.onnx'), manifestPath: path.join(FIXTURE_MODELS, 'zoe-fixed.json') }]
  });
});

afterAll(async () => {
  await host.close();
  await rm(workspace, { recursive: true, force: true });
});

describe('startTestHost({ preinstallModels })', () => {
  it('starts with the model installed and selected, and estimates depth over the WebSocket', async () => {
    expect(await readdir(path.join(host.services.dataDir, 'models', 'test-fixed'))).toEqual(['manifest.json', 'model.onnx']);
    const { api, transport } = connectWsBridge(host.wsUrl, WebSocket);
    try {
      const models = await api.models.list();
      expect(models.ok && models.value.selectedModelId).toBe('test-fixed');
      expect(models.ok && models.value.models.find((model) => model.id === 'test-fixed')?.state).toBe('installed');
      await api.settings.set({ device: 'cpu' });

      const ready: DepthReady[] = [];
      const changes: JobsChange[] = [];
      api.on('depth.ready', (payload) => ready.push(payload));
      api.on('jobs.changed', (payload) => changes.push(payload));
      const folder = await api.library.openFolder();
      if (!folder.ok || folder.value === null) throw new Error('the folder did not open');
      const photo = folder.value.photos.find((entry) => entry.name === 'DSCN0010.jpg');
      if (photo === undefined) throw new Error('DSCN0010.jpg is not listed');
      const enqueued = await api.jobs.enqueue({ photoIds: [photo.id], priority: 'now' });
      expect(enqueued.ok).toBe(true);
      await until(() => ready.some((payload) => payload.photoId === photo.id), 'depth.ready');
      await until(() => changes.some((change) => change.jobs.some((job) => job.photoId === photo.id && job.state === 'done')), 'the job to be done');

      const depth = await api.depth.get({ photoId: photo.id });
      if (!depth.ok || depth.value === null) throw new Error('no depth over the socket');
      expect(depth.value.metres).toBeInstanceOf(Float32Array);
      expect(depth.value.metres.length).toBe(depth.value.width * depth.value.height);
      expect({ w: depth.value.photoWidth, h: depth.value.photoHeight, provider: depth.value.provider }).toEqual({ w: 640, h: 480, provider: 'cpu' });
      const status = await api.depth.status();
      expect(status.ok && status.value.provider).toBe('cpu');
    } finally {
      transport.close();
    }
  });
});
