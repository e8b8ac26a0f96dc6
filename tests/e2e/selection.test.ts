/**
 * Picking photos in the grid in Chromium through the test host, with a generated test model and
 * real photos: Ctrl+click picks three, D estimates depth for those three only and each of their
 * tiles shows its done badge; Shift+click takes a range, Ctrl+A every photo, Esc none; a file
 * dragged over the window lights the drop zone.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type OpenedApp, PHOTOS, screenshot, until } from './helpers';
import { startAppSession, type AppSession } from './session';

const PHOTO_COUNT = 8;

const tileState = z.object({ name: z.string(), selected: z.boolean(), badge: z.string().nullable(), badgeTitle: z.string().nullable() });
type TileState = z.infer<typeof tileState>;

/** Every tile on screen: its name, whether it is picked, and its depth badge. */
async function readTiles(page: Page): Promise<TileState[]> {
  const tiles: unknown = await page.evaluate(`[...document.querySelectorAll('[role="gridcell"]')].map((tile) => ({
    name: tile.querySelector('.name')?.textContent?.trim() ?? '',
    selected: tile.getAttribute('aria-selected') === 'true',
    badge: tile.querySelector('.job-badge')?.getAttribute('data-job-state') ?? null,
    badgeTitle: tile.querySelector('.job-badge')?.getAttribute('title') ?? null
  }))`);
  return z.array(tileState).parse(tiles);
}

function picked(tiles: readonly TileState[]): string[] {
  return tiles.filter((tile) => tile.selected).map((tile) => tile.name);
}

/** Distinct small photos (different pixels, so the depth cache cannot answer for a copy). */
async function makeFolder(folder: string): Promise<void> {
  const sources = (await readdir(path.join(PHOTOS, 'jpg/orientation'))).map((name) => path.join(PHOTOS, 'jpg/orientation', name));
  for (let index = 0; index < PHOTO_COUNT; index += 1) {
    const source = sources[index % sources.length];
    if (source === undefined) throw new Error('no fixture photos');
    await sharp(source)
      .rotate()
      .resize({ width: 640, height: 640, fit: 'inside', withoutEnlargement: true })
      .modulate({ brightness: 0.8 + index / 50 })
      .jpeg({ quality: 85 })
      .toFile(path.join(folder, `IMG_${String(index + 1).padStart(4, '0')}.jpg`));
  }
}

describe('picking photos in the grid in Chromium', () => {
  let session: AppSession;
  let app: OpenedApp;

  beforeAll(async () => {
    session = await startAppSession('selection', makeFolder);
    app = session.app;
  }, 60_000);

  afterAll(async () => {
    await session?.close();
  });

  it('Ctrl+click picks three photos, D estimates depth for those three and their tiles say done', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Open folder…' }).first().click();
    const tile = (name: string): ReturnType<Page['locator']> => page.locator('[role="gridcell"]', { hasText: name });
    await tile('IMG_0008.jpg').waitFor();
    await tile('IMG_0002.jpg').click();
    await tile('IMG_0005.jpg').click({ modifiers: ['Control'] });
    await tile('IMG_0007.jpg').click({ modifiers: ['Control'] });
    expect(picked(await readTiles(page))).toEqual(['IMG_0002.jpg', 'IMG_0005.jpg', 'IMG_0007.jpg']);
    expect(await page.getByTestId('estimate-depth').innerText()).toBe('Depth for 3');

    await page.keyboard.press('d');
    const tiles = await until(
      () => readTiles(page),
      (all) => all.filter((each) => each.badge === 'done').length === 3,
      45_000,
      'three done badges'
    );
    expect(tiles.filter((each) => each.badge === 'done').map((each) => each.name)).toEqual(['IMG_0002.jpg', 'IMG_0005.jpg', 'IMG_0007.jpg']);
    expect(tiles.filter((each) => each.badge !== 'done').map((each) => each.badge)).toEqual(Array<null>(PHOTO_COUNT - 3).fill(null));
    expect(tiles.find((each) => each.name === 'IMG_0005.jpg')?.badgeTitle).toMatch(/Has depth/);
    const enqueue = app.traffic.calls.filter((call) => call.method === 'jobs.enqueue');
    expect(enqueue).toHaveLength(1);
    expect(enqueue[0]?.request).toMatchObject({ priority: 'normal' });
    await screenshot(page, 'selection-done-badges');
  }, 60_000);

  it('Shift+click takes a range, Ctrl+A every photo, Esc none; a file dragged over the window lights the drop zone', async () => {
    const page = app.page;
    const tile = (name: string): ReturnType<Page['locator']> => page.locator('[role="gridcell"]', { hasText: name });
    await tile('IMG_0003.jpg').click({ modifiers: ['Shift'] });
    expect(picked(await readTiles(page))).toEqual(['IMG_0003.jpg', 'IMG_0004.jpg', 'IMG_0005.jpg', 'IMG_0006.jpg', 'IMG_0007.jpg']);
    await page.keyboard.press('Control+a');
    expect(picked(await readTiles(page))).toHaveLength(PHOTO_COUNT);
    await page.keyboard.press('Escape');
    expect(picked(await readTiles(page))).toEqual([]);

    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'holiday.jpg', { type: 'image/jpeg' }));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    })()`);
    const zone = page.getByTestId('drop-zone');
    await zone.waitFor({ timeout: 5_000 });
    expect(await zone.innerText()).toBe('Drop a folder to open it');
    await screenshot(page, 'drop-zone');
    await page.evaluate(`window.dispatchEvent(new DragEvent('dragleave', { dataTransfer: new DataTransfer(), bubbles: true }))`);
    expect(app.problems()).toEqual([]);
  }, 30_000);
});
