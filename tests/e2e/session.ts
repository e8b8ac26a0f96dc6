/**
 * One e2e session on a photo folder with a generated test model installed: a temp folder of
 * fixture photos, the test host serving it, a second WebSocket client standing in for the jobs
 * panel (device set to CPU), Chromium with the app open. `close()` tears down in reverse order.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { connectWsBridge } from '../../src/renderer/src/bridge/ws-bridge';
import { ensureTestModels } from '../helpers/depth-fixtures';
import { startTestHost, type TestHost } from '../host/server';
import { launchBrowser, openApp, preinstalledTestModel, PHOTOS, type OpenedApp } from './helpers';

export interface DepthSession {
  folder: string;
  host: TestHost;
  browser: Browser;
  app: OpenedApp;
  /** A second client of the same host, for calls the screen under test does not make itself. */
  side: ReturnType<typeof connectWsBridge>;
  close(): Promise<void>;
}

/** Starts a session; `photos` maps a file name in the temp folder to a path under tests/fixtures/photos. */
export async function startDepthSession(name: string, photos: Record<string, string>, model = 'zoe-fixed'): Promise<DepthSession> {
  await ensureTestModels();
  const folder = await mkdtemp(path.join(os.tmpdir(), `zoe-e2e-${name}-`));
  for (const [fileName, fixture] of Object.entries(photos)) await cp(path.join(PHOTOS, fixture), path.join(folder, fileName));
  const host = await startTestHost({ folder, preinstallModels: [preinstalledTestModel(model)] });
  const side = connectWsBridge(host.wsUrl, WebSocket);
  await side.api.settings.set({ device: 'cpu' });
  const browser = await launchBrowser();
  const app = await openApp(browser, host);
  return {
    folder,
    host,
    browser,
    app,
    side,
    async close() {
      side.transport.close();
      await app.close();
      await browser.close();
      await host.close();
      await rm(folder, { recursive: true, force: true });
    }
  };
}

/** Opens the session's folder, double-clicks the named photo's tile and waits for the viewer; returns its id. */
export async function openPhotoInViewer(page: Page, fileName: string): Promise<string> {
  await page.getByRole('button', { name: 'Open folder…' }).first().click();
  const tile = page.locator('[role="gridcell"]', { hasText: fileName });
  await tile.waitFor();
  const photoId = z.string().parse(await tile.getAttribute('data-photo-id'));
  await tile.dblclick();
  await page.getByTestId('viewer-photo').waitFor();
  return photoId;
}
