import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rename, symlink, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FolderListing, RecentFolder, ZoeEvents } from '../../../src/shared/api';
import type { ThumbnailOutcome } from '../../../src/shared/thumbnails';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createHandlerTable } from '../../../src/main/ipc/table';
import { scanFolder } from '../../../src/main/library/scan';
import { makeTestHost, waitFor, type TestHost } from './test-services';

const PHOTOS = path.resolve('tests/fixtures/photos');

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'zoe-library-'));
});
afterAll(() => {
  // `rm -rf` copes with the over-long path below, which fs.rm cannot always reach.
  execFileSync('rm', ['-rf', root]);
});

/** A folder of real fixture photos, a subfolder, a text file and a symbolic link loop. */
async function makePhotoFolder(name: string): Promise<string> {
  const folder = path.join(root, name);
  await mkdir(path.join(folder, 'day 2'), { recursive: true });
  await copyFile(path.join(PHOTOS, 'jpg/orientation/landscape_6.jpg'), path.join(folder, 'IMG_0002.jpg'));
  await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0010.jpg'), path.join(folder, 'IMG_0010.JPG'));
  await copyFile(path.join(PHOTOS, 'heic/IMG_5195.HEIC'), path.join(folder, 'IMG_5195.HEIC'));
  await copyFile(path.join(PHOTOS, 'tiff/BSG1.tiff'), path.join(folder, 'day 2', 'scan.tiff'));
  await copyFile(path.join(PHOTOS, 'README.md'), path.join(folder, 'notes.md'));
  await symlink(folder, path.join(folder, 'day 2', 'loop'));
  await symlink('..', path.join(folder, 'day 2', 'up'));
  return folder;
}

describe('scanning a folder', () => {
  it('lists photos by kind, in natural order, and survives symbolic link loops', async () => {
    const folder = await makePhotoFolder('scan');
    const flat = await scanFolder(folder, false);
    expect(flat.photos.map((photo) => photo.relativePath)).toEqual(['IMG_0002.jpg', 'IMG_0010.JPG', 'IMG_5195.HEIC']);
    const deep = await scanFolder(folder, true);
    expect(deep.photos.map((photo) => photo.relativePath)).toEqual(['day 2/scan.tiff', 'IMG_0002.jpg', 'IMG_0010.JPG', 'IMG_5195.HEIC']);
    expect(deep.unreadableFolders).toEqual([]);
    expect(new Set(deep.photos.map((photo) => photo.id)).size).toBe(4);
  });

  it('reports a subfolder it cannot open and keeps the rest', async () => {
    // Tests run as root, for whom chmod 000 does not stop reading; a folder whose path exceeds
    // PATH_MAX cannot be opened by anyone (ENAMETOOLONG), so it stands in for an unreadable one.
    const folder = await makePhotoFolder('unreadable');
    const segment = 'x'.repeat(200);
    const script = `cd "$1" && for i in $(seq 1 24); do mkdir "${segment}" && cd "${segment}"; done`;
    execFileSync('bash', ['-c', script, 'make-deep', folder]);
    const scan = await scanFolder(folder, true);
    expect(scan.photos).toHaveLength(4);
    expect(scan.unreadableFolders).toHaveLength(1);
    expect(scan.unreadableFolders[0]?.length).toBeGreaterThan(4096 - folder.length - 250);

    // Opening it (which also starts watching it, subfolders included) survives it too.
    const host = await makeTestHost();
    const table = createHandlerTable(host.services);
    host.nextFolder = folder;
    const opened = await dispatch(table, 'library.openFolder', { recursive: true });
    expect(opened).toMatchObject({ ok: true, value: { photos: expect.any(Array), unreadableFolders: [expect.any(String)] } });
    await table.dispose();
  });
});

describe('library handlers', () => {
  let host: TestHost;
  afterEach(async () => {
    // Close the watcher of the open folder by opening an empty one.
    const empty = path.join(root, `empty-${Date.now()}`);
    await mkdir(empty);
    host.nextFolder = empty;
    await dispatch(createHandlerTable(host.services), 'library.openFolder', undefined);
  });

  it('opens a folder from the chooser, remembers it, and reopens it by id only', async () => {
    host = await makeTestHost();
    const table = createHandlerTable(host.services);
    const folder = await makePhotoFolder('recent');
    host.nextFolder = null;
    expect(await dispatch(table, 'library.openFolder', undefined)).toEqual({ ok: true, value: null });

    host.nextFolder = folder;
    const opened = await dispatch(table, 'library.openFolder', { recursive: true });
    expect(opened.ok).toBe(true);
    const listing = (opened as { value: FolderListing }).value;
    expect(listing.photos).toHaveLength(4);
    expect(JSON.stringify(listing.photos)).not.toContain(root);

    // A new session (new handler table, same data folder) finds the folder in the recent list.
    const nextSession = createHandlerTable(host.services);
    const recents = await dispatch(nextSession, 'library.recentFolders', undefined);
    const list = (recents as { value: RecentFolder[] }).value;
    expect(list.map((recent) => recent.name)).toEqual(['recent']);
    const reopened = await dispatch(nextSession, 'library.openRecent', { folderId: list[0]?.folderId });
    expect((reopened as { value: FolderListing }).value.photos.map((photo) => photo.id)).toEqual(listing.photos.map((photo) => photo.id));

    expect(await dispatch(nextSession, 'library.openRecent', { folderId: 'not-a-folder' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch(nextSession, 'library.openRecent', { path: folder })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('reports photos added, removed and renamed while the folder is open', async () => {
    host = await makeTestHost();
    const table = createHandlerTable(host.services);
    const folder = await makePhotoFolder('live');
    host.nextFolder = folder;
    const listing = ((await dispatch(table, 'library.openFolder', { recursive: true })) as { value: FolderListing }).value;
    const changes = (): ZoeEvents['library.changed'][] =>
      host.events.filter((event) => event.event === 'library.changed').map((event) => event.payload as ZoeEvents['library.changed']);

    await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0027.jpg'), path.join(folder, 'day 2', 'IMG_0027.jpg'));
    await waitFor(() => changes().some((change) => change.added.some((photo) => photo.name === 'IMG_0027.jpg')));
    const added = changes().flatMap((change) => change.added).find((photo) => photo.name === 'IMG_0027.jpg');
    expect(added?.relativePath).toBe('day 2/IMG_0027.jpg');
    expect(changes().every((change) => change.folderId === listing.folderId)).toBe(true);

    // A photo that appeared is usable at once: its thumbnail can be asked for by id.
    const thumbnails = await dispatch(table, 'thumbnails.get', { photoIds: [added?.id ?? ''] });
    expect((thumbnails as { value: ThumbnailOutcome[] }).value[0]).toMatchObject({ ok: true, source: 'embedded' });

    const removedId = listing.photos.find((photo) => photo.name === 'IMG_0010.JPG')?.id;
    await unlink(path.join(folder, 'IMG_0010.JPG'));
    await waitFor(() => changes().some((change) => change.removed.includes(removedId ?? '')));

    const renamedId = listing.photos.find((photo) => photo.name === 'IMG_0002.jpg')?.id;
    await rename(path.join(folder, 'IMG_0002.jpg'), path.join(folder, 'IMG_0002-keeper.jpg'));
    await waitFor(
      () =>
        changes().some((change) => change.removed.includes(renamedId ?? '')) &&
        changes().some((change) => change.added.some((photo) => photo.name === 'IMG_0002-keeper.jpg'))
    );
    // Text files never show up.
    await copyFile(path.join(PHOTOS, 'README.md'), path.join(folder, 'more-notes.md'));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(changes().flatMap((change) => change.added).some((photo) => photo.name.endsWith('.md'))).toBe(false);
    // The removed photo is no longer reachable by id.
    expect(await dispatch(table, 'thumbnails.preview', { photoId: removedId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('gives each photo a thumbnail URL or the reason it has none', async () => {
    host = await makeTestHost();
    const table = createHandlerTable(host.services);
    const folder = await makePhotoFolder('thumbs');
    host.nextFolder = folder;
    const listing = ((await dispatch(table, 'library.openFolder', { recursive: false })) as { value: FolderListing }).value;
    const result = await dispatch(table, 'thumbnails.get', { photoIds: listing.photos.map((photo) => photo.id) });
    const outcomes = (result as { value: ThumbnailOutcome[] }).value;
    const byName = new Map(outcomes.map((outcome, index) => [listing.photos[index]?.name, outcome]));
    const heic = byName.get('IMG_5195.HEIC');
    expect(heic).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_IMAGE', message: expect.stringContaining('HEVC') } });
    const jpeg = byName.get('IMG_0002.jpg');
    expect(jpeg?.ok).toBe(true);
    if (jpeg?.ok !== true) return;
    expect(jpeg.url).toMatch(/^http:\/\/127\.0\.0\.1\/resource\/thumbnail\/[0-9a-f]{40}$/);
    const provider = host.services.resources.lookup('thumbnail', jpeg.url.split('/').pop() ?? '');
    const body = await provider?.();
    expect(body?.mimeType).toBe('image/jpeg');
    expect(body?.body.subarray(0, 2).toString('hex')).toBe('ffd8');

    // landscape_6 is stored as a 450×600 portrait with orientation 6: the preview is the upright landscape.
    const preview = await dispatch(table, 'thumbnails.preview', { photoId: jpeg.photoId });
    expect(preview).toMatchObject({ ok: true, value: { width: 600, height: 450, source: 'resized' } });
  });
});

describe('settings', () => {
  it('are saved in the data folder, survive a restart, and reject invalid values', async () => {
    const host = await makeTestHost();
    const table = createHandlerTable(host.services);
    expect(await dispatch(table, 'settings.get', undefined)).toMatchObject({ ok: true, value: { units: 'metres', device: 'auto', flip: true } });
    expect(await dispatch(table, 'settings.set', { units: 'feet', flip: false })).toMatchObject({ ok: true, value: { units: 'feet', flip: false, device: 'auto' } });
    expect(await dispatch(table, 'settings.set', { units: 'cubits' })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const restarted = createHandlerTable(host.services);
    expect(await dispatch(restarted, 'settings.get', undefined)).toMatchObject({ ok: true, value: { units: 'feet', flip: false, pad: true } });
  });
});
