/**
 * The models panel in Chromium through the test host, with downloads from a real HTTP server on
 * 127.0.0.1 (a catalog of its own in a temporary folder): the first-run screen offers the catalog,
 * a download shows its progress and can be cancelled, a web page instead of a model fails with its
 * reason, a complete download installs the model, which is then used, verified and loaded on the CPU.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCatalogSchema, type ModelManifestInput } from '../../src/shared/manifest';
import { dispatch } from '../../src/main/ipc/dispatch';
import { createHandlerTable, type HostHandlerTable } from '../../src/main/ipc/table';
import { ensureTestModels, TEST_MODELS_DIR } from '../helpers/depth-fixtures';
import { startModelServer, type ModelServer } from '../helpers/http-model-server';
import { startTestHost, type TestHost } from '../host/server';
import { launchBrowser, openApp, type OpenedApp, screenshot, until } from './helpers';

describe('models panel in Chromium, downloading from 127.0.0.1', () => {
  let server: ModelServer;
  let workDir: string;
  let host: TestHost;
  let table: HostHandlerTable | undefined;
  let browser: Browser;
  let app: OpenedApp;

  beforeAll(async () => {
    await ensureTestModels();
    const modelBytes = await readFile(path.join(TEST_MODELS_DIR, 'zoe-fixed.onnx'));
    server = await startModelServer({
      '/served.onnx': { body: modelBytes },
      '/stalled.onnx': { body: modelBytes, stallAfterBytes: 100_000 },
      '/page.onnx': { body: Buffer.from('<!doctype html><title>Sign in</title><p>Please sign in to download.</p>'), contentType: 'text/html' }
    });
    const base = JSON.parse(await readFile(path.join(TEST_MODELS_DIR, 'zoe-fixed.json'), 'utf8')) as ModelManifestInput;
    const sha256 = createHash('sha256').update(modelBytes).digest('hex');
    const entry = (id: string, title: string): ModelManifestInput => ({
      ...base,
      id,
      title,
      source: { fileName: `${id}.onnx`, urls: [server.url(`/${id}.onnx`)], sizeBytes: modelBytes.length, sha256 }
    });
    workDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-e2e-models-'));
    const resourcesDir = path.join(workDir, 'resources', 'models');
    await mkdir(resourcesDir, { recursive: true });
    const catalog = modelCatalogSchema.parse({
      $schemaVersion: 1,
      models: [entry('served', 'Served model'), entry('stalled', 'Stalling model'), entry('page', 'Sign-in page')]
    });
    await writeFile(path.join(resourcesDir, 'catalog.json'), JSON.stringify(catalog));
    host = await startTestHost({
      createDispatcher: (services) => {
        const created = createHandlerTable({ ...services, resourcesDir });
        table = created;
        return (method, request) => dispatch(created, method, request);
      }
    });
    browser = await launchBrowser();
    app = await openApp(browser, host);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await browser?.close();
    await table?.dispose();
    await host?.close();
    await server?.close();
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  function row(id: string): Locator {
    return app.page.locator(`[data-testid="first-run"] [data-testid="model-row"][data-model-id="${id}"], [data-testid="models-panel"] [data-testid="model-row"][data-model-id="${id}"]`).first();
  }

  it('shows a download’s progress, cancels it, fails a web page with its reason, and installs a served model', async () => {
    const page = app.page;
    await page.getByTestId('first-run').waitFor({ timeout: 15_000 });

    // A download that stalls after 100 kB: its bar shows what arrived; cancelling keeps it for a resume.
    await row('stalled').getByRole('button', { name: 'Install' }).click();
    const progress = row('stalled').getByTestId('model-download');
    await until(() => progress.innerText().catch(() => ''), (text) => /^100 kB of /.test(text), 15_000, 'the stalled download’s progress');
    const width = Number.parseFloat(/width:\s*([\d.]+)%/.exec((await progress.locator('.fill').getAttribute('style')) ?? '')?.[1] ?? 'NaN');
    expect(width).toBeGreaterThan(0);
    expect(width).toBeLessThan(100);
    await screenshot(page, 'model-download');
    await row('stalled').getByRole('button', { name: 'Cancel download' }).click();
    await row('stalled').getByRole('button', { name: 'Resume download' }).waitFor({ timeout: 10_000 });
    expect(await row('stalled').innerText()).toMatch(/100 kB already fetched/);

    // A sign-in page instead of a model: refused, with a reason the photographer understands.
    await row('page').getByRole('button', { name: 'Install' }).click();
    const alert = page.getByTestId('first-run').getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect((await alert.innerText()).length).toBeGreaterThan(20);
    // The alert and the row's state come from separate updates: wait for the state, not a moment.
    await until(() => row('page').getAttribute('data-state'), (state) => state === 'not-installed', 15_000, 'the refused model’s row state');

    // A complete download installs the model, which becomes the one in use: the first-run screen goes.
    await row('served').getByRole('button', { name: 'Install' }).click();
    await page.getByTestId('first-run').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByTestId('models-toggle').click();
    await until(() => row('served').getAttribute('data-state'), (state) => state === 'installed', 10_000, 'the served model to be installed');
    expect(await row('served').innerText()).toMatch(/In use/);

    // Verify reads it again with a real session; loading it names the CPU, in the row and the top bar.
    await row('served').getByRole('button', { name: 'Verify' }).click();
    const verified = row('served').getByTestId('model-verification');
    await verified.waitFor({ timeout: 30_000 });
    expect(await verified.innerText()).toMatch(/Verified: .*checksum matches/);
    await row('served').getByRole('button', { name: 'Load now' }).click();
    await until(() => row('served').innerText(), (text) => /Loaded on the CPU/.test(text), 30_000, 'the model to load');
    await until(() => page.getByTestId('provider-badge').innerText(), (label) => label === 'CPU', 10_000, 'the provider badge');
    await screenshot(page, 'models-panel');
    expect(app.problems()).toEqual([]);
  }, 90_000);
});
