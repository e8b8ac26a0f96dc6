/**
 * The info panel in Chromium through the test host, on real camera photos: every value it shows
 * is checked against exiftool's reading of the same file (and the focal length in pixels against
 * the camera `measure.intrinsics` reports), and a star clicked in it lands in an XMP side-car that
 * exiftool reads, with the photo left untouched.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exiftoolJson } from '../helpers/readers/exiftool';
import { screenshot } from './helpers';
import { startDepthSession, type DepthSession } from './session';

describe('info panel', () => {
  let session: DepthSession;

  beforeAll(async () => {
    session = await startDepthSession('metadata', { 'DSCN0010.jpg': 'jpg/gps/DSCN0010.jpg', 'jolla.jpg': 'jpg/mobile/jolla.jpg', 'no_exif.jpg': 'jpg/xmp/no_exif.jpg' });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows camera, lens, focal length and its source, exposure, date, GPS and file as exiftool reads them', async () => {
    const { app, folder, side } = session;
    const page = app.page;
    const photo = path.join(folder, 'DSCN0010.jpg');
    const photoBefore = createHash('sha256').update(await readFile(photo)).digest('hex');
    await page.getByRole('button', { name: 'Open folder…' }).first().click();
    const tile = page.locator('[role="gridcell"]', { hasText: 'DSCN0010.jpg' });
    await tile.click();
    await page.keyboard.press('i');
    const panel = page.getByTestId('info-panel');
    await panel.getByTestId('meta-camera').waitFor();

    const exif = await exiftoolJson(photo, ['-n', '-Make', '-Model', '-FocalLength', '-FocalLengthIn35mmFormat', '-ExposureTime', '-FNumber', '-ISO', '-ExposureCompensation', '-DateTimeOriginal', '-GPSLatitude', '-GPSLongitude', '-ImageWidth', '-ImageHeight']);
    const text = (id: string): Promise<string> => panel.getByTestId(id).innerText();
    expect(await text('meta-camera')).toBe(`${String(exif.Make)} ${String(exif.Model)}`);
    expect(await text('meta-focal')).toBe(`${Number(exif.FocalLength)} mm (${Number(exif.FocalLengthIn35mmFormat)} mm in 35 mm terms)`);
    expect(await text('meta-exposure')).toBe(`1/${Math.round(1 / Number(exif.ExposureTime))} s · f/${Number(exif.FNumber)} · ISO ${Number(exif.ISO)} · 0 EV`);
    const [date, time] = String(exif.DateTimeOriginal).split(' ') as [string, string];
    const [year, month, day] = date.split(':').map(Number) as [number, number, number];
    const monthName = new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
    expect(await text('meta-date')).toBe(`${day} ${monthName} ${year}, ${time}`);
    expect(await text('meta-gps')).toBe(`${Number(exif.GPSLatitude).toFixed(5)}° N, ${Number(exif.GPSLongitude).toFixed(5)}° E`);
    expect(await text('meta-file')).toBe('DSCN0010.jpg');
    expect(await text('meta-size')).toBe(`${Math.round((await stat(photo)).size / 1000)} KB`);
    const megapixels = ((Number(exif.ImageWidth) * Number(exif.ImageHeight)) / 1e6).toFixed(1);
    expect(await text('meta-dimensions')).toBe(`${Number(exif.ImageWidth)} × ${Number(exif.ImageHeight)} (${megapixels} MP)`);
    expect(await text('meta-format')).toBe('JPEG');
    // The focal length measurements use: the same camera the measuring tools get.
    const camera = await side.api.measure.intrinsics({ photoId: (await tile.getAttribute('data-photo-id')) ?? '' });
    if (!camera.ok) throw new Error(camera.error.message);
    expect(camera.value.source).toBe('focal-length-35mm');
    expect(await text('meta-focal-source')).toBe(`${Math.round(camera.value.fx)} px, from the EXIF 35 mm equivalent`);
    expect(await panel.getByTestId('meta-focal-source').getAttribute('title')).toBe(camera.value.sourceDescription);
    await screenshot(page, 'info-panel');

    // A photo without EXIF: only what the file says; no empty rows.
    await page.locator('[role="gridcell"]', { hasText: 'no_exif.jpg' }).click();
    await expect.poll(() => text('meta-file')).toBe('no_exif.jpg');
    expect(await panel.getByTestId('meta-camera').count()).toBe(0);
    expect(await panel.getByTestId('meta-exposure').count()).toBe(0);
    expect(await text('meta-focal-source')).toMatch(/px, from the default field of view/);

    // In the viewer it follows the photo on screen; a star clicked there goes into a side-car.
    await tile.dblclick();
    await page.getByTestId('viewer-photo').waitFor();
    await expect.poll(() => text('meta-file')).toBe('DSCN0010.jpg');
    await panel.getByRole('radio', { name: '4 stars' }).click();
    await expect.poll(() => panel.getByTestId('meta-sidecars').count()).toBe(1);
    expect(await panel.getByTestId('meta-sidecars').innerText()).toBe('Rating kept in DSCN0010.xmp');
    expect(await exiftoolJson(path.join(folder, 'DSCN0010.xmp'), ['-XMP-xmp:Rating'])).toMatchObject({ Rating: 4 });
    expect(await panel.getByRole('radio', { name: '4 stars' }).getAttribute('aria-checked')).toBe('true');
    expect(createHash('sha256').update(await readFile(photo)).digest('hex')).toBe(photoBefore);

    await page.getByTestId('info-toggle').click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(app.problems()).toEqual([]);
  }, 90_000);
});
