import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import DropZone from '../../src/renderer/src/features/library/DropZone.vue';
import { useLibraryStore } from '../../src/renderer/src/stores/library';
import { useViewerStore } from '../../src/renderer/src/stores/viewer';
import { folderListing } from './fixtures';
import { useMemoryBackend } from './setup';

const backend = useMemoryBackend();

/** A drag event as the browser sends it: from the desktop it carries `Files`, from a page text. */
function drag(type: string, types: string[] = ['Files']): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types, files: [] } });
  window.dispatchEvent(event);
  return event;
}

beforeEach(() => {
  backend.reset();
  setActivePinia(createPinia());
  backend.on('library.recentFolders', () => [{ folderId: 'folder-2', name: 'Dropped', displayPath: '/photos/Dropped', recursive: false, openedMs: 1 }]);
});

afterEach(() => useLibraryStore().dispose());

describe('DropZone', () => {
  it('highlights the window while files are dragged over it, and not for other drags', async () => {
    const wrapper = mount(DropZone, { attachTo: document.body });
    drag('dragenter', ['text/plain']);
    await flushPromises();
    expect(wrapper.find('[data-testid="drop-zone"]').exists()).toBe(false);

    drag('dragenter');
    const over = drag('dragover');
    await flushPromises();
    expect(over.defaultPrevented).toBe(true);
    expect(wrapper.get('[data-testid="drop-zone"]').text()).toBe('Drop a folder to open it');
    // Crossing into a child and back out of it leaves the highlight on; leaving the window ends it.
    drag('dragenter');
    drag('dragleave');
    await flushPromises();
    expect(wrapper.find('[data-testid="drop-zone"]').exists()).toBe(true);
    drag('dragleave');
    await flushPromises();
    expect(wrapper.find('[data-testid="drop-zone"]').exists()).toBe(false);
  });

  it('a drop ends the highlight and keeps the browser from opening the file', async () => {
    const wrapper = mount(DropZone, { attachTo: document.body });
    drag('dragenter');
    await flushPromises();
    const dropped = drag('drop');
    await flushPromises();
    expect(dropped.defaultPrevented).toBe(true);
    expect(wrapper.find('[data-testid="drop-zone"]').exists()).toBe(false);
  });
});

describe('a folder opened by a drop (library.opened / library.openFailed)', () => {
  it('shows the dropped folder, refreshes the recent list and leaves the viewer of the old folder', async () => {
    const library = useLibraryStore();
    const viewer = useViewerStore();
    library.listen();
    mount(DropZone, { attachTo: document.body });
    viewer.photoId = 'old-photo';
    backend.emit('library.opened', folderListing(3, 'folder-2'));
    await flushPromises();
    expect(library.folder?.folderId).toBe('folder-2');
    expect(library.photos.map((photo) => photo.id)).toEqual(['photo-1', 'photo-2', 'photo-3']);
    expect([...library.selectedIds]).toEqual(['photo-1']);
    expect(library.recentFolders.map((recent) => recent.name)).toEqual(['Dropped']);
    expect(viewer.photoId).toBeNull();
  });

  it('shows why a dropped item could not be opened, and clears it when a folder opens', async () => {
    const library = useLibraryStore();
    library.listen();
    backend.emit('library.openFailed', { code: 'INVALID_ARGUMENT', message: '“notes.txt” is a file. Drop a folder of photos to open it.' });
    expect(library.error?.message).toContain('is a file');
    backend.emit('library.opened', folderListing(1));
    expect(library.error).toBeNull();
  });
});
