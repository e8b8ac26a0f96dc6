/**
 * Measuring in Chromium through the test host, on a real photo with depth from a generated test
 * model: a distance drawn with two clicks, undone and redone, a handle moved, a calibration with a
 * known length rescaling the value by the factor shown, and the CSV export read back from disk.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './helpers';
import { openPhotoInViewer, startDepthSession, type DepthSession } from './session';

/** A value is shown to the centimetre above 1 m (and to the millimetre below): half of that, read back. */
const SHOWN = 0.0051;

/** Where a fraction of the photo's width and height is on screen. */
async function onPhoto(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId('viewer-photo').boundingBox();
  if (box === null) throw new Error('the photo is not on screen');
  return { x: box.x + x * box.width, y: box.y + y * box.height };
}

/** Lets the page handle what it was sent and draw twice. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(null))))');
}

async function clickPhoto(page: Page, x: number, y: number): Promise<void> {
  const point = await onPhoto(page, x, y);
  await page.mouse.click(point.x, point.y);
}

/** The number at the start of a shown value, in metres: “3.42 m” or “85.3 cm”. */
function metresIn(text: string): number {
  const match = /^(-?\d+(?:\.\d+)?) (m|cm)\b/.exec(text.trim());
  if (match === null) throw new Error(`not a length in metres: “${text}”`);
  return Number(match[1]) * (match[2] === 'cm' ? 0.01 : 1);
}

/** Half the last digit shown of a length (“10.3 m” ±0.05 m, “5.32 m” ±0.005 m, “85.3 cm” ±0.0005 m). */
function roundingOf(text: string): number {
  const match = /^-?\d+(?:\.(\d+))? (m|cm)\b/.exec(text.trim());
  if (match === null) throw new Error(`not a length in metres: “${text}”`);
  return 0.5 * 10 ** -(match[1]?.length ?? 0) * (match[2] === 'cm' ? 0.01 : 1);
}

/** A minimal RFC 4180 reader (no line breaks inside fields, which this export never writes for one distance). */
function parseCsv(text: string): Record<string, string>[] {
  const rows = text
    .split(/\r\n/)
    .filter((line) => line !== '')
    .map((line) => {
      const fields: string[] = [];
      let field = '';
      let quoted = false;
      for (let index = 0; index < line.length; index += 1) {
        const character = line[index] ?? '';
        if (quoted) {
          if (character === '"' && line[index + 1] === '"') {
            field += '"';
            index += 1;
          } else if (character === '"') quoted = false;
          else field += character;
        } else if (character === '"') quoted = true;
        else if (character === ',') {
          fields.push(field);
          field = '';
        } else field += character;
      }
      fields.push(field);
      return fields;
    });
  const [header, ...body] = rows;
  if (header === undefined) return [];
  return body.map((fields) => Object.fromEntries(header.map((name, index) => [name, fields[index] ?? ''])));
}

describe('measuring on a photo in Chromium', () => {
  let session: DepthSession;
  let outputFolder: string;

  beforeAll(async () => {
    session = await startDepthSession('measure', { 'DSCN0010.jpg': 'jpg/gps/DSCN0010.jpg' });
    outputFolder = path.join(session.folder, 'exports');
    await mkdir(outputFolder);
    session.host.services.setNextOutputFolder(outputFolder);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('measures a distance with two clicks, calibrates it and exports the CSV', async () => {
    const { app, side } = session;
    const page = app.page;
    const photoId = await openPhotoInViewer(page, 'DSCN0010.jpg');

    // Before any depth, the panel says why there are no values.
    await expect.poll(() => page.getByTestId('measure-unavailable').innerText()).toMatch(/depth/i);
    const enqueued = await side.api.jobs.enqueue({ photoIds: [photoId], priority: 'now' });
    expect(enqueued.ok).toBe(true);
    await expect.poll(() => page.getByTestId('measure-unavailable').count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('measure-focal-source').innerText()).toMatch(/Focal length: \d+ mm/);

    const camera = await side.api.measure.intrinsics({ photoId });
    if (!camera.ok) throw new Error(camera.error.message);
    const { width, height } = camera.value;

    // M, then two clicks: a distance, kept with the photo at the pixels clicked.
    await page.keyboard.press('m');
    await expect.poll(() => page.locator('[data-tool="distance"]').getAttribute('aria-pressed')).toBe('true');
    await clickPhoto(page, 0.2, 0.7);
    await clickPhoto(page, 0.8, 0.65);
    const values = page.getByTestId('measurement-value');
    await expect.poll(() => values.count()).toBe(1);
    await expect.poll(() => values.first().innerText()).toMatch(/^\d+\.\d+ c?m$/);
    const kept = await side.api.measure.list({ photoId });
    if (!kept.ok) throw new Error(kept.error.message);
    const [distance] = kept.value.measurements;
    expect(distance?.kind).toBe('distance');
    const [from, to] = distance?.points ?? [];
    // Each point is the pixel under the click (a screen pixel covers a few photo pixels here).
    const tolerance = (width / ((await page.getByTestId('viewer-photo').boundingBox())?.width ?? width)) + 1;
    expect(Math.abs((from?.u ?? 0) - 0.2 * width)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs((from?.v ?? 0) - 0.7 * height)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs((to?.u ?? 0) - 0.8 * width)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs((to?.v ?? 0) - 0.65 * height)).toBeLessThanOrEqual(tolerance);
    const computed = await side.api.measure.compute({ photoId });
    if (!computed.ok || computed.value.results[0]?.ok !== true) throw new Error('no value for the distance');
    const before = computed.value.results[0].value;
    expect(Math.abs(metresIn(await values.first().innerText()) - before)).toBeLessThanOrEqual(SHOWN);

    // Undo takes it away, redo brings it back.
    await page.keyboard.press('Control+z');
    await expect.poll(() => values.count()).toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => values.count()).toBe(1);
    await expect.poll(async () => Math.abs(metresIn(await values.first().innerText()) - before)).toBeLessThanOrEqual(SHOWN);

    // Drag the second handle: the point moves to the pixel it is dropped on and the value follows.
    const handle = await onPhoto(page, 0.8, 0.65);
    const dropped = await onPhoto(page, 0.6, 0.5);
    await page.mouse.move(handle.x, handle.y);
    await page.mouse.down();
    await page.mouse.move((handle.x + dropped.x) / 2, (handle.y + dropped.y) / 2, { steps: 4 });
    await page.mouse.move(dropped.x, dropped.y, { steps: 4 });
    await page.mouse.up();
    const movedPoint = async (): Promise<{ u: number; v: number } | undefined> => {
      const listed = await side.api.measure.list({ photoId });
      return listed.ok ? listed.value.measurements[0]?.points[1] : undefined;
    };
    await expect.poll(async () => Math.abs(((await movedPoint())?.u ?? 0) - 0.6 * width)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(((await movedPoint())?.v ?? 0) - 0.5 * height)).toBeLessThanOrEqual(tolerance);
    const afterMove = await side.api.measure.compute({ photoId });
    if (!afterMove.ok || afterMove.value.results[0]?.ok !== true) throw new Error('no value after the move');
    const movedValue = afterMove.value.results[0].value;
    expect(movedValue).not.toBeCloseTo(before, 3);
    await expect.poll(async () => Math.abs(metresIn(await values.first().innerText()) - movedValue)).toBeLessThanOrEqual(SHOWN);
    // Undo puts the point back where it was.
    await page.keyboard.press('Control+z');
    await expect.poll(async () => Math.abs(metresIn(await values.first().innerText()) - before)).toBeLessThanOrEqual(SHOWN);

    // The depth panel's automatic range before calibrating (depth shown over the photo).
    const depthButton = page.getByTestId('toggle-depth');
    await depthButton.click();
    const nearInput = page.getByLabel('Nearest depth in m');
    const farInput = page.getByLabel('Farthest depth in m');
    await nearInput.waitFor();
    const rawNear = Number(await nearInput.inputValue());
    const rawFar = Number(await farInput.inputValue());
    expect(rawNear).toBeGreaterThan(0);
    expect(rawFar).toBeGreaterThan(rawNear);
    expect(await page.getByTestId('depth-calibration').count()).toBe(0);

    // The depth under the cursor before calibrating, at the middle of the photo.
    const middle = await onPhoto(page, 0.5, 0.45);
    const readout = page.getByTestId('depth-readout');
    await page.mouse.move(middle.x, middle.y);
    await expect.poll(() => readout.innerText()).toMatch(/^\d+\.\d+ c?m$/);
    await nextFrames(page);
    const rawDepthText = await readout.innerText();
    const rawDepth = metresIn(rawDepthText);
    const rawDepthRounding = roundingOf(rawDepthText);

    // Calibrate on another line, known to be 2.00 m long: the distance rescales by the factor shown.
    await page.keyboard.press('k');
    await clickPhoto(page, 0.3, 0.3);
    await clickPhoto(page, 0.3, 0.8);
    await page.getByLabel('Known length').fill('2.00 m');
    await page.getByLabel('Known length').press('Enter');
    const factorText = page.getByTestId('calibration-factor');
    await factorText.waitFor();
    const factor = Number(await factorText.innerText());
    const stored = await side.api.measure.list({ photoId });
    const reference = stored.ok ? stored.value.calibration : null;
    if (reference === null) throw new Error('no calibration kept');
    expect(Math.abs(reference.from.u - 0.3 * width)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(reference.to.v - 0.8 * height)).toBeLessThanOrEqual(tolerance);
    expect(reference.knownLengthMetres).toBe(2);
    // The factor is the known length over the reference line's length on the model's depth, worked out apart.
    const referenceLine = await side.api.measure.compute({ photoId, measurements: [{ kind: 'distance', points: [reference.from, reference.to] }] });
    if (!referenceLine.ok || referenceLine.value.results[0]?.ok !== true) throw new Error('no value for the reference line');
    // Calibrated, the reference line is as long as the photographer said.
    expect(referenceLine.value.results[0].value).toBeCloseTo(2, 6);
    expect(factor).not.toBeCloseTo(1, 2);
    // The depth read under the cursor rescales by the same factor.
    await page.mouse.move(middle.x + 1, middle.y);
    await page.mouse.move(middle.x, middle.y);
    await nextFrames(page);
    const calibratedDepthText = await readout.innerText();
    expect(Math.abs(metresIn(calibratedDepthText) - rawDepth * factor)).toBeLessThanOrEqual(roundingOf(calibratedDepthText) + rawDepthRounding * factor + 1e-9);
    // The depth panel's range numbers rescale by the factor too (shown to 2 decimals), and it names the factor.
    await expect.poll(async () => Math.abs(Number(await farInput.inputValue()) - rawFar * factor)).toBeLessThanOrEqual(0.005 + 0.005 * factor + rawFar * 0.00005 + 1e-9);
    expect(Math.abs(Number(await nearInput.inputValue()) - rawNear * factor)).toBeLessThanOrEqual(0.005 + 0.005 * factor + rawFar * 0.00005 + 1e-9);
    expect(await page.getByTestId('depth-calibration').innerText()).toContain(`×${factor.toFixed(4)}`);
    await screenshot(page, 'depth-calibrated');
    await depthButton.click();
    await expect.poll(() => nearInput.count()).toBe(0);
    const calibrated = await side.api.measure.compute({ photoId });
    if (!calibrated.ok || calibrated.value.results[0]?.ok !== true) throw new Error('no calibrated value');
    const calibratedValue = calibrated.value.results[0].value;
    await expect.poll(async () => Math.abs(metresIn(await values.first().innerText()) - calibratedValue)).toBeLessThanOrEqual(SHOWN);
    expect(Math.abs(calibrated.value.calibrationFactor - factor)).toBeLessThanOrEqual(0.00005);
    expect(calibrated.value.results[0].value).toBeCloseTo(before * calibrated.value.calibrationFactor, 6);

    // CSV into the chosen folder, read back from disk.
    await page.getByRole('button', { name: 'CSV…' }).click();
    await expect.poll(() => page.getByTestId('measure-notice').innerText()).toContain('.csv');
    const [csvName] = (await readdir(outputFolder)).filter((name) => name.endsWith('.csv'));
    if (csvName === undefined) throw new Error('no CSV written');
    const rows = parseCsv(await readFile(path.join(outputFolder, csvName), 'utf8'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.kind).toBe('distance');
    expect(rows[0]?.unit).toBe('m');
    expect(Number(rows[0]?.value)).toBeCloseTo(calibrated.value.results[0].value, 9);
    expect(Number(rows[0]?.calibration_factor)).toBeCloseTo(calibrated.value.calibrationFactor, 9);

    // The annotated photo: upright, full size, into the same folder.
    await page.getByRole('button', { name: 'Annotated image…' }).click();
    await expect.poll(() => page.getByTestId('measure-notice').innerText()).toContain('.jpg');
    const [annotatedName] = (await readdir(outputFolder)).filter((name) => name.endsWith('.jpg'));
    if (annotatedName === undefined) throw new Error('no annotated image written');
    const annotated = await sharp(path.join(outputFolder, annotatedName)).metadata();
    expect([annotated.width, annotated.height]).toEqual([width, height]);

    // An area (four corners, Enter) and an angle (three clicks) beside the distance, for the picture.
    await page.keyboard.press('a');
    for (const [x, y] of [[0.4, 0.4], [0.55, 0.4], [0.55, 0.55], [0.4, 0.55]] as const) await clickPhoto(page, x, y);
    await page.keyboard.press('Enter');
    await page.keyboard.press('g');
    for (const [x, y] of [[0.55, 0.15], [0.7, 0.3], [0.9, 0.2]] as const) await clickPhoto(page, x, y);
    await expect.poll(() => values.count()).toBe(3);
    await expect.poll(() => values.nth(1).innerText()).toMatch(/ (m|cm)²$/);
    await expect.poll(() => values.nth(2).innerText()).toMatch(/^\d+\.\d°$/);
    await page.keyboard.press('Escape'); // puts the tool down; the viewer stays
    await expect.poll(() => page.getByTestId('viewer-photo').count()).toBe(1);
    await page.mouse.move(10, 790);
    await screenshot(page, 'measure');

    // Reset: back to the model's own scale.
    await page.getByRole('button', { name: 'Reset calibration' }).click();
    await expect.poll(() => factorText.count()).toBe(0);
    await expect.poll(async () => Math.abs(metresIn(await values.first().innerText()) - before)).toBeLessThanOrEqual(SHOWN);
    // Zoomed in, a click still lands on the photo pixel under it, and its handle is drawn right there.
    for (let press = 0; press < 3; press += 1) await page.keyboard.press('+');
    await page.keyboard.press('p');
    const zoomedBox = await page.getByTestId('viewer-photo').boundingBox();
    if (zoomedBox === null) throw new Error('the photo is not on screen');
    // 1.25³ ≈ 1.95 times the fitted size (the 640 px wide photo fitted 835 px wide in this window).
    expect(zoomedBox.width).toBeGreaterThan(1.9 * ((await page.locator('.stage').boundingBox())?.width ?? 0) * 0.8);
    const target = { x: zoomedBox.x + 0.45 * zoomedBox.width, y: zoomedBox.y + 0.55 * zoomedBox.height };
    await page.mouse.click(target.x, target.y);
    await expect.poll(() => values.count()).toBe(4);
    const listedAfterZoom = await side.api.measure.list({ photoId });
    const pointDepth = listedAfterZoom.ok ? listedAfterZoom.value.measurements[3] : undefined;
    expect(pointDepth?.kind).toBe('point-depth');
    const zoomedTolerance = width / zoomedBox.width + 1;
    expect(Math.abs((pointDepth?.points[0]?.u ?? 0) - 0.45 * width)).toBeLessThanOrEqual(zoomedTolerance);
    expect(Math.abs((pointDepth?.points[0]?.v ?? 0) - 0.55 * height)).toBeLessThanOrEqual(zoomedTolerance);
    const handleBox = await page.locator(`[data-measurement-id="${pointDepth?.id ?? ''}"] circle.handle`).boundingBox();
    if (handleBox === null) throw new Error('no handle drawn for the point');
    expect(Math.abs(handleBox.x + handleBox.width / 2 - target.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(handleBox.y + handleBox.height / 2 - target.y)).toBeLessThanOrEqual(2);
    await page.keyboard.press('Escape');
    await page.keyboard.press('0');

    // Worked out on the model's own depth, the reference line is 2.00 m divided by the factor.
    const uncalibrated = await side.api.measure.compute({ photoId, measurements: [{ kind: 'distance', points: [reference.from, reference.to] }] });
    if (!uncalibrated.ok || uncalibrated.value.results[0]?.ok !== true) throw new Error('no value for the reference line');
    expect(uncalibrated.value.calibrationFactor).toBe(1);
    expect(uncalibrated.value.results[0].value * calibrated.value.calibrationFactor).toBeCloseTo(2, 6);
    expect(app.problems()).toEqual([]);
  });
});
