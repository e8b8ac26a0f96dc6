import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ZoeError } from '../../src/shared/errors';
import { setZoe } from '../../src/renderer/src/bridge/zoe';
import { useAppStore } from '../../src/renderer/src/stores/app';
import { THUMBNAIL_BATCH, useLibraryStore } from '../../src/renderer/src/stores/library';
import { useSettingsStore } from '../../src/renderer/src/stores/settings';
import { MAX_ZOOM, useViewerStore } from '../../src/renderer/src/stores/viewer';
import { defaultSettings, type Settings } from '../../src/shared/settings';
import { folderListing, photoEntry } from './fixtures';
import { MemoryBackend, settle } from './memory-backend';

const backend = new MemoryBackend();
setZoe(backend.api);

beforeEach(() => {
  backend.reset();
  setActivePinia(createPinia());
  backend.on('library.recentFolders', () => []);
});

describe('library store', () => {
  it('opens the chosen folder, and stays as it was when the photographer cancels', async () => {
    const library = useLibraryStore();
    backend.on('library.openFolder', () => null);
    expect(await library.openFolder(false)).toBe(false);
    expect(library.folder).toBeNull();

    backend.on('library.openFolder', (request) => ({ ...folderListing(3), recursive: request?.recursive ?? false }));
    expect(await library.openFolder(true)).toBe(true);
    expect(backend.callsOf('library.openFolder').at(-1)?.request).toEqual({ recursive: true });
    expect(library.folder?.recursive).toBe(true);
    expect(library.photos.map((photo) => photo.name)).toEqual(['IMG_0001.jpg', 'IMG_0002.jpg', 'IMG_0003.jpg']);
    expect(library.selectedId).toBe('photo-1');
    expect(backend.callsOf('library.recentFolders')).toHaveLength(1);
  });

  it('shows why a folder could not be opened', async () => {
    const library = useLibraryStore();
    backend.on('library.openFolder', () => {
      throw new ZoeError('IO_ERROR', 'Zoe Studio could not read the folder “Card”.');
    });
    expect(await library.openFolder(false)).toBe(false);
    expect(library.error?.message).toContain('could not read');
  });

  it('asks for thumbnails a screen at a time, once per photo, and keeps the reasons of broken ones', async () => {
    const library = useLibraryStore();
    backend.on('library.openFolder', () => folderListing(100));
    backend.on('thumbnails.get', ({ photoIds }) =>
      photoIds.map((photoId) =>
        photoId === 'photo-7'
          ? { photoId, ok: false as const, error: { code: 'UNSUPPORTED_IMAGE' as const, message: '“IMG_0007.jpg” is damaged.' } }
          : { photoId, ok: true as const, url: `zoe://thumbnail/${photoId}`, width: 320, height: 213, source: 'embedded' as const }
      )
    );
    await library.openFolder(false);
    const first = library.photos.slice(0, 45).map((photo) => photo.id);
    await library.requestThumbnails(first);
    await library.requestThumbnails(first.slice(0, 10));
    const batches = backend.callsOf('thumbnails.get').map((call) => (call.request as { photoIds: string[] }).photoIds.length);
    expect(batches).toEqual([THUMBNAIL_BATCH, 45 - THUMBNAIL_BATCH]);
    expect(library.thumbnails['photo-1']).toEqual({ state: 'ready', url: 'zoe://thumbnail/photo-1', width: 320, height: 213 });
    expect(library.problemOf('photo-7')?.message).toBe('“IMG_0007.jpg” is damaged.');
    expect(library.problemOf('photo-8')).toBeNull();
    library.markBroken('photo-8', { code: 'UNSUPPORTED_IMAGE', message: 'Cannot decode.' });
    expect(library.problemOf('photo-8')?.message).toBe('Cannot decode.');
  });

  it('follows photos added, removed and rewritten in the open folder, and ignores other folders', async () => {
    const library = useLibraryStore();
    library.listen();
    backend.on('library.openFolder', () => folderListing(3));
    await library.openFolder(false);
    library.select('photo-2');
    backend.emit('library.changed', { folderId: 'another', added: [photoEntry(9)], removed: [] });
    expect(library.photoCount).toBe(3);
    backend.emit('library.changed', { folderId: 'folder-1', added: [photoEntry(0, 'A_first.jpg')], removed: ['photo-2'] });
    expect(library.photos.map((photo) => photo.name)).toEqual(['A_first.jpg', 'IMG_0001.jpg', 'IMG_0003.jpg']);
    // The selection moves off a photo that vanished.
    expect(library.selectedId).toBe('photo-0');
    expect(library.indexById.get('photo-3')).toBe(2);
  });

  it('moves the selection within the folder', async () => {
    const library = useLibraryStore();
    backend.on('library.openFolder', () => folderListing(10));
    await library.openFolder(false);
    library.moveSelection(4);
    expect(library.selectedId).toBe('photo-5');
    library.moveSelection(100);
    expect(library.selectedId).toBe('photo-10');
    library.moveSelection(-100);
    expect(library.selectedId).toBe('photo-1');
  });
});

describe('viewer store', () => {
  async function openedFolder(count: number): Promise<ReturnType<typeof useViewerStore>> {
    const library = useLibraryStore();
    backend.on('library.openFolder', () => folderListing(count));
    backend.on('thumbnails.preview', ({ photoId }) => {
      if (photoId === 'photo-2') throw new ZoeError('UNSUPPORTED_IMAGE', '“IMG_0002.jpg” is damaged: its image data is incomplete or corrupt.');
      return { url: `zoe://preview/${photoId}`, width: 2048, height: 1365, source: 'resized' as const };
    });
    await library.openFolder(false);
    return useViewerStore();
  }

  it('opens a photo’s preview and steps through the folder without running off its ends', async () => {
    const viewer = await openedFolder(3);
    await viewer.open('photo-1');
    expect(viewer.preview?.url).toBe('zoe://preview/photo-1');
    await viewer.previous();
    expect(viewer.photoId).toBe('photo-1');
    await viewer.next();
    await viewer.next();
    expect(viewer.photoId).toBe('photo-3');
    await viewer.next();
    expect(viewer.photoId).toBe('photo-3');
    expect(backend.callsOf('thumbnails.preview').map((call) => (call.request as { photoId: string }).photoId)).toEqual(['photo-1', 'photo-2', 'photo-3']);
  });

  it('shows why a photo cannot be opened and marks it in the library', async () => {
    const viewer = await openedFolder(3);
    await viewer.open('photo-2');
    expect(viewer.preview).toBeNull();
    expect(viewer.previewError?.message).toContain('damaged');
    expect(useLibraryStore().problemOf('photo-2')?.code).toBe('UNSUPPORTED_IMAGE');
  });

  it('keeps only the last of quickly pressed photos', async () => {
    const viewer = await openedFolder(3);
    const first = viewer.open('photo-1');
    const last = viewer.open('photo-3');
    await Promise.all([first, last]);
    expect(viewer.photoId).toBe('photo-3');
    expect(viewer.preview?.url).toBe('zoe://preview/photo-3');
  });

  it('zooms about the pointer: the point under it stays put', async () => {
    const viewer = await openedFolder(1);
    await viewer.open('photo-1');
    const anchor = { x: 120, y: -80 };
    // Screen position of a photo point p (relative to the fitted centre) is pan + p * zoom.
    const photoPoint = { x: (anchor.x - viewer.pan.x) / viewer.zoom, y: (anchor.y - viewer.pan.y) / viewer.zoom };
    viewer.zoomBy(2.5, anchor);
    expect(viewer.zoom).toBe(2.5);
    expect(viewer.pan.x + photoPoint.x * viewer.zoom).toBeCloseTo(anchor.x);
    expect(viewer.pan.y + photoPoint.y * viewer.zoom).toBeCloseTo(anchor.y);
    viewer.zoomBy(100);
    expect(viewer.zoom).toBe(MAX_ZOOM);
    viewer.fit();
    expect([viewer.zoom, viewer.pan]).toEqual([1, { x: 0, y: 0 }]);
    viewer.panBy(50, 50);
    expect(viewer.pan).toEqual({ x: 0, y: 0 });
    viewer.zoomIn();
    viewer.panBy(50, -20);
    expect(viewer.pan).toEqual({ x: 50, y: -20 });
    viewer.zoomOut();
    expect(viewer.zoom).toBe(1);
  });

  it('toggles depth, which stays empty until the engine supplies a map', async () => {
    const viewer = await openedFolder(1);
    await viewer.open('photo-1');
    viewer.toggleDepth();
    expect(viewer.depthVisible).toBe(true);
    expect(viewer.depth).toBeNull();
    viewer.setDepth({ width: 2, height: 1, metres: Float32Array.from([1, 2]) });
    expect(viewer.depth?.width).toBe(2);
    await viewer.open('photo-1');
    expect(viewer.depth).toBeNull();
  });
});

describe('viewer and depth', () => {
  /** A DepthMap as the main process sends it, for a 4×3 grid. */
  function depthMap(photoWidth: number, first: number) {
    return {
      width: 4,
      height: 3,
      metres: Float32Array.from({ length: 12 }, (_, index) => first + index),
      photoWidth,
      photoHeight: 1365,
      modelId: 'test-fixed',
      provider: 'cpu',
      options: { flip: true, pad: true },
      range: { min: 0.001, max: 10 },
      timings: { decodeMs: 1, preprocessMs: 1, inferenceMs: 1, postprocessMs: 1, totalMs: 4 }
    };
  }

  it('shows the cached depth of a photo when it is opened, and the new one when the engine says it is ready', async () => {
    const library = useLibraryStore();
    const viewer = useViewerStore();
    viewer.listen();
    let estimated = new Set<string>(['photo-1']);
    backend.on('library.openFolder', () => folderListing(3));
    backend.on('thumbnails.preview', ({ photoId }) => ({ url: `zoe://preview/${photoId}`, width: 2048, height: 1365, source: 'resized' as const }));
    backend.on('depth.get', ({ photoId }) => (estimated.has(photoId) ? depthMap(2048, Number(photoId.slice(6))) : null));
    await library.openFolder(false);

    await viewer.open('photo-1');
    expect(viewer.depth?.metres[0]).toBe(1);
    await viewer.open('photo-2');
    expect(viewer.depth).toBeNull();

    // Depth for a photo not on screen: nothing is fetched.
    estimated = new Set(['photo-1', 'photo-2', 'photo-3']);
    const before = backend.callsOf('depth.get').length;
    backend.emit('depth.ready', { photoId: 'photo-3', jobId: 'job-3', modelId: 'test-fixed', fromCache: false });
    await settle();
    expect(backend.callsOf('depth.get')).toHaveLength(before);
    backend.emit('depth.ready', { photoId: 'photo-2', jobId: 'job-2', modelId: 'test-fixed', fromCache: false });
    await settle();
    expect(viewer.depth?.metres[0]).toBe(2);
    viewer.dispose();
    expect(backend.listenerCount('depth.ready')).toBe(0);
  });

  it('the provider badge says what depth runs on, and follows status events', async () => {
    const app = useAppStore();
    backend.on('app.getInfo', () => ({
      appName: 'Zoe Studio',
      appVersion: '0.1.0',
      host: 'test-host' as const,
      versions: { node: '20', electron: null, chrome: null, onnxruntime: '1.30.0', sharp: '0.35.5' },
      platform: 'linux',
      arch: 'x64',
      executionProviders: [{ name: 'cpu', bundled: true }, { name: 'webgpu', bundled: true }]
    }));
    backend.on('depth.status', () => ({ modelId: null, modelInstalled: false, device: 'auto' as const, provider: null, loading: false }));
    await app.load();
    expect(app.providerLabel).toBe('No model');
    expect(app.providerDetail).toContain('cpu, webgpu');
    backend.emit('depth.status', { modelId: 'zoed-nk', modelInstalled: true, device: 'auto', provider: 'cpu', providerFallbackReason: 'No WebGPU adapter.', loading: false });
    expect(app.providerLabel).toBe('CPU');
    expect(app.providerDetail).toContain('No WebGPU adapter.');
    backend.emit('depth.status', { modelId: 'zoed-nk', modelInstalled: true, device: 'gpu', provider: 'cuda', loading: false });
    expect(app.providerLabel).toBe('GPU · cuda');
    app.dispose();
  });
});

describe('settings store', () => {
  it('loads the settings and saves a change through the main process', async () => {
    let stored: Settings = { ...defaultSettings(), units: 'feet' };
    backend.on('settings.get', () => stored);
    backend.on('settings.set', (patch) => {
      stored = { ...stored, ...patch };
      return stored;
    });
    const settings = useSettingsStore();
    await settings.load();
    expect(settings.settings.units).toBe('feet');
    expect(await settings.update({ flip: false })).toBe(true);
    expect(settings.settings).toMatchObject({ flip: false, units: 'feet' });
    expect(backend.callsOf('settings.set').map((call) => call.request)).toEqual([{ flip: false }]);
  });

  it('goes back to the saved value when saving fails, and says why', async () => {
    backend.on('settings.get', () => defaultSettings());
    backend.on('settings.set', () => {
      throw new ZoeError('IO_ERROR', 'The settings could not be saved: the disk is full.');
    });
    const settings = useSettingsStore();
    await settings.load();
    const pending = settings.update({ units: 'feet' });
    expect(settings.settings.units).toBe('feet');
    expect(await pending).toBe(false);
    expect(settings.settings.units).toBe('metres');
    expect(settings.error?.message).toContain('disk is full');
  });

  it('sends invalid values nowhere: the contract refuses them', async () => {
    backend.on('settings.get', () => defaultSettings());
    backend.on('settings.set', () => defaultSettings());
    const settings = useSettingsStore();
    // @ts-expect-error: an invalid unit, as a bug elsewhere might send
    expect(await settings.update({ units: 'cubits' })).toBe(false);
    expect(settings.error?.code).toBe('INVALID_ARGUMENT');
    await settle();
  });
});
