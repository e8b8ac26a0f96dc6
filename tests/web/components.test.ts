import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import LibraryToolbar from '../../src/renderer/src/features/library/LibraryToolbar.vue';
import PhotoTile from '../../src/renderer/src/features/library/PhotoTile.vue';
import ThumbnailGrid from '../../src/renderer/src/features/library/ThumbnailGrid.vue';
import DepthControls from '../../src/renderer/src/features/viewer/DepthControls.vue';
import DepthOverlay from '../../src/renderer/src/features/viewer/DepthOverlay.vue';
import PhotoViewer from '../../src/renderer/src/features/viewer/PhotoViewer.vue';
import { useDepthViewStore } from '../../src/renderer/src/stores/depth-view';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { useViewerStore } from '../../src/renderer/src/stores/viewer';
import { SHORTCUTS } from '../../src/renderer/src/ui/shortcuts';
import { folderListing, photoEntry } from './fixtures';
import { useMemoryBackend, useWindowSizedLayout } from './setup';

const backend = useMemoryBackend();
useWindowSizedLayout();

/** A synthetic depth map: a ramp from 1 m (left) to 9 m (right), 64×48 samples. */
function rampDepth(): { width: number; height: number; metres: Float32Array } {
  const width = 64;
  const height = 48;
  const metres = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) metres[y * width + x] = 1 + (8 * x) / (width - 1);
  return { width, height, metres };
}

function press(key: string, options: KeyboardEventInit = {}): void {
  window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options }));
}

describe('PhotoTile', () => {
  it('shows the thumbnail, or the reason a photo cannot be shown', () => {
    const photo = photoEntry(1);
    const ready = mount(PhotoTile, {
      props: { photo, thumbnail: { state: 'ready', url: 'zoe://thumbnail/a', width: 320, height: 213 }, problem: null, selected: true }
    });
    expect(ready.find('img').attributes('src')).toBe('zoe://thumbnail/a');
    expect(ready.attributes('aria-selected')).toBe('true');

    const message = '“IMG_5195.HEIC” is compressed with HEVC, a codec the image library inside Zoe Studio does not include.';
    const broken = mount(PhotoTile, {
      props: { photo, thumbnail: { state: 'broken', error: { code: 'UNSUPPORTED_IMAGE', message } }, problem: { code: 'UNSUPPORTED_IMAGE', message }, selected: false }
    });
    expect(broken.find('img').exists()).toBe(false);
    expect(broken.text()).toContain('HEVC');
    expect(broken.attributes('title')).toContain(message);
  });
});

describe('ThumbnailGrid', () => {
  it('keeps only a window of a 10,000-photo folder in the page and asks for those thumbnails', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: true });
    const library = useLibraryStore(pinia);
    const listing = folderListing(10_000);
    library.photos = listing.photos;
    library.folder = { ...listing };
    const wrapper = mount(ThumbnailGrid, { global: { plugins: [pinia] }, attachTo: document.body });
    await flushPromises();
    const tiles = wrapper.findAll('[role="gridcell"]');
    expect(tiles.length).toBeGreaterThan(0);
    expect(tiles.length).toBeLessThan(200);
    const requested = vi.mocked(library.requestThumbnails).mock.calls.flatMap(([ids]) => ids);
    expect(requested).toContain('photo-1');
    expect(requested).not.toContain('photo-5000');
    expect(wrapper.find('.grid-canvas').attributes('style')).toMatch(/height: \d{5,}px/);
    wrapper.unmount();
  });

  it('moves the selection with the arrow keys and opens the selected photo with Enter', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
    const library = useLibraryStore(pinia);
    backend.reset();
    backend.on('thumbnails.get', ({ photoIds }) => photoIds.map((photoId) => ({ photoId, ok: false as const, error: { code: 'NOT_FOUND' as const, message: 'gone' } })));
    const listing = folderListing(30);
    library.photos = listing.photos;
    library.folder = { ...listing };
    library.selectedId = 'photo-1';
    const wrapper = mount(ThumbnailGrid, { global: { plugins: [pinia] }, attachTo: document.body, props: { tileSize: 200 } });
    await flushPromises();
    press('ArrowRight');
    press('ArrowDown');
    // 1280 px wide at 200 px per tile: 6 columns, so down moves six photos on.
    expect(library.selectedId).toBe('photo-8');
    press('Enter');
    expect(wrapper.emitted('open')).toEqual([['photo-8']]);
    wrapper.unmount();
  });
});

describe('LibraryToolbar', () => {
  it('names every shortcut in the tooltips and opens a folder with Ctrl+O', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: true });
    const library = useLibraryStore(pinia);
    const wrapper = mount(LibraryToolbar, { global: { plugins: [pinia] }, attachTo: document.body });
    const titles = wrapper.findAll('[title]').map((element) => element.attributes('title') ?? '');
    for (const label of [SHORTCUTS.openFolder.label, SHORTCUTS.recursive.label, SHORTCUTS.settings.label]) {
      expect(titles.some((title) => title.includes(`(${label})`))).toBe(true);
    }
    press('o', { ctrlKey: true });
    expect(library.openFolder).toHaveBeenCalledWith(false);
    press(',', { ctrlKey: true });
    expect(wrapper.emitted('toggle-settings')).toHaveLength(1);
    wrapper.unmount();
  });
});

describe('PhotoViewer', () => {
  it('answers ←/→, +/−/0, space and Esc, and names them in its tooltips', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: true });
    const library = useLibraryStore(pinia);
    const viewer = useViewerStore(pinia);
    const listing = folderListing(5);
    library.photos = listing.photos;
    library.folder = { ...listing };
    viewer.photoId = 'photo-2';
    viewer.preview = { url: 'zoe://preview/photo-2', width: 1200, height: 800, source: 'resized' };
    const wrapper = mount(PhotoViewer, { global: { plugins: [pinia] }, attachTo: document.body });
    expect(wrapper.find('[data-testid="viewer-photo"]').attributes('src')).toBe('zoe://preview/photo-2');
    press('ArrowRight');
    press('ArrowLeft');
    press('+');
    press('-');
    press('0');
    press(' ');
    press('Escape');
    expect(viewer.next).toHaveBeenCalledTimes(1);
    expect(viewer.previous).toHaveBeenCalledTimes(1);
    expect(viewer.zoomIn).toHaveBeenCalledTimes(1);
    expect(viewer.zoomOut).toHaveBeenCalledTimes(1);
    expect(viewer.fit).toHaveBeenCalledTimes(1);
    expect(viewer.toggleDepth).toHaveBeenCalledTimes(1);
    expect(wrapper.emitted('close')).toHaveLength(1);
    const titles = wrapper.findAll('[title]').map((element) => element.attributes('title') ?? '');
    for (const name of ['previous', 'next', 'zoomIn', 'zoomOut', 'fit', 'toggleDepth', 'closeViewer'] as const) {
      expect(titles.some((title) => title.includes(`(${SHORTCUTS[name].label})`))).toBe(true);
    }
    wrapper.unmount();
  });

  it('shows the depth controls when depth is on and a map exists', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: true });
    const library = useLibraryStore(pinia);
    const viewer = useViewerStore(pinia);
    const listing = folderListing(1);
    library.photos = listing.photos;
    viewer.photoId = 'photo-1';
    viewer.preview = { url: 'zoe://preview/photo-1', width: 1200, height: 800, source: 'resized' };
    viewer.depthVisible = true;
    const wrapper = mount(PhotoViewer, { global: { plugins: [pinia] }, attachTo: document.body });
    expect(wrapper.find('[aria-label="Depth display"]').exists()).toBe(false);
    viewer.depth = rampDepth();
    await flushPromises();
    expect(wrapper.find('[aria-label="Depth display"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="depth-overlay"]').exists()).toBe(true);
    wrapper.unmount();
  });
});

describe('DepthControls and DepthOverlay with a synthetic map', () => {
  it('show the automatic range in the chosen units and switch to manual when an edge is typed', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: false });
    const view = useDepthViewStore(pinia);
    const depth = rampDepth();
    const wrapper = mount(DepthControls, { global: { plugins: [pinia] }, props: { depth, range: { near: 1.16, far: 8.84 }, units: 'feet' } });
    const near = wrapper.find('input[aria-label="Nearest depth in ft"]');
    expect((near.element as HTMLInputElement).value).toBe((1.16 / 0.3048).toFixed(2));
    (near.element as HTMLInputElement).value = '10';
    await near.trigger('change');
    expect(view.rangeMode).toBe('manual');
    expect(view.manualRange.near).toBeCloseTo(3.048, 6);
    await wrapper.find('select[aria-label="Colour map"]').setValue('magma');
    expect(view.colormap).toBe('magma');
    expect(wrapper.findAll('select[aria-label="Colour map"] option').map((option) => option.text())).toEqual(['turbo', 'magma', 'viridis', 'inferno', 'grey']);
  });

  it('the overlay says plainly when the browser has no WebGL2 instead of drawing nothing', async () => {
    // happy-dom has no WebGL; Chromium does (covered by the browser tests once depth exists).
    const wrapper = mount(DepthOverlay, { props: { depth: rampDepth(), colormap: 'turbo', range: { near: 1, far: 9 }, invert: false, opacity: 0.5 } });
    await flushPromises();
    expect(wrapper.find('canvas').exists()).toBe(true);
    expect(wrapper.text()).toContain('WebGL2');
  });
});
