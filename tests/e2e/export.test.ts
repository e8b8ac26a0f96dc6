/**
 * The export dialog in Chromium through the test host, with a generated model installed: open a
 * folder, open the dialog with Ctrl+E, pick png16 + ply + gdepth, watch the preview follow the colour
 * map, export the whole folder to a temporary folder and check the files on disk; the broken photo
 * of the folder fails alone, with its reason in the summary.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenedApp, screenshot } from './helpers';
import { startAppSession, type AppSession } from './session';

const GOOD = ['DSCN0010.jpg', 'DSCN0027.jpg'];

/** The preview image's pixels as the page shows them (element screenshot), as raw RGB. */
async function previewPixels(page: Page): Promise<{ data: Buffer; width: number; height: number }> {
  const png = await page.getByTestId('export-preview').screenshot();
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Waits until the preview drawn with `colormap` is on screen and loaded. */
async function previewDrawnWith(page: Page, colormap: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const loaded: unknown = await page.evaluate(`(() => {
      const image = document.querySelector('[data-testid="export-preview"]');
      return image !== null && image.dataset.colormap === ${JSON.stringify(colormap)} && image.complete && image.naturalWidth > 0;
    })()`);
    if (loaded === true) return;
    if (Date.now() > deadline) throw new Error(`The preview was never drawn with ${colormap}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('export dialog in Chromium', () => {
  let session: AppSession;
  let folder: string;
  let output: string;
  let app: OpenedApp;

  beforeAll(async () => {
    session = await startAppSession('export-photos', {
      ...Object.fromEntries(GOOD.map((name) => [name, `jpg/gps/${name}`])),
      'corrupted.jpg': 'jpg/corrupted.jpg'
    });
    ({ folder, app } = session);
    output = await mkdtemp(path.join(os.tmpdir(), 'zoe-e2e-export-out-'));
    session.host.services.setNextOutputFolder(output);
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    if (output !== undefined) await rm(output, { recursive: true, force: true });
  });

  it('opens for the photo in the viewer or the folder in the library; exports png16, ply and gdepth; the preview follows the colour map; the broken photo fails alone', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Open folder…' }).first().click();
    const tile = page.locator('[role="gridcell"]', { hasText: 'DSCN0010.jpg' });
    await tile.waitFor();
    // From the viewer: the photo on screen only; Esc closes the dialog and leaves the viewer open.
    await tile.dblclick();
    await page.getByTestId('viewer-photo').waitFor();
    await page.keyboard.press('Control+e');
    const dialog = page.getByRole('dialog', { name: 'Export depth' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('export-scope').count()).toBe(0);
    expect(await dialog.locator('header').innerText()).toContain('DSCN0010.jpg');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('viewer-photo').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('viewer-photo').waitFor({ state: 'detached' });

    // From the library, with the photo selected.
    await tile.click();
    await page.keyboard.press('Control+e');
    await dialog.waitFor();

    await dialog.locator('input[data-format="ply"]').check();
    await dialog.locator('input[data-format="gdepth"]').check();
    await dialog.getByTestId('export-choose-folder').click();
    await expect.poll(() => dialog.getByTestId('export-folder').innerText()).toBe(output);

    // The preview: turbo is colourful; grey has equal channels; the two differ pixel by pixel.
    await previewDrawnWith(page, 'turbo');
    const turbo = await previewPixels(page);
    await dialog.getByTestId('export-colormap').selectOption('grey');
    await previewDrawnWith(page, 'grey');
    const grey = await previewPixels(page);
    expect([grey.width, grey.height]).toEqual([turbo.width, turbo.height]);
    let changed = 0;
    let greyChroma = 0;
    let turboChroma = 0;
    for (let index = 0; index < grey.data.length; index += 3) {
      if (Math.abs((grey.data[index] ?? 0) - (turbo.data[index] ?? 0)) + Math.abs((grey.data[index + 2] ?? 0) - (turbo.data[index + 2] ?? 0)) > 30) changed += 1;
      greyChroma += Math.abs((grey.data[index] ?? 0) - (grey.data[index + 2] ?? 0));
      turboChroma += Math.abs((turbo.data[index] ?? 0) - (turbo.data[index + 2] ?? 0));
    }
    const pixels = grey.data.length / 3;
    expect(changed / pixels).toBeGreaterThan(0.5);
    expect(greyChroma / pixels).toBeLessThan(2);
    expect(turboChroma / pixels).toBeGreaterThan(20);

    // Back to turbo: the same picture as the first time.
    await dialog.getByTestId('export-colormap').selectOption('turbo');
    await previewDrawnWith(page, 'turbo');
    expect((await previewPixels(page)).data.equals(turbo.data)).toBe(true);

    // The whole folder, with its broken photo.
    await dialog.getByTestId('export-scope').selectOption({ label: 'All 3 photos in ' + path.basename(folder) });
    await expect.poll(() => dialog.getByTestId('export-estimate').innerText(), { timeout: 20_000 }).toMatch(/About .+ for 3 photos/);
    await screenshot(page, 'export');
    await dialog.getByTestId('export-start').click();
    const summary = dialog.getByTestId('export-summary');
    await summary.waitFor({ timeout: 60_000 });
    await screenshot(page, 'export-summary');
    const failures = await dialog.getByTestId('export-failures').locator('li').allInnerTexts();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^corrupted\.jpg — .{10,}/);
    expect(await summary.innerText()).toContain(`${GOOD.length * 4} files written`);

    const written = (await readdir(output)).sort();
    const expected = GOOD.flatMap((name) => {
      const stem = name.replace(/\.jpg$/, '');
      return [`${stem}.depth.png`, `${stem}.depth.ply`, `${stem}.depth.jpg`, `${stem}.depth.json`];
    }).sort();
    expect(written).toEqual(expected);
    for (const name of GOOD) {
      const upright = await sharp(path.join(folder, name)).rotate().toBuffer({ resolveWithObject: true });
      const file = path.join(output, name.replace(/\.jpg$/, '.depth.png'));
      const stored = await sharp(file).metadata();
      expect([stored.width, stored.height, stored.channels, stored.depth]).toEqual([upright.info.width, upright.info.height, 1, 'ushort']);
      const depth = await sharp(file).toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
      expect(depth.info.channels).toBe(1);
      const values = new Uint16Array(depth.data.buffer, depth.data.byteOffset, depth.data.byteLength / 2);
      // The generated model's depth is within its manifest's range: some tenths of a metre to metres, never 0 or the 16-bit ceiling.
      const sample = [values[0] ?? 0, values[Math.floor(values.length / 2)] ?? 0, values[values.length - 1] ?? 0];
      for (const value of sample) expect(value).toBeGreaterThan(0);
      for (const value of sample) expect(value).toBeLessThan(65535);
    }

    // Again into the same folder, asking about taken names: they are listed, and “Add a number” keeps the first files.
    await dialog.getByRole('button', { name: 'Export again…' }).click();
    await dialog.getByLabel('Ask me').check();
    await dialog.getByTestId('export-start').click();
    const conflicts = dialog.getByTestId('export-conflicts');
    await conflicts.waitFor({ timeout: 20_000 });
    const taken = await conflicts.locator('li').allInnerTexts();
    expect(taken.length).toBeGreaterThanOrEqual(expected.length);
    expect(taken.some((line) => line.startsWith('DSCN0010.depth.png') && line.includes('earlier Zoe Studio export'))).toBe(true);
    await dialog.getByRole('button', { name: 'Add a number to the new files' }).click();
    await summary.waitFor({ timeout: 60_000 });
    const after = await readdir(output);
    expect(after).toEqual(expect.arrayContaining([...expected, 'DSCN0010 (2).depth.png', 'DSCN0027 (2).depth.ply', 'DSCN0027 (2).depth.jpg']));
    expect(after).toHaveLength(expected.length * 2);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(app.pageErrors).toEqual([]);
    expect(app.consoleErrors).toEqual([]);
  }, 90_000);
});
