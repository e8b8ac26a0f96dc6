/** The depth cache stays within its limit: trimmed once the queue is idle after the model ran. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DepthJob } from '../../../src/shared/api';
import { PhotoRegistry } from '../../../src/main/library/handlers';
import { scanFolder } from '../../../src/main/library/scan';
import { ResourceRegistry } from '../../../src/main/resources/registry';
import { SettingsStore } from '../../../src/main/settings/handlers';
import { Studio } from '../../../src/main/studio/studio';
import { createTestHostServices } from '../../host/services';
import { ensureTestModels } from '../../helpers/depth-fixtures';
import { testModel } from '../cli/test-models';
import { FIXTURE_PHOTOS, until } from './harness';

let workDir: string;
let studio: Studio;

beforeAll(async () => {
  await ensureTestModels();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-cache-limit-'));
  const services = createTestHostServices({
    origin: 'http://127.0.0.1:9',
    dataDir: workDir,
    resources: new ResourceRegistry(),
    broadcast: () => undefined
  });
  const registry = new PhotoRegistry();
  registry.remember((await scanFolder(path.join(FIXTURE_PHOTOS, 'gps'), false)).photos);
  studio = new Studio(services, new SettingsStore(workDir), registry, { depthCacheLimitBytes: 1 });
  const model = await testModel('zoe-fixed');
  await (await studio.manager()).import(model.modelPath, model.manifest);
  await studio.settings.set({ device: 'cpu' });
});

afterAll(async () => {
  await studio.dispose();
  await rm(workDir, { recursive: true, force: true });
});

async function runAll(photoIds: string[]): Promise<DepthJob[]> {
  const jobIds = await studio.enqueue(photoIds, 'normal');
  await until(() => studio.jobs.list().jobs.filter((job) => jobIds.includes(job.jobId)).every((job) => job.state === 'done'), 'the jobs');
  return studio.jobs.list().jobs.filter((job) => jobIds.includes(job.jobId));
}

it('trims the depth cache to its limit when the queue empties, so the model runs again next time', async () => {
  const photos = (await scanFolder(path.join(FIXTURE_PHOTOS, 'gps'), false)).photos.map((photo) => photo.id);
  expect(photos).toHaveLength(2);
  const first = await runAll(photos);
  expect(first.map((job) => job.fromCache)).toEqual([false, false]);
  // With a limit of one byte nothing may stay once the queue is idle.
  let usage = await studio.depthCache.usage();
  const started = Date.now();
  while (usage.entries > 0 && Date.now() - started < 5000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    usage = await studio.depthCache.usage();
  }
  expect(usage).toEqual({ entries: 0, bytes: 0 });
  const again = await runAll(photos.slice(0, 1));
  expect(again[0]?.fromCache).toBe(false);
});
