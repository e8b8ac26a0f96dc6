/**
 * What a measurement's ± band rests on, in Chromium through the test host: a test model carrying
 * the catalog's ZoeD-M12-N error figures (zero-shot median and in-domain REL from the ZoeDepth
 * paper), a distance that says "Uncalibrated" with the zero-shot figure, a calibration that says
 * "Calibrated" and narrows the band, and a corrected camera after which the reference line still
 * reads its known length.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelCatalogSchema } from '../../src/shared/manifest';
import { REPOSITORY_ROOT } from '../host/services';
import { preinstalledTestModel } from './helpers';
import { openPhotoInViewer, startDepthSession, type DepthSession } from './session';

async function clickPhoto(page: Page, x: number, y: number): Promise<void> {
  const box = await page.getByTestId('viewer-photo').boundingBox();
  if (box === null) throw new Error('the photo is not on screen');
  await page.mouse.click(box.x + x * box.width, box.y + y * box.height);
}

/** A shown length in metres: “3.42 m” or “85.3 cm”. */
function metres(text: string): number {
  const match = /^(\d+(?:\.\d+)?) (m|cm)$/.exec(text.trim());
  if (match === null) throw new Error(`not a length: “${text}”`);
  return Number(match[1]) * (match[2] === 'cm' ? 0.01 : 1);
}

/** “2.35 m ± 18.0 cm” as value and band in metres. */
function valueAndBand(text: string): { value: number; band: number } {
  const [value, band] = text.split(' ± ');
  if (value === undefined || band === undefined) throw new Error(`no band in “${text}”`);
  return { value: metres(value), band: metres(band) };
}

describe('the ± band in Chromium: uncalibrated, calibrated, and a corrected camera', () => {
  let session: DepthSession;
  let modelFolder: string;
  let figures: { zeroShot: number; inDomain: number };

  beforeAll(async () => {
    const catalog = modelCatalogSchema.parse(JSON.parse(await readFile(path.join(REPOSITORY_ROOT, 'resources/models/catalog.json'), 'utf8')));
    const indoor = catalog.models.find((model) => model.id === 'zoed-n')?.relativeError;
    if (indoor?.inDomain === undefined) throw new Error('the catalog states no errors for zoed-n');
    figures = { zeroShot: indoor.value, inDomain: indoor.inDomain.value };
    modelFolder = await mkdtemp(path.join(os.tmpdir(), 'zoe-e2e-basis-model-'));
    const fixed = preinstalledTestModel('zoe-fixed');
    const manifest = { ...(JSON.parse(await readFile(fixed.manifestPath, 'utf8')) as object), id: 'zoe-paper-errors', title: 'Test model with the paper’s errors', relativeError: indoor };
    const manifestPath = path.join(modelFolder, 'zoe-paper-errors.json');
    await writeFile(manifestPath, JSON.stringify(manifest));
    session = await startDepthSession('basis', { 'DSCN0010.jpg': 'jpg/gps/DSCN0010.jpg' }, { modelPath: fixed.modelPath, manifestPath });
  });

  afterAll(async () => {
    await session?.close();
    if (modelFolder !== undefined) await rm(modelFolder, { recursive: true, force: true });
  });

  it('says uncalibrated with the zero-shot figure, calibrated and narrower after a known length, and keeps the reference length when the camera is corrected', async () => {
    const { app, side } = session;
    const page = app.page;
    const photoId = await openPhotoInViewer(page, 'DSCN0010.jpg');
    expect((await side.api.jobs.enqueue({ photoIds: [photoId], priority: 'now' })).ok).toBe(true);
    await expect.poll(() => page.getByTestId('measure-unavailable').count(), { timeout: 60_000 }).toBe(0);

    // A distance across the photo: its band is the zero-shot one, and the panel says so.
    await page.keyboard.press('m');
    await clickPhoto(page, 0.2, 0.55);
    await clickPhoto(page, 0.8, 0.55);
    const value = page.getByTestId('measurement-value').first();
    await expect.poll(() => value.innerText()).toMatch(/ ± /);
    const state = page.getByTestId('measure-band-state');
    await expect.poll(() => state.innerText()).toBe(`Uncalibrated ± ${(figures.zeroShot * 100).toFixed(1)} %`);
    expect(await page.getByTestId('measure-band-source').innerText()).toMatch(/2302\.12288.*Table 3/);
    const before = valueAndBand(await value.innerText());
    // Across the view the scale part dominates: the band is about the zero-shot share of the value.
    expect(before.band / before.value).toBeGreaterThan(figures.zeroShot * 0.95);

    // Calibrate on the same line, 2.00 m: the panel says calibrated, with a much smaller scale error.
    await page.keyboard.press('Escape');
    await page.keyboard.press('k');
    await clickPhoto(page, 0.2, 0.55);
    await clickPhoto(page, 0.8, 0.55);
    await page.getByLabel('Known length').fill('2.00 m');
    await page.getByLabel('Known length').press('Enter');
    await expect.poll(() => state.innerText()).toMatch(/^Calibrated ± \d+\.\d %$/);
    const calibratedScale = Number(/± (\d+\.\d) %/.exec(await state.innerText())?.[1]) / 100;
    // The reference's own error: its two ends at the in-domain error each, over its length (about
    // 0.7 of it across the view, more where the ends lie at different depths), far under the zero-shot figure.
    const basis = await side.api.measure.compute({ photoId });
    if (!basis.ok || basis.value.relativeError === null) throw new Error('no band basis');
    expect(basis.value.relativeError).toMatchObject({ state: 'calibrated', pointError: figures.inDomain });
    expect(Math.abs(basis.value.relativeError.value - calibratedScale)).toBeLessThanOrEqual(0.0005);
    expect(calibratedScale).toBeGreaterThan(figures.inDomain * 0.5);
    expect(calibratedScale).toBeLessThan(figures.zeroShot / 2);
    await expect.poll(async () => valueAndBand(await value.innerText()).value).toBeCloseTo(2, 2);
    const calibrated = valueAndBand(await value.innerText());
    expect(calibrated.band / calibrated.value).toBeLessThan((before.band / before.value) * 0.6);
    const factorBefore = Number(await page.getByTestId('calibration-factor').innerText());

    // Camera… → another lens → Apply: the line on the reference still reads 2.00 m, with a new factor.
    const focalBefore = await page.getByTestId('measure-focal-source').innerText();
    await page.getByRole('button', { name: 'Camera…' }).click();
    await page.getByLabel('Lens focal length in mm').fill('50');
    await page.getByLabel('Sensor width in mm').fill('36');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('measure-focal-source').innerText()).not.toBe(focalBefore);
    await expect.poll(async () => Number(await page.getByTestId('calibration-factor').innerText())).not.toBeCloseTo(factorBefore, 3);
    expect(valueAndBand(await value.innerText()).value).toBeCloseTo(2, 2);
    const listed = await side.api.measure.list({ photoId });
    const reference = listed.ok ? listed.value.calibration : null;
    if (reference === null) throw new Error('no calibration kept');
    const line = await side.api.measure.compute({ photoId, measurements: [{ kind: 'distance', points: [reference.from, reference.to] }] });
    if (!line.ok || line.value.results[0]?.ok !== true) throw new Error('no value for the reference line');
    expect(line.value.results[0].value).toBeCloseTo(2, 9);
    expect(Number(await page.getByTestId('calibration-factor').innerText())).toBeCloseTo(line.value.calibrationFactor, 4);
    expect(app.problems()).toEqual([]);
  });
});
