/**
 * The depth queue in Chromium through the test host, with a generated test model and real photos:
 * the photo on screen is estimated with D and its depth drawn; a batch over a folder of distinct
 * photos runs with progress, the photo opened from the queue jumps ahead, broken files fail with
 * their reason, and “Cancel all” leaves some done, the rest cancelled and nothing running.
 */
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ensureTestModels, TEST_MODELS_DIR } from '../helpers/depth-fixtures';
import { startTestHost, type TestHost } from '../host/server';
import { launchBrowser, openApp, type OpenedApp, PHOTOS, screenshot, until } from './helpers';
import { startAppSession, type AppSession } from './session';

/** Photos in the batch besides the broken ones: enough that a cancel lands mid-batch. */
const BATCH_SIZE = 120;

const jobRow = z.object({ name: z.string(), state: z.string(), reason: z.string().nullable() });
type JobRow = z.infer<typeof jobRow>;

/** The rows of the queue panel as the page shows them. */
async function readRows(page: Page): Promise<JobRow[]> {
  const rows: unknown = await page.evaluate(`[...document.querySelectorAll('[data-testid="job-row"]')].map((row) => ({
    name: row.querySelector('.name')?.textContent?.trim() ?? '',
    state: row.getAttribute('data-state') ?? '',
    reason: row.querySelector('[data-testid="job-error"]')?.textContent?.trim() ?? null
  }))`);
  return z.array(jobRow).parse(rows);
}

function count(rows: readonly JobRow[], state: string): number {
  return rows.filter((row) => row.state === state).length;
}

/** Distinct photos (different pixels, so the depth cache cannot answer for a copy) from the fixtures. */
async function makeBatchFolder(folder: string): Promise<void> {
  const sources = [
    ...(await readdir(path.join(PHOTOS, 'jpg/orientation'))).map((name) => path.join(PHOTOS, 'jpg/orientation', name)),
    path.join(PHOTOS, 'jpg/gps/DSCN0010.jpg'),
    path.join(PHOTOS, 'jpg/gps/DSCN0027.jpg'),
    path.join(PHOTOS, 'jpg/exif-org/canon-ixus.jpg'),
    path.join(PHOTOS, 'jpg/mobile/jolla.jpg')
  ];
  for (let index = 0; index < BATCH_SIZE; index += 1) {
    const source = sources[index % sources.length] ?? sources[0];
    if (source === undefined) throw new Error('no fixture photos');
    const name = `IMG_${String(index + 1).padStart(4, '0')}.jpg`;
    // Each copy darkened a little differently: a different photo as far as the depth cache knows.
    await sharp(source)
      .rotate()
      .resize({ width: 800, height: 800, fit: 'inside', withoutEnlargement: true })
      .modulate({ brightness: 0.8 + (index % 20) / 100 })
      .jpeg({ quality: 85 })
      .toFile(path.join(folder, name));
  }
  // Broken files sort first, so they have run before the cancel.
  await copyFile(path.join(PHOTOS, 'jpg/corrupted.jpg'), path.join(folder, 'A_corrupted.jpg'));
  await copyFile(path.join(PHOTOS, 'heic/IMG_5195.HEIC'), path.join(folder, 'A_iphone.HEIC'));
}

describe('first run in Chromium: no model installed', () => {
  let host: TestHost;
  let browser: Browser;
  let app: OpenedApp;

  beforeAll(async () => {
    await ensureTestModels();
    host = await startTestHost();
    browser = await launchBrowser();
    app = await openApp(browser, host);
  });

  afterAll(async () => {
    await app?.close();
    await browser?.close();
    await host?.close();
  });

  it('says what to install and why, then imports a local model file and gets out of the way', async () => {
    const page = app.page;
    const firstRun = page.getByTestId('first-run');
    await firstRun.waitFor({ timeout: 15_000 });
    const text = await firstRun.innerText();
    for (const id of ['zoed-n', 'zoed-k', 'zoed-nk']) expect(await firstRun.locator(`[data-model-id="${id}"]`).count()).toBe(1);
    expect(text).toMatch(/indoor/i);
    expect(text).toMatch(/outdoor/i);
    expect(text).toMatch(/licence MIT/);
    expect(text).toMatch(/\d+(\.\d+)? (GB|MB)/);
    expect(await page.getByTestId('provider-badge').innerText()).toBe('No model');
    await screenshot(page, 'first-run');

    host.services.setNextModelFile(path.join(TEST_MODELS_DIR, 'zoe-fixed.onnx'));
    await firstRun.getByRole('button', { name: 'Import a model file (.onnx)…' }).click();
    await firstRun.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByRole('button', { name: 'Open folder…' }).first().waitFor();
    await page.getByTestId('models-toggle').click();
    const panel = page.getByTestId('models-panel');
    await panel.waitFor();
    const imported = panel.locator('[data-testid="model-row"][data-state="installed"]');
    await imported.waitFor();
    expect(await imported.innerText()).toMatch(/In use/);
    expect(app.problems()).toEqual([]);
  });
});

describe('depth jobs in Chromium, from a generated test model', () => {
  let session: AppSession;
  let app: OpenedApp;

  beforeAll(async () => {
    // The busy model gives the plain model's depth but takes long enough per run (real convolution
    // work) that the batch is still going when the test cancels it, on a fast idle machine too.
    session = await startAppSession('jobs', makeBatchFolder, 'zoe-busy');
    app = session.app;
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('estimates the photo on screen with D and draws its depth', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Settings' }).waitFor();
    expect(await page.getByTestId('first-run').count()).toBe(0);
    await page.getByRole('button', { name: 'Open folder…' }).first().click();
    const tile = page.locator('[role="gridcell"]', { hasText: 'IMG_0001.jpg' });
    await tile.waitFor();
    await tile.dblclick();
    await page.getByTestId('viewer-photo').waitFor();
    expect(await page.getByTestId('depth-overlay').count()).toBe(0);
    await page.keyboard.press('d');
    await page.getByTestId('depth-overlay').waitFor({ timeout: 60_000 });
    const enqueue = await app.traffic.reply('jobs.enqueue');
    expect(enqueue.ok).toBe(true);
    expect(app.traffic.calls.find((call) => call.method === 'jobs.enqueue')?.request).toMatchObject({ priority: 'now' });
    // The badge names where the model ran: this machine has no GPU adapter, so the CPU.
    await until(() => page.getByTestId('provider-badge').innerText(), (label) => label === 'CPU', 10_000, 'the provider badge');
  }, 90_000);

  it('runs a batch over the folder, lets the photo opened from the queue jump ahead, reports broken files and cancels the rest', async () => {
    const page = app.page;
    await page.keyboard.press('Escape');
    await page.locator('[role="gridcell"]').first().waitFor();
    await page.keyboard.press('Shift+D');
    await page.getByTestId('jobs-panel').waitFor();
    // Every photo of the folder, and the first one's earlier job (this one answered from the cache).
    const total = BATCH_SIZE + 2 + 1;

    // Broken files fail alone, with their reason, and the batch goes on.
    const started = await until(
      () => readRows(page),
      (rows) => rows.length === total && count(rows, 'failed') === 2 && count(rows, 'done') >= 4,
      60_000,
      'the broken files to fail and a few photos to be done'
    );
    const failed = started.filter((row) => row.state === 'failed');
    expect(failed.map((row) => row.name).sort()).toEqual(['A_corrupted.jpg', 'A_iphone.HEIC']);
    for (const row of failed) expect(row.reason ?? '').toContain(`“${row.name}”`);
    expect(failed.find((row) => row.name === 'A_iphone.HEIC')?.reason).toMatch(/HEVC|HEIF|HEIC/);
    expect(await page.getByTestId('jobs-time-left').innerText()).toMatch(/left|Timing the first photo/);
    await screenshot(page, 'batch-progress');

    // The last photo of the queue, opened from the panel, jumps ahead of the others.
    const queued = started.filter((row) => row.state === 'queued');
    const last = queued.at(-1);
    expect(queued.length).toBeGreaterThan(10);
    if (last === undefined) throw new Error('nothing queued');
    await page.getByTestId('jobs-panel').locator('[data-testid="job-row"]', { hasText: last.name }).locator('.name').click();
    await until(() => page.getByTestId('viewer-name').innerText(), (name) => name === last.name, 10_000, 'the viewer to open the photo');
    const jumped = await until(
      () => readRows(page),
      (rows) => rows.find((row) => row.name === last.name)?.state === 'done',
      30_000,
      `${last.name} to be done`
    );
    // The page's WebSocket frames reach the test through their own channel, maybe after the rows did.
    await until(
      async () => app.traffic.calls.filter((call) => call.method === 'jobs.prioritise').map((call) => call.request),
      (requests) => requests.length > 0,
      5_000,
      'the page to ask for the opened photo to jump the queue'
    );
    const stillWaiting = jumped.filter((row) => row.state === 'queued').map((row) => row.name);
    expect(stillWaiting.length).toBeGreaterThan(5);
    expect(stillWaiting.filter((name) => name < last.name), `waiting when ${last.name} was done: ${stillWaiting.join(', ')}`).not.toEqual([]);
    // Its depth shows as soon as it is ready (depth stays on in the viewer after D).
    await page.getByTestId('depth-overlay').waitFor({ timeout: 10_000 });

    await page.getByTestId('jobs-panel').getByRole('button', { name: 'Cancel all' }).click();
    const after = await until(
      () => readRows(page),
      (rows) => count(rows, 'queued') + count(rows, 'running') === 0,
      20_000,
      'every job to stop'
    );
    expect(count(after, 'done')).toBeGreaterThanOrEqual(6);
    expect(count(after, 'cancelled')).toBeGreaterThan(5);
    expect(count(after, 'failed')).toBe(2);
    expect(count(after, 'done') + count(after, 'cancelled') + count(after, 'failed')).toBe(total);
    // The main process agrees: nothing is left running.
    const summary = await page.getByTestId('jobs-summary').innerText();
    expect(summary).not.toMatch(/to go/);
    expect(summary).toMatch(/cancelled/);
    expect(app.problems()).toEqual([]);
  }, 120_000);
});
