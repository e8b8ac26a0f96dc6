/**
 * Ratings, flags and colour labels through the real handler table on real photos: side-cars read
 * back by exiftool with the values Lightroom and darktable use, a darktable side-car keeping all
 * its other content, the photo's own XMP read, RAW+JPEG pairs never sharing a side-car, and the
 * originals never touched.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FolderListing, PhotoSummary, PhotoTagsOutcome, RequestOf } from '../../../src/shared/api';
import { dispatch } from '../../../src/main/ipc/dispatch';
import { createHandlerTable, type HostHandlerTable } from '../../../src/main/ipc/table';
import { exiftoolJson } from '../../helpers/readers/exiftool';
import { testTool } from '../../tools/find';
import { makeTestHost, type TestHost } from '../library/test-services';

const run = promisify(execFile);
const PHOTOS = path.resolve('tests/fixtures/photos');

/** A darktable 4.x side-car as darktable writes it: its own namespace, an edit history, colour labels. */
const DARKTABLE_SIDECAR = `<?xml version="1.0" encoding="UTF-8"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:darktable="http://darktable.sf.net/"
   exif:DateTimeOriginal="2008:10:22 16:28:39"
   xmp:Rating="1"
   xmpMM:DerivedFrom="IMG_7.CR2"
   darktable:import_timestamp="63842112000000000"
   darktable:xmp_version="5"
   darktable:raw_params="0"
   darktable:auto_presets_applied="1"
   darktable:history_end="2"
   darktable:iop_order_version="4">
   <darktable:colorlabels>
    <rdf:Seq>
     <rdf:li>2</rdf:li>
    </rdf:Seq>
   </darktable:colorlabels>
   <darktable:history>
    <rdf:Seq>
     <rdf:li darktable:num="0" darktable:operation="exposure" darktable:enabled="1" darktable:modversion="6" darktable:params="0000000000000000000080c0" darktable:multi_name="" darktable:multi_priority="0"/>
     <rdf:li darktable:num="1" darktable:operation="filmicrgb" darktable:enabled="1" darktable:modversion="7" darktable:params="gz11eJxjYGBgYAFiCQYYOOHEgAZY0QVQAAA=" darktable:multi_name="" darktable:multi_priority="0"/>
    </rdf:Seq>
   </darktable:history>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;

let root = '';
let host: TestHost;
let table: HostHandlerTable;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'zoe-sidecars-'));
  host = await makeTestHost();
  table = createHandlerTable(host.services);
});
afterAll(async () => {
  await table.dispose();
  await rm(root, { recursive: true, force: true });
  await rm(host.services.dataDir, { recursive: true, force: true });
});

async function call<T>(method: Parameters<typeof dispatch>[1], request: unknown): Promise<T> {
  const result = await dispatch(table, method, request);
  if (!result.ok) throw new Error(`${method}: ${result.error.message} ${result.error.detail ?? ''}`);
  return result.value as T;
}

/** Opens `folder` through the chooser and returns photo ids by file name. */
async function open(folder: string): Promise<Record<string, string>> {
  host.nextFolder = folder;
  const listing = await call<FolderListing>('library.openFolder', {});
  return Object.fromEntries(listing.photos.map((photo) => [photo.name, photo.id]));
}

async function setTags(request: RequestOf<'photos.setTags'>): Promise<PhotoTagsOutcome[]> {
  return call<PhotoTagsOutcome[]>('photos.setTags', request);
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** Every XMP tag exiftool reads from a side-car, by group and name. */
async function xmpTags(file: string): Promise<Record<string, unknown>> {
  const tags = await exiftoolJson(file, ['-G1', '-XMP:all']);
  delete tags.SourceFile;
  return tags;
}

describe('XMP side-cars', () => {
  it('writes stars, pick/reject and a colour label into a new IMG.xmp that exiftool reads, and never touches the photo', async () => {
    const folder = path.join(root, 'new');
    await mkdir(folder);
    await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0010.jpg'), path.join(folder, 'DSCN0010.jpg'));
    const before = await sha256(path.join(folder, 'DSCN0010.jpg'));
    const ids = await open(folder);
    const id = ids['DSCN0010.jpg'] as string;
    const sidecar = path.join(folder, 'DSCN0010.xmp');

    const [rated] = await setTags({ photoIds: [id], rating: 3 });
    expect(rated).toEqual({ photoId: id, ok: true, tags: { rating: 3, flag: 'none', label: null, sidecars: ['DSCN0010.xmp'] } });
    expect(await xmpTags(sidecar)).toMatchObject({ 'XMP-xmp:Rating': 3 });

    await setTags({ photoIds: [id], flag: 'pick', label: 'Red' });
    const picked = await xmpTags(sidecar);
    expect(picked).toMatchObject({ 'XMP-xmp:Rating': 3, 'XMP-xmpDM:Pick': 1, 'XMP-xmpDM:Good': true, 'XMP-xmp:Label': 'Red' });

    const [rejected] = await setTags({ photoIds: [id], flag: 'reject' });
    expect(rejected?.ok === true && rejected.tags).toMatchObject({ rating: 0, flag: 'reject', label: 'Red' });
    expect(await xmpTags(sidecar)).toMatchObject({ 'XMP-xmp:Rating': -1, 'XMP-xmpDM:Pick': -1, 'XMP-xmpDM:Good': false });

    // Stars on a rejected photo take the reject away, as in Lightroom; no label removes it.
    const [unrejected] = await setTags({ photoIds: [id], rating: 5, label: null });
    expect(unrejected?.ok === true && unrejected.tags).toMatchObject({ rating: 5, flag: 'none', label: null });
    const cleared = await xmpTags(sidecar);
    expect(cleared['XMP-xmp:Rating']).toBe(5);
    expect(cleared).not.toHaveProperty('XMP-xmpDM:Pick');
    expect(cleared).not.toHaveProperty('XMP-xmp:Label');

    const [summary] = await call<PhotoSummary[]>('photos.summaries', { photoIds: [id] });
    expect(summary).toMatchObject({ photoId: id, dateTaken: '2008-10-22T16:28:39', hasFocalLength: true, tags: { rating: 5, flag: 'none', label: null } });
    expect(await sha256(path.join(folder, 'DSCN0010.jpg'))).toBe(before);
    // Written atomically: nothing but the photo and its side-car in the folder.
    expect((await readdir(folder)).sort()).toEqual(['DSCN0010.jpg', 'DSCN0010.xmp']);
  });

  it('updates a darktable side-car in place and keeps its history, other namespaces and layout', async () => {
    const folder = path.join(root, 'darktable');
    await mkdir(folder);
    await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0027.jpg'), path.join(folder, 'IMG_7.CR2'));
    const sidecar = path.join(folder, 'IMG_7.CR2.xmp');
    await writeFile(sidecar, DARKTABLE_SIDECAR);
    const before = await xmpTags(sidecar);
    const ids = await open(folder);
    const id = ids['IMG_7.CR2'] as string;

    const [summary] = await call<PhotoSummary[]>('photos.summaries', { photoIds: [id] });
    expect(summary?.tags).toEqual({ rating: 1, flag: 'none', label: 'Green', sidecars: ['IMG_7.CR2.xmp'] });

    const [outcome] = await setTags({ photoIds: [id], rating: 4, label: 'Blue' });
    expect(outcome).toMatchObject({ ok: true, tags: { rating: 4, label: 'Blue', sidecars: ['IMG_7.CR2.xmp'] } });
    // No Adobe-named side-car was added beside the darktable one.
    expect((await readdir(folder)).sort()).toEqual(['IMG_7.CR2', 'IMG_7.CR2.xmp']);
    const after = await xmpTags(sidecar);
    expect(after['XMP-xmp:Rating']).toBe(4);
    expect(after['XMP-xmp:Label']).toBe('Blue');
    // darktable's colour label list now says blue (3); every other tag is exactly as darktable wrote it.
    expect(after['XMP-darktable:Colorlabels']).toBe(3);
    const changed = new Set(['XMP-xmp:Rating', 'XMP-xmp:Label', 'XMP-darktable:Colorlabels', 'XMP-xmpDM:Good', 'XMP-xmpDM:Pick']);
    const unchanged = (tags: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(tags).filter(([key]) => !changed.has(key)));
    expect(unchanged(after)).toEqual(unchanged(before));
    expect(Object.keys(unchanged(before)).length).toBeGreaterThan(8);
    const text = await readFile(sidecar, 'utf8');
    expect(text).toContain('darktable:operation="filmicrgb"');
    expect(text).toContain('darktable:params="gz11eJxjYGBgYAFiCQYYOOHEgAZY0QVQAAA="');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });

  it("reads the rating and label of the photo's own XMP; a side-car's win over them", async () => {
    const folder = path.join(root, 'embedded');
    await mkdir(folder);
    const photo = path.join(folder, 'rated.jpg');
    await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0010.jpg'), photo);
    await run(testTool('exiftool').file, ['-q', '-overwrite_original', '-XMP-xmp:Rating=4', '-XMP-xmp:Label=Yellow', photo]);
    const ids = await open(folder);
    const id = ids['rated.jpg'] as string;
    const [summary] = await call<PhotoSummary[]>('photos.summaries', { photoIds: [id] });
    expect(summary?.tags).toEqual({ rating: 4, flag: 'none', label: 'Yellow', sidecars: [] });

    const photoBefore = await sha256(photo);
    const [outcome] = await setTags({ photoIds: [id], flag: 'pick' });
    // The change keeps what the photo said and goes into a side-car, never into the photo.
    expect(outcome).toMatchObject({ ok: true, tags: { rating: 4, flag: 'pick', label: 'Yellow', sidecars: ['rated.xmp'] } });
    expect(await sha256(photo)).toBe(photoBefore);
    expect(await xmpTags(path.join(folder, 'rated.xmp'))).toMatchObject({ 'XMP-xmp:Rating': 4, 'XMP-xmp:Label': 'Yellow', 'XMP-xmpDM:Pick': 1 });
  });

  it('gives a RAW+JPEG pair separate side-cars: IMG.xmp for the RAW file, IMG.jpg.xmp for the JPEG', async () => {
    const folder = path.join(root, 'pair');
    await mkdir(folder);
    await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0027.jpg'), path.join(folder, 'IMG_1.CR2'));
    await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0010.jpg'), path.join(folder, 'IMG_1.jpg'));
    const ids = await open(folder);
    await setTags({ photoIds: [ids['IMG_1.CR2'] as string], rating: 2 });
    await setTags({ photoIds: [ids['IMG_1.jpg'] as string], rating: 5 });
    expect((await readdir(folder)).sort()).toEqual(['IMG_1.CR2', 'IMG_1.jpg', 'IMG_1.jpg.xmp', 'IMG_1.xmp']);
    expect(await xmpTags(path.join(folder, 'IMG_1.xmp'))).toMatchObject({ 'XMP-xmp:Rating': 2 });
    expect(await xmpTags(path.join(folder, 'IMG_1.jpg.xmp'))).toMatchObject({ 'XMP-xmp:Rating': 5 });
    const summaries = await call<PhotoSummary[]>('photos.summaries', { photoIds: [ids['IMG_1.CR2'], ids['IMG_1.jpg']] });
    expect(summaries.map((summary) => summary.tags.rating)).toEqual([2, 5]);
  });

  it('refuses to rewrite a side-car that is not well-formed XML, says so, and leaves it as it was', async () => {
    const folder = path.join(root, 'broken');
    await mkdir(folder);
    await copyFile(path.join(PHOTOS, 'jpg/gps/DSCN0010.jpg'), path.join(folder, 'IMG_2.jpg'));
    const broken = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>unclosed';
    await writeFile(path.join(folder, 'IMG_2.xmp'), broken);
    const ids = await open(folder);
    const [outcome] = await setTags({ photoIds: [ids['IMG_2.jpg'] as string], rating: 1 });
    expect(outcome?.ok).toBe(false);
    if (outcome?.ok === false) expect(outcome.error.message).toMatch(/IMG_2\.xmp.*not well-formed/);
    expect(await readFile(path.join(folder, 'IMG_2.xmp'), 'utf8')).toBe(broken);
    expect((await readdir(folder)).sort()).toEqual(['IMG_2.jpg', 'IMG_2.xmp']);
  });

  it('validates the request: stars are 0 to 5, labels are the five names', async () => {
    expect((await dispatch(table, 'photos.setTags', { photoIds: ['x'], rating: 6 })).ok).toBe(false);
    expect((await dispatch(table, 'photos.setTags', { photoIds: ['x'], label: 'Pink' })).ok).toBe(false);
    expect((await dispatch(table, 'photos.setTags', { photoIds: ['x'] })).ok).toBe(false);
  });
});
