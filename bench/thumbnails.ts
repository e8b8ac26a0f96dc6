/**
 * Thumbnail bench: a folder of 1,000 generated 24-megapixel JPEGs with embedded EXIF thumbnails,
 * opened through the real handler table with a cold cache. Prints the time to the first screen
 * (the first 40 thumbnails, as the grid asks for them, folder scan included) and to all of them,
 * against the targets of 0.5 s and 10 s, then the same with a warm cache, and for comparison the
 * cost of photos without an embedded thumbnail (full decode).
 *
 *   npm run bench:thumbnails [-- --count 1000]
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { FolderListing } from '../src/shared/api';
import type { ThumbnailOutcome } from '../src/shared/thumbnails';
import { dispatch } from '../src/main/ipc/dispatch';
import type { HostServices } from '../src/main/ipc/handlers';
import { createHandlerTable } from '../src/main/ipc/table';
import { ResourceRegistry } from '../src/main/resources/registry';
import { withExif } from '../tests/node/thumbnails/exif-fixture';

const WIDTH = 6000;
const HEIGHT = 4000;
const FIRST_SCREEN = 40;
const FIXTURES_ROOT = path.resolve(__dirname, 'fixtures');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? Number.NaN : Number(process.argv[index + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** One 24 MP photo: a small colourful picture enlarged (cheap to encode, realistic to decode). */
async function encodeMaster(): Promise<{ photo: Buffer; thumbnail: Buffer }> {
  const small = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .blur(1.2)
    .png()
    .toBuffer();
  const photo = await sharp(small).resize(WIDTH, HEIGHT, { kernel: 'cubic' }).jpeg({ quality: 85 }).toBuffer();
  const thumbnail = await sharp(small).resize(160, 107).jpeg({ quality: 80 }).toBuffer();
  return { photo, thumbnail };
}

/** Makes the folder once: the master copied with a different description (so different bytes) each time. */
async function ensureFixtures(count: number): Promise<string> {
  const folder = path.join(FIXTURES_ROOT, `jpeg-24mp-${count}`);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(FIXTURES_ROOT, '.gitignore'), '*\n');
  const existing = new Set(await readdir(folder));
  const names = Array.from({ length: count }, (_, index) => `DSC_${String(index + 1).padStart(5, '0')}.JPG`);
  const missing = names.filter((name) => !existing.has(name));
  if (missing.length > 0) {
    process.stdout.write(`generating ${missing.length} 24-megapixel JPEGs in ${folder} (once)…\n`);
    const { photo, thumbnail } = await encodeMaster();
    for (const name of missing) {
      await writeFile(path.join(folder, name), withExif(photo, { orientation: 1, thumbnail, description: `bench ${name}` }));
    }
  }
  return folder;
}

function hostServices(dataDir: string, folder: string): HostServices {
  return {
    host: 'test-host',
    appName: 'Zoe Studio',
    appVersion: 'bench',
    dataDir,
    resourcesDir: path.resolve('resources'),
    versions: { electron: null, chrome: null },
    chooseFolder: async () => folder,
    resourceUrl: (kind, id) => `http://127.0.0.1/${kind}/${id}`,
    resources: new ResourceRegistry(),
    emit: () => undefined
  };
}

interface Timing {
  firstScreenMs: number;
  allMs: number;
  failed: number;
  embedded: number;
}

/** Opens the folder and asks for thumbnails a screen at a time, two screens in flight, like the grid. */
async function run(folder: string, dataDir: string): Promise<Timing> {
  const table = createHandlerTable(hostServices(dataDir, folder));
  const started = performance.now();
  const opened = await dispatch(table, 'library.openFolder', { recursive: false });
  if (!opened.ok) throw new Error(opened.error.message);
  const listing = opened.value as FolderListing;
  const ids = listing.photos.map((photo) => photo.id);
  const screens: string[][] = [];
  for (let index = 0; index < ids.length; index += FIRST_SCREEN) screens.push(ids.slice(index, index + FIRST_SCREEN));
  let firstScreenMs = 0;
  let failed = 0;
  let embedded = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < screens.length) {
      const screenIndex = next;
      next += 1;
      const result = await dispatch(table, 'thumbnails.get', { photoIds: screens[screenIndex] });
      if (!result.ok) throw new Error(result.error.message);
      for (const outcome of result.value as ThumbnailOutcome[]) {
        if (!outcome.ok) failed += 1;
        else if (outcome.source === 'embedded') embedded += 1;
      }
      if (screenIndex === 0) firstScreenMs = performance.now() - started;
    }
  };
  await Promise.all([worker(), worker()]);
  const allMs = performance.now() - started;
  await dispatch(table, 'library.openFolder', { recursive: false }).catch(() => undefined);
  return { firstScreenMs, allMs, failed, embedded };
}

function report(label: string, timing: Timing, count: number): void {
  const first = timing.firstScreenMs / 1000;
  const all = timing.allMs / 1000;
  process.stdout.write(
    `${label.padEnd(12)} first screen (${FIRST_SCREEN}): ${first.toFixed(3)} s (target 0.5 s, ratio ${(first / 0.5).toFixed(2)})` +
      `   all ${count}: ${all.toFixed(2)} s (target 10 s, ratio ${(all / 10).toFixed(2)})` +
      `   embedded ${timing.embedded}, failed ${timing.failed}\n`
  );
}

async function fullDecodeCost(dataDir: string): Promise<number> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'zoe-bench-nothumb-'));
  const { photo } = await encodeMaster();
  for (let index = 0; index < 8; index += 1) await writeFile(path.join(folder, `P${index}.jpg`), photo);
  const timing = await run(folder, dataDir);
  await rm(folder, { recursive: true, force: true });
  return timing.allMs / 8;
}

async function main(): Promise<void> {
  const count = argument('count', 1000);
  const folder = await ensureFixtures(count);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zoe-bench-data-'));
  try {
    process.stdout.write(`${count} photos of ${WIDTH}×${HEIGHT} px with EXIF thumbnails, ${os.cpus().length} cores\n`);
    report('cold cache', await run(folder, dataDir), count);
    report('warm cache', await run(folder, dataDir), count);
    const perPhoto = await fullDecodeCost(await mkdtemp(path.join(os.tmpdir(), 'zoe-bench-data2-')));
    process.stdout.write(`without an embedded thumbnail (full decode): ${perPhoto.toFixed(0)} ms per photo\n`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
