/**
 * E2E sessions on a photo folder with a generated test model installed: a temp folder of photos,
 * the test host serving it, Chromium with the app open; `startDepthSession` adds a second
 * WebSocket client standing in for the jobs panel (device set to CPU). `close()` tears down in
 * reverse order.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { connectWsBridge } from '../../src/renderer/src/bridge/ws-bridge';
import { ensureTestModels } from '../helpers/depth-fixtures';
import { startTestHost, type PreinstalledModel, type TestHost } from '../host/server';
import { launchBrowser, openApp, preinstalledTestModel, PHOTOS, type OpenedApp } from './helpers';

export interface AppSession {
  folder: string;
  host: TestHost;
  browser: Browser;
  app: OpenedApp;
  close(): Promise<void>;
}

export interface DepthSession extends AppSession {
  /** A second client of the same host, for calls the screen under test does not make itself. */
  side: ReturnType<typeof connectWsBridge>;
}

/** File names in the temp folder mapped to paths under tests/fixtures/photos, or a function that fills the folder. */
export type FolderContents = Record<string, string> | ((folder: string) => Promise<void>);

/** Starts the host on a fresh folder with the named test model (or a model file and manifest) installed, and opens the app in Chromium. */
export async function startAppSession(name: string, contents: FolderContents, model: string | PreinstalledModel = 'zoe-fixed'): Promise<AppSession> {
  await ensureTestModels();
  const folder = await mkdtemp(path.join(os.tmpdir(), `zoe-e2e-${name}-`));
  if (typeof contents === 'function') await contents(folder);
  else for (const [fileName, fixture] of Object.entries(contents)) await cp(path.join(PHOTOS, fixture), path.join(folder, fileName));
  const host = await startTestHost({ folder, preinstallModels: [typeof model === 'string' ? preinstalledTestModel(model) : model] });
  const browser = await launchBrowser();
  const app = await openApp(browser, host);
  return {
    folder,
    host,
    browser,
    app,
    async close() {
      await app.close();
      await browser.close();
      await host.close();
      await rm(folder, { recursive: true, force: true });
    }
  };
}

/** `startAppSession` plus a side client with the device set to CPU. */
export async function startDepthSession(name: string, contents: FolderContents, model: string | PreinstalledModel = 'zoe-fixed'): Promise<DepthSession> {
  const session = await startAppSession(name, contents, model);
  const side = connectWsBridge(session.host.wsUrl, WebSocket);
  await side.api.settings.set({ device: 'cpu' });
  return {
    ...session,
    side,
    async close() {
      side.transport.close();
      await session.close();
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
