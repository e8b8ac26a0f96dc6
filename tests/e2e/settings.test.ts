/**
 * The settings panel's depth cache in Chromium through the test host: one photo's depth estimated
 * with a generated test model makes the cache grow above zero, Clear asks first and then empties
 * it, and the viewer's `depth.get` for the photo answers `null` afterwards.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, type OpenedApp } from './helpers';
import { openPhotoInViewer, startDepthSession, type DepthSession } from './session';

/** The answers the page got to `depth.get`, in order: `true` for a depth map, `false` for none. */
function depthAnswers(app: OpenedApp): boolean[] {
  return app.traffic.calls
    .filter((call) => call.method === 'depth.get' && call.result !== undefined)
    .map((call) => {
      if (call.result?.ok !== true) throw new Error(`depth.get failed: ${JSON.stringify(call.result)}`);
      return call.result.value !== null;
    });
}

describe('settings: the depth cache grows with estimated depth and Clear empties it', () => {
  let session: DepthSession;

  beforeAll(async () => {
    session = await startDepthSession('settings', { 'DSCN0010.jpg': 'jpg/gps/DSCN0010.jpg' });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows the size above zero after one estimate, asks before clearing, then shows zero and depth.get is null', async () => {
    const { app, host, side } = session;
    const page = app.page;
    const photoId = await openPhotoInViewer(page, 'DSCN0010.jpg');
    const tile = page.locator('[role="gridcell"]', { hasText: 'DSCN0010.jpg' });
    await expect.poll(() => depthAnswers(app)).toEqual([false]);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const depthCache = page.getByTestId('depth-cache');
    const size = depthCache.getByTestId('cache-size');
    await expect.poll(() => size.innerText()).toBe('0 depth maps, 0.0 MB');
    expect(await depthCache.innerText()).toContain(path.join(host.services.dataDir, 'depth-cache'));

    // One estimate: the open panel follows depth.ready and the viewer gets the depth.
    const enqueued = await side.api.jobs.enqueue({ photoIds: [photoId], priority: 'now' });
    expect(enqueued.ok).toBe(true);
    await expect.poll(() => size.innerText(), { timeout: 60_000 }).toMatch(/^1 depth map, \d+\.\d MB$/);
    await expect.poll(() => depthAnswers(app).at(-1), { timeout: 15_000 }).toBe(true);
    const filled = await side.api.depth.cacheInfo();
    if (!filled.ok) throw new Error(filled.error.message);
    expect(filled.value.files).toBe(1);
    expect(filled.value.sizeBytes).toBeGreaterThan(0);
    expect(await size.innerText()).toBe(`1 depth map, ${(filled.value.sizeBytes / 1_000_000).toFixed(1)} MB`);

    // Loading the model for the estimate saved its optimised graph: the panel shows that cache too.
    const optimised = await side.api.depth.optimisedCacheInfo();
    if (!optimised.ok) throw new Error(optimised.error.message);
    expect(optimised.value.sizeBytes).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Close settings' }).click();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('optimised-cache').getByTestId('cache-size').innerText())
      .toMatch(new RegExp(`^${optimised.value.files} files?, ${(optimised.value.sizeBytes / 1_000_000).toFixed(1)} MB$`));

    // Clear asks first; nothing is removed until the photographer confirms.
    await depthCache.getByTestId('cache-clear').click();
    await depthCache.getByRole('alertdialog').waitFor();
    await screenshot(page, 'settings-caches');
    const stillThere = await side.api.depth.cacheInfo();
    expect(stillThere.ok && stillThere.value.files).toBe(1);
    await depthCache.getByTestId('cache-confirm').click();
    await expect.poll(() => size.innerText()).toBe('0 depth maps, 0.0 MB');
    const emptied = await side.api.depth.cacheInfo();
    expect(emptied.ok && emptied.value).toMatchObject({ files: 0, sizeBytes: 0 });

    // Reopening the photo: the page's depth.get answers null, the depth is gone with the cache.
    const answered = depthAnswers(app).length;
    await page.keyboard.press('Escape');
    await tile.waitFor();
    await tile.dblclick();
    await page.getByTestId('viewer-photo').waitFor();
    await expect.poll(() => depthAnswers(app).length).toBeGreaterThan(answered);
    expect(depthAnswers(app).at(-1)).toBe(false);
    expect(app.problems()).toEqual([]);
  }, 90_000);
});
