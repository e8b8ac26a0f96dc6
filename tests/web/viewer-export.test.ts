import { createTestingPinia } from '@pinia/testing';
import { enableAutoUnmount, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setZoe } from '../../src/renderer/src/bridge/zoe';
import PhotoViewer from '../../src/renderer/src/features/viewer/PhotoViewer.vue';
import { useExportStore } from '../../src/renderer/src/stores/export';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { useViewerStore } from '../../src/renderer/src/stores/viewer';
import { matches, SHORTCUTS } from '../../src/renderer/src/ui/shortcuts';
import { folderListing } from './fixtures';
import { MemoryBackend } from './memory-backend';

setZoe(new MemoryBackend().api);
enableAutoUnmount(afterEach);

describe('the viewer’s Export button', () => {
  it('opens the export dialog for the photo on screen and names Ctrl+E in its tooltip', async () => {
    const pinia = createTestingPinia({ createSpy: vi.fn, stubActions: true });
    useLibraryStore(pinia).photos = folderListing(3).photos;
    const viewer = useViewerStore(pinia);
    viewer.photoId = 'photo-2';
    viewer.preview = { url: 'zoe://preview/photo-2', width: 1200, height: 800, source: 'resized' };
    const exporting = useExportStore(pinia);
    const wrapper = mount(PhotoViewer, { global: { plugins: [pinia] }, attachTo: document.body });
    const button = wrapper.find('[data-testid="viewer-export"]');
    expect(button.attributes('title')).toContain(`(${SHORTCUTS.exportDepth.label})`);
    await button.trigger('click');
    expect(exporting.openFromContext).toHaveBeenCalledTimes(1);
  });

  it('the shortcut table knows Ctrl+E / ⌘E, and a plain E is not it', () => {
    const key = (init: KeyboardEventInit): KeyboardEvent => new KeyboardEvent('keydown', init);
    expect(matches(key({ key: 'e', ctrlKey: true }), 'exportDepth')).toBe(true);
    expect(matches(key({ key: 'e', metaKey: true }), 'exportDepth')).toBe(true);
    expect(matches(key({ key: 'e' }), 'exportDepth')).toBe(false);
    expect(matches(key({ key: 'e', ctrlKey: true, altKey: true }), 'exportDepth')).toBe(false);
  });
});
